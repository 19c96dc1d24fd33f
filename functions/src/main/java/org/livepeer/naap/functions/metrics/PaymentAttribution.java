package org.livepeer.naap.functions.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
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
 * the later payments of the same {@code sessionID} to the same orchestrator.
 *
 * <p>Payments are applied in event-time order once the watermark passes them (at the same time:
 * those naming a model first, then by event id), so "the earlier payment" is the earlier in time
 * whatever order they arrive in, and each is attributed with the snapshots in force at its time
 * ({@link Attribution#resolveAsOf}). Its contributions go out at its time.
 *
 * <p>Key: the orchestrator URL; state {@code payment-buffer} (payments by time, until the watermark
 * passes them), {@code payment-models} ({@code sessionID} to model) and {@code payment-models-last}
 * (its last payment time), the model forgotten {@link #MODEL_IDLE_MS} after the last payment by a
 * sweep timer (and a processing-time TTL of one day behind all three).
 */
public class PaymentAttribution
        extends KeyedBroadcastProcessFunction<
                String, PaymentRow, Attribution.OrchestratorSnapshot, MetricsRow> {
    private static final long serialVersionUID = 1L;

    /** A payment session's model is forgotten this long after its last payment (5 min). */
    static final long MODEL_IDLE_MS = 5 * 60_000L;

    private final long maxSnapshotAgeMs;
    private final long forgetAfterMs;

    /** Payments of one time in the order they are applied. */
    static final Comparator<PaymentRow> SAME_TIME_ORDER =
            Comparator.comparingLong((PaymentRow p) -> p.eventTime)
                    .thenComparing(p -> p.model == null)
                    .thenComparing(p -> p.eventId, Comparator.nullsFirst(Comparator.naturalOrder()))
                    .thenComparing(
                            p -> p.paymentSessionId,
                            Comparator.nullsFirst(Comparator.naturalOrder()))
                    .thenComparing(
                            p -> p.expectedValueWei,
                            Comparator.nullsFirst(Comparator.naturalOrder()));

    private transient MapState<Long, List<PaymentRow>> buffer;
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
        MapStateDescriptor<Long, List<PaymentRow>> b =
                new MapStateDescriptor<>(
                        "payment-buffer",
                        Types.LONG,
                        Types.LIST(TypeInformation.of(PaymentRow.class)));
        m.enableTimeToLive(ttl);
        l.enableTimeToLive(ttl);
        b.enableTimeToLive(ttl);
        buffer = getRuntimeContext().getMapState(b);
        models = getRuntimeContext().getMapState(m);
        lastPayment = getRuntimeContext().getMapState(l);
    }

    @Override
    public void processElement(PaymentRow p, ReadOnlyContext ctx, Collector<MetricsRow> out)
            throws Exception {
        if (p.expectedValueWei == null) {
            return;
        }
        List<PaymentRow> atTime = buffer.get(p.eventTime);
        if (atTime == null) {
            atTime = new ArrayList<>();
        }
        atTime.add(p);
        // Cleared by the timer at this time (a payment behind the watermark fires at the next).
        buffer.put(p.eventTime, atTime);
        ctx.timerService().registerEventTimeTimer(p.eventTime);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<MetricsRow> out)
            throws Exception {
        // Forget first: a payment exactly MODEL_IDLE_MS after the last no longer finds its model.
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
        List<PaymentRow> due = buffer.get(timestamp);
        if (due == null) {
            return;
        }
        buffer.remove(timestamp);
        due.sort(SAME_TIME_ORDER);
        for (PaymentRow p : due) {
            apply(p, ctx, out);
        }
    }

    private void apply(PaymentRow p, OnTimerContext ctx, Collector<MetricsRow> out)
            throws Exception {
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
                Attribution.resolveAsOf(
                        ctx.getBroadcastState(Attribution.SNAPSHOT_HISTORY),
                        p.orchestratorUrl,
                        p.recipient,
                        p.model,
                        p.eventTime,
                        maxSnapshotAgeMs,
                        forgetAfterMs);
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
        Attribution.storeHistory(
                ctx.getBroadcastState(Attribution.SNAPSHOT_HISTORY),
                snapshot,
                ctx.currentWatermark(),
                forgetAfterMs);
    }
}
