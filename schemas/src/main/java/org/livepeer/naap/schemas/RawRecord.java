package org.livepeer.naap.schemas;

import java.util.Arrays;
import java.util.Objects;

/**
 * One record as it arrived, before parsing: the bytes and where they came from.
 *
 * <p>{@code source} is the label configured for the input (for example {@code raw} for the bridge's
 * {@code naap.events.raw}); {@code topic}, {@code partition} and {@code offset} point at the record
 * in Kafka, or at the file and line for file input. {@code ingestTime} is the Kafka record
 * timestamp, or the read time for files; it bounds how far in the future an event's own time may be
 * trusted.
 */
public class RawRecord {
    public byte[] value;
    public String source;
    public String topic;
    public int partition;
    public long offset;
    public long ingestTime;

    public RawRecord() {}

    public RawRecord(
            byte[] value,
            String source,
            String topic,
            int partition,
            long offset,
            long ingestTime) {
        this.value = value;
        this.source = source;
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.ingestTime = ingestTime;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof RawRecord)) {
            return false;
        }
        RawRecord that = (RawRecord) o;
        return partition == that.partition
                && offset == that.offset
                && ingestTime == that.ingestTime
                && Arrays.equals(value, that.value)
                && Objects.equals(source, that.source)
                && Objects.equals(topic, that.topic);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(value), source, topic, partition, offset, ingestTime);
    }

    @Override
    public String toString() {
        return "RawRecord{"
                + source
                + " "
                + topic
                + "/"
                + partition
                + "@"
                + offset
                + ", "
                + (value == null ? 0 : value.length)
                + " bytes}";
    }
}
