package org.livepeer.naap.functions.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.typeinfo.Types;
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
 * hours.
 *
 * <p>Live-AI payments after a session's first carry a manifest id that names no model; they carry
 * the first one's {@code sessionID}, so the model learned from a payment that names one is given to
 * the later payments of the same {@code sessionID} to the same orchestrator. Key: the orchestrator
 * URL; state {@code payment-models} ({@code sessionID} to model) and {@code payment-models-last}
 * (its last payment time), forgotten {@link #MODEL_IDLE_MS} after the last payment by a sweep timer
 * (and a processing-time TTL of one day behind it).
 */
public class PaymentAttribution
        extends KeyedBroadcastProcessFunction<
                String, PaymentRow, Attribution.OrchestratorSnapshot, MetricsRow> {
    private static final long serialVersionUID = 1L;

    /** A payment session's model is forgotten this long after its last payment (5 min). */
    static final long MODEL_IDLE_MS = 5 * 60_000L;

    private final long maxSnapshotAgeMs;
    private final long forgetAfterMs;
    private transient MapState<String, String> models;
    private transient MapState<String, Long> lastPayment;

    public PaymentAttribution(long maxSnapshotAgeMs, long forgetAfterMs) {
        this.maxSnapshotAgeMs = maxSnapshotAgeMs;
        this.forgetAfterMs = forgetAfterMs;
    }

    @Override
    public void open(OpenContext openContext) {
        StateTtlConfig ttl =
                StateTtlConfig.newBuilder(java.time.Duration.ofDays(1))
                        .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                        .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                        .build();
        MapStateDescriptor<String, String> m =
                new MapStateDescriptor<>("payment-models", Types.STRING, Types.STRING);
        MapStateDescriptor<String, Long> l =
                new MapStateDescriptor<>("payment-models-last", Types.STRING, Types.LONG);
        m.enableTimeToLive(ttl);
        l.enableTimeToLive(ttl);
        models = getRuntimeContext().getMapState(m);
        lastPayment = getRuntimeContext().getMapState(l);
    }

    @Override
    public void processElement(PaymentRow p, ReadOnlyContext ctx, Collector<MetricsRow> out)
            throws Exception {
        if (p.expectedValueWei == null) {
            return;
        }
        String session = p.paymentSessionId;
        if (session != null && !session.isEmpty()) {
            if (p.model != null) {
                models.put(session, p.model);
            } else {
                String known = models.get(session);
                if (known != null) {
                    p.model = known;
                }
            }
            if (p.model != null) {
                Long before = lastPayment.get(session);
                lastPayment.put(session, Math.max(p.eventTime, before == null ? 0 : before));
                // The sweep then forgets it unless a later payment moved its last time.
                ctx.timerService().registerEventTimeTimer(p.eventTime + MODEL_IDLE_MS);
            }
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
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<MetricsRow> out)
            throws Exception {
        List<String> idle = new ArrayList<>();
        for (Map.Entry<String, Long> e : lastPayment.entries()) {
            if (e.getValue() + MODEL_IDLE_MS <= timestamp) {
                idle.add(e.getKey());
            }
        }
        for (String session : idle) {
            lastPayment.remove(session);
            models.remove(session);
        }
    }

    @Override
    public void processBroadcastElement(
            Attribution.OrchestratorSnapshot snapshot, Context ctx, Collector<MetricsRow> out)
            throws Exception {
        Attribution.store(ctx.getBroadcastState(Attribution.SNAPSHOTS), snapshot, forgetAfterMs);
    }
}
