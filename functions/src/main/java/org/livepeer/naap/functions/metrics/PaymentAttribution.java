package org.livepeer.naap.functions.metrics;

import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.livepeer.naap.schemas.output.MetricsRow;
import org.livepeer.naap.schemas.output.PaymentRow;

/**
 * Attributes each normalized payment to the orchestrator it pays ({@code orchestrator} URL, else
 * the {@code recipient} address) and the GPU of its model ({@code manifestID}'s model), by {@link
 * Attribution#resolve} over the broadcast snapshots, and turns its expected value into earnings
 * contributions in the window of the payment, for the orchestrator (when resolved) and the network
 * roll-up: {@code earnings_wei_per_hour} is the window's expected value over its busy (ONLINE)
 * hours. Key: the orchestrator URL (stateless per key).
 */
public class PaymentAttribution
        extends KeyedBroadcastProcessFunction<
                String, PaymentRow, Attribution.OrchestratorSnapshot, MetricsRow> {
    private static final long serialVersionUID = 1L;

    private final long maxSnapshotAgeMs;
    private final long forgetAfterMs;

    public PaymentAttribution(long maxSnapshotAgeMs, long forgetAfterMs) {
        this.maxSnapshotAgeMs = maxSnapshotAgeMs;
        this.forgetAfterMs = forgetAfterMs;
    }

    @Override
    public void processElement(PaymentRow p, ReadOnlyContext ctx, Collector<MetricsRow> out)
            throws Exception {
        if (p.expectedValueWei == null) {
            return;
        }
        Attribution.Resolution r =
                Attribution.resolve(
                        ctx.getBroadcastState(Attribution.SNAPSHOTS),
                        p.orchestratorUrl,
                        p.recipient,
                        p.model,
                        p.eventTime,
                        maxSnapshotAgeMs);
        double wei = p.expectedValueWei.doubleValue();
        if (r.address() != null) {
            MetricsRow o = contribution(p, wei);
            o.scope = MetricsRow.SCOPE_ORCHESTRATOR;
            o.orchestratorAddress = r.address();
            o.gpuId = r.gpuId();
            o.gpuName = r.gpuName();
            out.collect(o);
        }
        MetricsRow n = contribution(p, wei);
        n.scope = MetricsRow.SCOPE_NETWORK;
        out.collect(n);
    }

    private static MetricsRow contribution(PaymentRow p, double wei) {
        MetricsRow c = new MetricsRow();
        c.windowStart = p.eventTime;
        c.model = p.model;
        c.earnedWei = wei;
        return c;
    }

    @Override
    public void processBroadcastElement(
            Attribution.OrchestratorSnapshot snapshot, Context ctx, Collector<MetricsRow> out)
            throws Exception {
        Attribution.store(ctx.getBroadcastState(Attribution.SNAPSHOTS), snapshot, forgetAfterMs);
    }
}
