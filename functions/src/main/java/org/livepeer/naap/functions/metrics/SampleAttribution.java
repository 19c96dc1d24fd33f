package org.livepeer.naap.functions.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.livepeer.naap.functions.Accounting;
import org.livepeer.naap.schemas.output.MetricsRow;

/**
 * Attributes each status sample to the orchestrator it names (its canonical address and, when the
 * hardware says which, the GPU of the session's model), by {@link Attribution#resolveAsOf} over the
 * broadcast snapshot histories, and turns it into metric contributions ({@link
 * Demand#contributions(QualitySample, Attribution.Resolution)}): a sample counts for the
 * orchestrator that produced it, in the window it falls in.
 *
 * <p>A sample is attributed with the snapshots in force at its own time, once the watermark has
 * passed it (every snapshot of that time or before has arrived by then), so that the answer is the
 * same whatever order samples and snapshots arrive in: it waits in keyed state until then, and goes
 * out at its own time. One whose orchestrator no snapshot lists at its time (the first minute of a
 * job, an orchestrator no gateway lists) counts in the network roll-up only, and is counted as
 * {@code metrics_unattributed_samples}. Key: the session id.
 *
 * <p>State: {@code sample-attribution-buffer} (samples by time, until the watermark passes them),
 * cleared by the timer at each time; processing-time TTL of one day behind it.
 */
public class SampleAttribution
        extends KeyedBroadcastProcessFunction<
                String, QualitySample, Attribution.OrchestratorSnapshot, MetricsRow> {
    private static final long serialVersionUID = 1L;

    public static final String UNATTRIBUTED = "metrics_unattributed_samples";

    private final long maxSnapshotAgeMs;
    private final long forgetAfterMs;
    private transient MapState<Long, List<QualitySample>> buffer;
    private transient Accounting accounting;

    public SampleAttribution(long maxSnapshotAgeMs, long forgetAfterMs) {
        this.maxSnapshotAgeMs = maxSnapshotAgeMs;
        this.forgetAfterMs = forgetAfterMs;
    }

    @Override
    public void open(OpenContext openContext) {
        MapStateDescriptor<Long, List<QualitySample>> b =
                new MapStateDescriptor<>(
                        "sample-attribution-buffer",
                        Types.LONG,
                        Types.LIST(TypeInformation.of(QualitySample.class)));
        b.enableTimeToLive(
                StateTtlConfig.newBuilder(Duration.ofDays(1))
                        .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                        .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                        .build());
        buffer = getRuntimeContext().getMapState(b);
        accounting = new Accounting(getRuntimeContext());
    }

    @Override
    public void processElement(QualitySample q, ReadOnlyContext ctx, Collector<MetricsRow> out)
            throws Exception {
        List<QualitySample> atTime = buffer.get(q.eventTime);
        if (atTime == null) {
            atTime = new ArrayList<>();
        }
        atTime.add(q);
        // Cleared by the timer at this time (a sample behind the watermark fires at the next).
        buffer.put(q.eventTime, atTime);
        ctx.timerService().registerEventTimeTimer(q.eventTime);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<MetricsRow> out)
            throws Exception {
        List<QualitySample> due = buffer.get(timestamp);
        if (due == null) {
            return;
        }
        buffer.remove(timestamp);
        for (QualitySample q : due) {
            Attribution.Resolution r =
                    Attribution.resolveAsOf(
                            ctx.getBroadcastState(Attribution.SNAPSHOT_HISTORY),
                            q.orchestratorUrl,
                            q.orchestratorAddress,
                            q.model,
                            q.eventTime,
                            maxSnapshotAgeMs,
                            forgetAfterMs);
            if (r.address() == null) {
                accounting.count(UNATTRIBUTED);
            }
            for (MetricsRow c : Demand.contributions(q, r)) {
                out.collect(c);
            }
        }
    }

    @Override
    public void processBroadcastElement(
            Attribution.OrchestratorSnapshot snapshot, Context ctx, Collector<MetricsRow> out)
            throws Exception {
        Attribution.storeHistory(
                ctx.getBroadcastState(Attribution.SNAPSHOT_HISTORY),
                snapshot,
                ctx.currentWatermark(),
                forgetAfterMs);
    }
}
