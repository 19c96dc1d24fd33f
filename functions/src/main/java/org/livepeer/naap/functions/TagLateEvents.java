package org.livepeer.naap.functions;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.livepeer.naap.schemas.TelemetryEvent;

/**
 * Finds events that arrive behind the watermark by more than the allowed lateness.
 *
 * <p>A late event is never dropped: it passes on to the archive like any other, and a copy goes to
 * the side output {@link #LATE} so that it can be seen and counted ({@code late}); later stages
 * that keep event-time state decide for themselves what a late event may still change. Stateless.
 */
public class TagLateEvents extends ProcessFunction<TelemetryEvent, TelemetryEvent>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<TelemetryEvent> LATE = new OutputTag<>("late") {};

    private final long allowedLatenessMs;

    private transient Accounting accounting;
    private transient Accounting.Totals totals;

    public TagLateEvents(long allowedLatenessMs) {
        this.allowedLatenessMs = allowedLatenessMs;
    }

    @Override
    public void open(OpenContext openContext) {
        accounting = new Accounting(getRuntimeContext(), totals);
        accounting.declare(Accounting.LATE);
    }

    @Override
    public void processElement(TelemetryEvent event, Context ctx, Collector<TelemetryEvent> out) {
        long watermark = ctx.timerService().currentWatermark();
        if (watermark != Long.MIN_VALUE && event.eventTime + allowedLatenessMs < watermark) {
            accounting.count(Accounting.LATE);
            ctx.output(LATE, event);
        }
        out.collect(event);
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        totals = Accounting.Totals.restore(context);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        totals.snapshot();
    }
}
