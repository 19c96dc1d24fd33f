package org.livepeer.naap.functions.alerts;

import java.io.Serializable;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Counts records per minute of ingest time without a shuffle: chained after the parser, it adds
 * each record to the current minute's count and emits an {@link IntakeTally} (timestamped with the
 * minute) when the minute changes, before each checkpoint barrier (so a count is never lost or
 * repeated by a restart, and no operator state is needed), and at the end of input.
 *
 * @param <T> accepted events or rejections
 */
public class IntakeTallies<T> extends AbstractStreamOperator<IntakeTally>
        implements OneInputStreamOperator<T, IntakeTally>, BoundedOneInput {
    private static final long serialVersionUID = 1L;
    private static final long MINUTE = 60_000L;

    /** The ingest time of a record. */
    @FunctionalInterface
    public interface IngestTime<T> extends Serializable {
        long of(T record);
    }

    private final IngestTime<T> ingestTime;
    private final boolean rejected;

    private transient long minute;
    private transient long count;

    /**
     * @param rejected whether these records were rejected (each counts as received and rejected) or
     *     accepted (received only)
     */
    public IntakeTallies(IngestTime<T> ingestTime, boolean rejected) {
        this.ingestTime = ingestTime;
        this.rejected = rejected;
    }

    @Override
    public void processElement(StreamRecord<T> element) {
        long m = Math.floorDiv(ingestTime.of(element.getValue()), MINUTE) * MINUTE;
        if (count > 0 && m != minute) {
            flush();
        }
        minute = m;
        count++;
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        flush();
    }

    @Override
    public void endInput() {
        flush();
    }

    private void flush() {
        if (count == 0) {
            return;
        }
        output.collect(
                new StreamRecord<>(new IntakeTally(minute, count, rejected ? count : 0), minute));
        count = 0;
    }
}
