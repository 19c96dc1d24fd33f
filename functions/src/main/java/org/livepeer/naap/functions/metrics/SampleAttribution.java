package org.livepeer.naap.functions.metrics;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.livepeer.naap.functions.Accounting;
import org.livepeer.naap.schemas.output.MetricsRow;

/**
 * Attributes each status sample to the orchestrator it names (its canonical address and, when the
 * hardware says which, the GPU of the session's model), by {@link Attribution#resolve} over the
 * same broadcast snapshots, and turns it into metric contributions ({@link
 * Demand#contributions(QualitySample, Attribution.Resolution)}): a sample counts for the
 * orchestrator that produced it, in the window it falls in.
 *
 * <p>Samples are not held: one that finds no snapshot for its orchestrator yet (the first minute of
 * a job, an orchestrator no gateway lists) counts in the network roll-up only, and is counted as
 * {@code metrics_unattributed_samples}. Key: the session id (stateless per key; the snapshots are
 * broadcast state).
 */
public class SampleAttribution
        extends KeyedBroadcastProcessFunction<
                String, QualitySample, Attribution.OrchestratorSnapshot, MetricsRow> {
    private static final long serialVersionUID = 1L;

    public static final String UNATTRIBUTED = "metrics_unattributed_samples";

    private final long maxSnapshotAgeMs;
    private final long forgetAfterMs;
    private transient Accounting accounting;

    public SampleAttribution(long maxSnapshotAgeMs, long forgetAfterMs) {
        this.maxSnapshotAgeMs = maxSnapshotAgeMs;
        this.forgetAfterMs = forgetAfterMs;
    }

    @Override
    public void open(OpenContext openContext) {
        accounting = new Accounting(getRuntimeContext());
    }

    @Override
    public void processElement(QualitySample q, ReadOnlyContext ctx, Collector<MetricsRow> out)
            throws Exception {
        Attribution.Resolution r =
                Attribution.resolve(
                        ctx.getBroadcastState(Attribution.SNAPSHOTS),
                        q.orchestratorUrl,
                        q.orchestratorAddress,
                        q.model,
                        q.eventTime,
                        maxSnapshotAgeMs);
        if (r.address() == null) {
            accounting.count(UNATTRIBUTED);
        }
        for (MetricsRow c : Demand.contributions(q, r)) {
            out.collect(c);
        }
    }

    @Override
    public void processBroadcastElement(
            Attribution.OrchestratorSnapshot snapshot, Context ctx, Collector<MetricsRow> out)
            throws Exception {
        Attribution.store(ctx.getBroadcastState(Attribution.SNAPSHOTS), snapshot, forgetAfterMs);
    }
}
