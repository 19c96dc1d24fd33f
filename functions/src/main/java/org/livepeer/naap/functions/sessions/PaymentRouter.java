package org.livepeer.naap.functions.sessions;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Locale;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.livepeer.naap.functions.Accounting;
import org.livepeer.naap.schemas.EventParser;
import org.livepeer.naap.schemas.TelemetryEvent;
import org.livepeer.naap.schemas.family.CreateNewPayment;
import org.livepeer.naap.schemas.family.Families;
import org.livepeer.naap.schemas.family.FamilyPayload;
import org.livepeer.naap.schemas.family.InvalidPayloadException;

/**
 * Gives every {@code create_new_payment} the request id of its session (METRICS.md, {@code
 * payments}): a payment joins the session whose request id equals its {@code requestID}; live-AI
 * payments after the first carry an empty {@code requestID} and join the session that an earlier
 * payment with the same {@code sessionID} and {@code orchestrator} joined.
 *
 * <p>Key: {@link #key} ({@code sessionID|orchestrator}, the orchestrator lower-cased). State:
 * {@code payment-request-id}, the request id learned from the key's payment that carried one, and
 * {@code payment-forget-at}, the event time at which it is forgotten ({@code paymentMappingIdle}
 * after the key's latest payment); {@code payment-waiting} (at most {@code maxWaitingPayments}) and
 * {@code payment-waiting-until}, payments that arrived before the mapping was learned. Timers
 * (event time): one at {@code payment-forget-at}, moved on every payment, which clears the mapping;
 * one at {@code payment-waiting-until} ({@code paymentWait} after the first waiting payment), which
 * sends the waiting payments to {@link #UNMATCHED_PAYMENTS}. Every state has a processing-time TTL
 * of {@code stateTtl} behind the timers.
 *
 * <p>Output: a copy of each payment with {@link TelemetryEvent#requestId} set, for {@link
 * SessionKeys#routingKey}. Side output {@link #UNMATCHED_PAYMENTS}: payments whose request id was
 * never learned within the wait (or that found the wait full), counted as {@code
 * unmatched_payments}. Late data: handled like any other; a payment with an empty {@code requestID}
 * after its mapping was forgotten waits and ends unmatched.
 */
public class PaymentRouter extends KeyedProcessFunction<String, TelemetryEvent, TelemetryEvent> {
    private static final long serialVersionUID = 1L;

    public static final String UNMATCHED_PAYMENTS_COUNT = "unmatched_payments";

    public static final OutputTag<TelemetryEvent> UNMATCHED_PAYMENTS =
            new OutputTag<>("unmatched-payments") {};

    private final SessionConfig config;

    private transient ValueState<String> requestId;
    private transient ValueState<Long> forgetAt;
    private transient ListState<TelemetryEvent> waiting;
    private transient ValueState<Integer> waitingCount;
    private transient ValueState<Long> waitingUntil;
    private transient ObjectMapper mapper;
    private transient Accounting accounting;

    public PaymentRouter(SessionConfig config) {
        this.config = config;
    }

    public PaymentRouter() {
        this(SessionConfig.defaults());
    }

    /** The router's key of a payment: {@code sessionID|orchestrator}, lower-cased orchestrator. */
    public static String key(CreateNewPayment p) {
        String orchestrator =
                p.orchestrator() == null ? "" : p.orchestrator().toLowerCase(Locale.ROOT);
        return (p.sessionId() == null ? "" : p.sessionId()) + "|" + orchestrator;
    }

    /** The key selector: decodes the payment (with its own mapper) and applies {@link #key}. */
    public static KeySelector<TelemetryEvent, String> keySelector() {
        return new PaymentKey();
    }

    @Override
    public void open(OpenContext openContext) {
        StateTtlConfig ttl =
                StateTtlConfig.newBuilder(config.stateTtl())
                        .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                        .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                        .build();
        ValueStateDescriptor<String> requestIdDescriptor =
                new ValueStateDescriptor<>("payment-request-id", Types.STRING);
        ValueStateDescriptor<Long> forgetAtDescriptor =
                new ValueStateDescriptor<>("payment-forget-at", Types.LONG);
        ListStateDescriptor<TelemetryEvent> waitingDescriptor =
                new ListStateDescriptor<>(
                        "payment-waiting", TypeInformation.of(TelemetryEvent.class));
        ValueStateDescriptor<Integer> waitingCountDescriptor =
                new ValueStateDescriptor<>("payment-waiting-count", Types.INT);
        ValueStateDescriptor<Long> waitingUntilDescriptor =
                new ValueStateDescriptor<>("payment-waiting-until", Types.LONG);
        requestIdDescriptor.enableTimeToLive(ttl);
        forgetAtDescriptor.enableTimeToLive(ttl);
        waitingDescriptor.enableTimeToLive(ttl);
        waitingCountDescriptor.enableTimeToLive(ttl);
        waitingUntilDescriptor.enableTimeToLive(ttl);
        requestId = getRuntimeContext().getState(requestIdDescriptor);
        forgetAt = getRuntimeContext().getState(forgetAtDescriptor);
        waiting = getRuntimeContext().getListState(waitingDescriptor);
        waitingCount = getRuntimeContext().getState(waitingCountDescriptor);
        waitingUntil = getRuntimeContext().getState(waitingUntilDescriptor);
        mapper = EventParser.newObjectMapper();
        accounting = new Accounting(getRuntimeContext());
    }

    @Override
    public void processElement(TelemetryEvent event, Context ctx, Collector<TelemetryEvent> out)
            throws Exception {
        CreateNewPayment payment;
        try {
            FamilyPayload payload = Families.decode(mapper, event);
            if (!(payload instanceof CreateNewPayment)) {
                unmatched(event, ctx);
                return;
            }
            payment = (CreateNewPayment) payload;
        } catch (InvalidPayloadException e) {
            unmatched(event, ctx);
            return;
        }
        long now = Math.max(event.eventTime, ctx.timerService().currentWatermark());
        String own = payment.requestId();
        String learned = own != null ? own : requestId.value();
        if (learned == null) {
            hold(event, now, ctx);
            return;
        }
        out.collect(routed(event, learned));
        if (own != null) {
            requestId.update(own);
            releaseWaiting(own, ctx, out);
        }
        moveForgetTimer(now + config.paymentMappingIdle().toMillis(), ctx);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TelemetryEvent> out)
            throws Exception {
        Long until = waitingUntil.value();
        if (until != null && until <= timestamp) {
            for (TelemetryEvent p : waiting.get()) {
                unmatched(p, ctx);
            }
            clearWaiting();
        }
        Long forget = forgetAt.value();
        if (forget != null && forget <= timestamp) {
            requestId.clear();
            forgetAt.clear();
        }
    }

    private void hold(TelemetryEvent event, long now, Context ctx) throws Exception {
        int count = waitingCount.value() == null ? 0 : waitingCount.value();
        if (count >= config.maxWaitingPayments()) {
            unmatched(event, ctx);
            return;
        }
        // Cleared when the mapping is learned, or by the timer at the deadline.
        waiting.add(event);
        waitingCount.update(count + 1);
        if (waitingUntil.value() == null) {
            long deadline = now + config.paymentWait().toMillis();
            waitingUntil.update(deadline);
            ctx.timerService().registerEventTimeTimer(deadline);
        }
    }

    private void releaseWaiting(String learned, Context ctx, Collector<TelemetryEvent> out)
            throws Exception {
        Long until = waitingUntil.value();
        if (until == null) {
            return;
        }
        for (TelemetryEvent p : waiting.get()) {
            out.collect(routed(p, learned));
        }
        clearWaiting();
        if (!until.equals(forgetAt.value())) {
            ctx.timerService().deleteEventTimeTimer(until);
        }
    }

    private void clearWaiting() {
        waiting.clear();
        waitingCount.clear();
        waitingUntil.clear();
    }

    private void moveForgetTimer(long at, Context ctx) throws Exception {
        Long old = forgetAt.value();
        if (old != null && old == at) {
            return;
        }
        if (old != null && !old.equals(waitingUntil.value())) {
            ctx.timerService().deleteEventTimeTimer(old);
        }
        forgetAt.update(at);
        ctx.timerService().registerEventTimeTimer(at);
    }

    private void unmatched(TelemetryEvent e, Context ctx) {
        accounting.count(UNMATCHED_PAYMENTS_COUNT);
        ctx.output(UNMATCHED_PAYMENTS, e);
    }

    private static TelemetryEvent routed(TelemetryEvent e, String requestId) {
        TelemetryEvent copy = e.copy();
        copy.requestId = requestId;
        return copy;
    }

    /** Decodes each payment to find its key; the mapper is created once per task. */
    private static final class PaymentKey implements KeySelector<TelemetryEvent, String> {
        private static final long serialVersionUID = 1L;
        private transient ObjectMapper mapper;

        @Override
        public String getKey(TelemetryEvent event) {
            if (mapper == null) {
                mapper = EventParser.newObjectMapper();
            }
            try {
                FamilyPayload payload = Families.decode(mapper, event);
                if (payload instanceof CreateNewPayment) {
                    return key((CreateNewPayment) payload);
                }
            } catch (InvalidPayloadException e) {
                // Falls through: such an event reaches the router, which sends it to unmatched.
            }
            return "|";
        }
    }
}
