package org.livepeer.naap.functions;

import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.livepeer.naap.schemas.TelemetryEvent;

/**
 * Drops repeated deliveries of the same event: producers key by event id and retry, and the Streamr
 * network can deliver a message twice.
 *
 * <p>Key: {@link TelemetryEvent#dedupKey()} (source label and event id). State: one {@code Long}
 * per key, the event-time at which the key is forgotten. Timer: one event-time timer at that time,
 * {@code max(event time, watermark) + retention}, which clears the state; so a redelivery is
 * recognized for at least {@code retention} of event time after the first copy, also for late
 * events. A processing-time TTL of twice the retention backs the timer up in case the watermark
 * stalls. Output: the first copy of each event, counted in {@code accepted}. Side output {@link
 * #DUPLICATES}: every later copy, counted in {@code duplicates}. Late events are handled like any
 * other.
 */
public class DeduplicateEvents extends KeyedProcessFunction<String, TelemetryEvent, TelemetryEvent>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<TelemetryEvent> DUPLICATES = new OutputTag<>("duplicates") {};

    private final Duration retention;

    private transient ValueState<Long> forgetAt;
    private transient Accounting accounting;
    private transient Accounting.Totals totals;

    public DeduplicateEvents(Duration retention) {
        this.retention = retention;
    }

    @Override
    public void open(OpenContext openContext) {
        ValueStateDescriptor<Long> descriptor =
                new ValueStateDescriptor<>("dedup-forget-at", Long.class);
        descriptor.enableTimeToLive(
                StateTtlConfig.newBuilder(retention.multipliedBy(2))
                        .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                        .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                        .build());
        forgetAt = getRuntimeContext().getState(descriptor);
        accounting = new Accounting(getRuntimeContext(), totals);
        accounting.declare(Accounting.ACCEPTED, Accounting.DUPLICATES);
    }

    @Override
    public void processElement(TelemetryEvent event, Context ctx, Collector<TelemetryEvent> out)
            throws Exception {
        if (forgetAt.value() != null) {
            accounting.count(Accounting.DUPLICATES);
            ctx.output(DUPLICATES, event);
            return;
        }
        long base = Math.max(event.eventTime, ctx.timerService().currentWatermark());
        long at = base + retention.toMillis();
        forgetAt.update(at);
        ctx.timerService().registerEventTimeTimer(at);
        accounting.count(Accounting.ACCEPTED);
        accounting.count(Accounting.ACCEPTED_BY_FAMILY, "family", event.family);
        out.collect(event);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TelemetryEvent> out) {
        forgetAt.clear();
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
