package org.livepeer.naap.functions.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.livepeer.naap.schemas.TelemetryEvent;
import org.livepeer.naap.schemas.output.SessionFact;

/** Payments reach their session: by request id, then by payment session and orchestrator. */
class PaymentJoinTest extends SessionTestBase {
    private static final String PAYMENT_SESSION = "ps-1";
    private static final String FIRST_MANIFEST = "8_streamdiffusion-sdxl";
    private static final String MANIFEST = "manifest-xyz";
    private static final long WAIT = CONFIG.paymentWait().toMillis();
    private static final long MAPPING_IDLE = CONFIG.paymentMappingIdle().toMillis();

    private KeyedOneInputStreamOperatorTestHarness<String, TelemetryEvent, TelemetryEvent> router;

    @BeforeEach
    void setUp() throws Exception {
        router =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new PaymentRouter(CONFIG)),
                        PaymentRouter.keySelector(),
                        Types.STRING);
        router.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        router.close();
    }

    /** 2,402,400,000,000,000 wei x 0.0000125 = 30,030,000,000 wei. */
    private static TelemetryEvent first(long time) {
        return payment(
                time,
                PAYMENT_SESSION,
                REQUEST,
                FIRST_MANIFEST,
                "2402400000000000 WEI",
                "0.0000125",
                ORCH_A_URL);
    }

    /** 0.0034 ETH x 0.001 = 3,400,000,000,000 wei; the orchestrator URL in other case. */
    private static TelemetryEvent later(long time) {
        return payment(
                time,
                PAYMENT_SESSION,
                "",
                MANIFEST,
                "0.0034 ETH",
                "0.001",
                ORCH_A_URL.toUpperCase());
    }

    @Test
    void laterPaymentsTakeTheRequestIdOfTheFirstAndAnEarlyOneWaitsForIt() throws Exception {
        // The third payment overtakes the first: it waits until the mapping is learned.
        send(router, later(T0 + 42 * SECOND));
        assertThat(router.extractOutputValues()).isEmpty();
        send(router, first(T0 + 2 * SECOND), later(T0 + 22 * SECOND));

        List<TelemetryEvent> routed = router.extractOutputValues();
        assertThat(routed)
                .extracting(e -> e.eventTime)
                .containsExactly(T0 + 2 * SECOND, T0 + 42 * SECOND, T0 + 22 * SECOND);
        assertThat(routed).allSatisfy(e -> assertThat(e.requestId).isEqualTo(REQUEST));
        assertThat(routed)
                .allSatisfy(e -> assertThat(SessionKeys.routingKey(e)).isEqualTo("r:" + REQUEST));
        assertThat(router.getSideOutput(PaymentRouter.UNMATCHED_PAYMENTS)).isNull();

        KeyedOneInputStreamOperatorTestHarness<String, TelemetryEvent, SessionFact> tracker =
                tracker(CONFIG);
        send(tracker, request(T0));
        send(tracker, routed.toArray(new TelemetryEvent[0]));
        send(tracker, close(T0 + 60 * SECOND));
        tracker.processWatermark(T0 + 60 * SECOND);

        SessionFact f = finals(tracker).get(0);
        assertThat(f.payments).isEqualTo(3);
        // 30,030,000,000 + 3,400,000,000,000 + 3,400,000,000,000.
        assertThat(f.paymentsWei).isEqualTo("6830030000000");
        assertThat(f.paymentSessionId).isEqualTo(PAYMENT_SESSION);
        assertThat(f.manifestId).isEqualTo(MANIFEST);
        tracker.close();
    }

    @Test
    void paymentWithoutALearnedRequestIdIsUnmatchedAfterTheWait() throws Exception {
        TelemetryEvent otherOrchestrator =
                payment(T0, PAYMENT_SESSION, "", MANIFEST, "1 ETH", "0.5", ORCH_B_URL);
        send(router, first(T0), otherOrchestrator);
        assertThat(router.extractOutputValues()).hasSize(1);

        router.processWatermark(T0 + WAIT - 1);
        assertThat(router.getSideOutput(PaymentRouter.UNMATCHED_PAYMENTS)).isNull();
        router.processWatermark(T0 + WAIT);
        assertThat(router.getSideOutput(PaymentRouter.UNMATCHED_PAYMENTS))
                .extracting(r -> r.getValue().eventId)
                .containsExactly(otherOrchestrator.eventId);
    }

    @Test
    void routerForgetsTheMappingAfterInactivityAndItsStateReturnsToZero() throws Exception {
        send(router, first(T0), later(T0 + 20 * SECOND));
        assertThat(router.numKeyedStateEntries()).isPositive();
        router.processWatermark(T0 + 20 * SECOND + MAPPING_IDLE);
        assertThat(router.numKeyedStateEntries()).isZero();
        assertThat(router.numEventTimeTimers()).isZero();

        // A later payment after that waits, in vain.
        send(router, later(T0 + 20 * SECOND + MAPPING_IDLE + SECOND));
        router.processWatermark(T0 + 20 * SECOND + MAPPING_IDLE + SECOND + WAIT);
        assertThat(router.getSideOutput(PaymentRouter.UNMATCHED_PAYMENTS)).hasSize(1);
        assertThat(router.numKeyedStateEntries()).isZero();
        assertThat(router.numEventTimeTimers()).isZero();
    }

    @Test
    void paymentBeforeItsSessionWaitsForTheSessionInTheTracker() throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, TelemetryEvent, SessionFact> tracker =
                tracker(CONFIG);
        send(router, first(T0 - SECOND));
        send(tracker, router.extractOutputValues().toArray(new TelemetryEvent[0]));
        tracker.processWatermark(T0 - SECOND);
        send(tracker, request(T0), close(T0 + 10 * SECOND));
        tracker.processWatermark(T0 + 10 * SECOND);

        SessionFact f = finals(tracker).get(0);
        assertThat(f.payments).isEqualTo(1);
        assertThat(f.paymentsWei).isEqualTo("30030000000");
        assertThat(f.paymentSessionId).isEqualTo(PAYMENT_SESSION);
        assertThat(f.manifestId).isNull();
        tracker.processWatermark(T0 + 10 * SECOND + RETAIN);
        assertThat(tracker.numKeyedStateEntries()).isZero();
        assertThat(tracker.numEventTimeTimers()).isZero();
        tracker.close();
    }

    @Test
    void paymentWhoseSessionNeverShowsIsUnmatchedInTheTracker() throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, TelemetryEvent, SessionFact> tracker =
                tracker(CONFIG);
        send(router, first(T0));
        send(tracker, router.extractOutputValues().toArray(new TelemetryEvent[0]));
        tracker.processWatermark(T0 + WAIT);
        assertThat(tracker.getSideOutput(SessionTracker.UNMATCHED_PAYMENTS)).hasSize(1);
        assertThat(tracker.extractOutputValues()).isEmpty();
        assertThat(tracker.numKeyedStateEntries()).isZero();
        assertThat(tracker.numEventTimeTimers()).isZero();
        tracker.close();
    }
}
