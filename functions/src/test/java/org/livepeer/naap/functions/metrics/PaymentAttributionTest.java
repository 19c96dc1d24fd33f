package org.livepeer.naap.functions.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;
import org.livepeer.naap.schemas.output.CapabilityRow;
import org.livepeer.naap.schemas.output.MetricsRow;
import org.livepeer.naap.schemas.output.PaymentRow;

/** Payments become earnings of the orchestrator they pay, per busy hour. */
class PaymentAttributionTest {
    private static final long T0 = 1_768_478_400_000L;
    private static final String A = "0xaaaa000000000000000000000000000000000001";
    private static final String URI_A = "https://orch-a.example:8935";

    private static PaymentRow payment(String url, String ev) {
        PaymentRow p = new PaymentRow();
        p.eventId = "p1";
        p.eventTime = T0 + 5_000;
        p.orchestratorUrl = url;
        p.model = "streamdiffusion";
        p.expectedValueWei = ev == null ? null : new BigDecimal(ev);
        return p;
    }

    @Test
    void aPaymentCountsForItsOrchestratorAndTheRollUp() throws Exception {
        try (KeyedBroadcastOperatorTestHarness<
                        String, PaymentRow, Attribution.OrchestratorSnapshot, MetricsRow>
                h =
                        ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                                new PaymentAttribution(600_000, 3_600_000),
                                p -> p.orchestratorUrl,
                                Types.STRING,
                                Attribution.SNAPSHOT_HISTORY)) {
            CapabilityRow r = new CapabilityRow();
            r.snapshotTime = T0;
            r.eventId = "e1";
            r.orchestratorAddress = A;
            r.orchUri = URI_A;
            r.model = "streamdiffusion";
            r.gpuId = "GPU-1";
            h.processBroadcastElement(Attribution.OrchestratorSnapshot.of(List.of(r)).get(0), T0);

            h.processElement(payment(URI_A, "24024000000000"), T0 + 5_000);
            h.processElement(payment("https://unknown.example:8935", "1000"), T0 + 5_000);
            h.processElement(payment(URI_A, null), T0 + 5_000);
            // Applied once the watermark (of both inputs) passes their time.
            assertThat(h.extractOutputValues()).isEmpty();
            watermark(h, T0 + 5_000);

            List<MetricsRow> out = h.extractOutputValues();
            // Two for the first (A, GPU-1, and the roll-up); the roll-up only for the unknown
            // orchestrator; nothing without an expected value.
            assertThat(out)
                    .extracting(
                            m ->
                                    m.scope
                                            + " "
                                            + m.orchestratorAddress
                                            + " "
                                            + m.gpuId
                                            + " "
                                            + m.earnedWei)
                    .containsExactlyInAnyOrder(
                            "orchestrator " + A + " GPU-1 2.4024E13",
                            "network null null 2.4024E13",
                            "network null null 1000.0");
            assertThat(keyedStateEntries(h)).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void laterLivePaymentsTakeTheModelOfTheirSessionsFirst() throws Exception {
        try (KeyedBroadcastOperatorTestHarness<
                        String, PaymentRow, Attribution.OrchestratorSnapshot, MetricsRow>
                h =
                        ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                                new PaymentAttribution(600_000, 3_600_000),
                                p -> p.orchestratorUrl,
                                Types.STRING,
                                Attribution.SNAPSHOT_HISTORY)) {
            // The first payment of payment session S names its model; the next, 20 s later,
            // names none (its manifest is the trickle id): it takes S's. One of another session
            // T stays without a model. (No snapshot: each counts in the roll-up only.)
            PaymentRow first = payment(URI_A, "1000");
            first.paymentSessionId = "S";
            PaymentRow later = payment(URI_A, "1000");
            later.paymentSessionId = "S";
            later.model = null;
            later.eventTime = T0 + 25_000;
            PaymentRow other = payment(URI_A, "1000");
            other.paymentSessionId = "T";
            other.model = null;
            // The later one arrives first: what counts is which came first in event time.
            h.processElement(later, later.eventTime);
            h.processElement(other, other.eventTime);
            h.processElement(first, first.eventTime);
            watermark(h, T0 + 25_000);

            // In time order: S's first and T's (at 5 s), then S's later one (at 25 s).
            assertThat(h.extractOutputValues())
                    .extracting(m -> m.model)
                    .containsExactly("streamdiffusion", null, "streamdiffusion");

            // Five minutes after S's last payment its model is forgotten.
            long forgotten = T0 + 25_000 + PaymentAttribution.MODEL_IDLE_MS;
            watermark(h, forgotten);
            PaymentRow late = payment(URI_A, "1000");
            late.paymentSessionId = "S";
            late.model = null;
            late.eventTime = forgotten + 1;
            h.processElement(late, late.eventTime);
            watermark(h, late.eventTime);
            List<MetricsRow> out = h.extractOutputValues();
            assertThat(out.get(out.size() - 1).model).isNull();
            // Its sweep timer forgets S again; then nothing is held.
            watermark(h, late.eventTime + PaymentAttribution.MODEL_IDLE_MS);
            assertThat(keyedStateEntries(h)).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void aPaymentIsAttributedWithTheSnapshotInForceAtItsTime() throws Exception {
        try (KeyedBroadcastOperatorTestHarness<
                        String, PaymentRow, Attribution.OrchestratorSnapshot, MetricsRow>
                h =
                        ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                                new PaymentAttribution(600_000, 3_600_000),
                                p -> p.orchestratorUrl,
                                Types.STRING,
                                Attribution.SNAPSHOT_HISTORY)) {
            // A's snapshot at T0 lists GPU-1, the one at T0 + 10 s GPU-2. A payment at T0 + 5 s
            // is on GPU-1, whether the later snapshot arrived before it or not; one at T0 + 10 s
            // on GPU-2, whether it arrived before that snapshot or not.
            h.processBroadcastElement(snapshot("e2", T0 + 10_000, "GPU-2"), T0 + 10_000);
            PaymentRow early = payment(URI_A, "1000");
            PaymentRow atSecond = payment(URI_A, "2000");
            atSecond.eventId = "p2";
            atSecond.eventTime = T0 + 10_000;
            h.processElement(atSecond, atSecond.eventTime);
            h.processElement(early, early.eventTime);
            h.processBroadcastElement(snapshot("e1", T0, "GPU-1"), T0);
            watermark(h, T0 + 10_000);

            assertThat(h.extractOutputValues())
                    .filteredOn(m -> MetricsRow.SCOPE_ORCHESTRATOR.equals(m.scope))
                    .extracting(m -> m.gpuId + " " + m.earnedWei)
                    .containsExactly("GPU-1 1000.0", "GPU-2 2000.0");
            assertThat(keyedStateEntries(h)).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    private static Attribution.OrchestratorSnapshot snapshot(String eventId, long at, String gpu) {
        CapabilityRow r = new CapabilityRow();
        r.snapshotTime = at;
        r.eventId = eventId;
        r.orchestratorAddress = A;
        r.orchUri = URI_A;
        r.model = "streamdiffusion";
        r.gpuId = gpu;
        return Attribution.OrchestratorSnapshot.of(List.of(r)).get(0);
    }

    /** The keyed state entries the operator holds (heap backend), for boundedness. */
    private static int keyedStateEntries(KeyedBroadcastOperatorTestHarness<?, ?, ?, ?> h) {
        return ((HeapKeyedStateBackend<?>)
                        ((AbstractStreamOperator<?>) h.getOperator()).getKeyedStateBackend())
                .numKeyValueStateEntries();
    }

    private static void watermark(
            KeyedBroadcastOperatorTestHarness<
                            String, PaymentRow, Attribution.OrchestratorSnapshot, MetricsRow>
                    h,
            long at)
            throws Exception {
        h.processWatermark(new Watermark(at));
        h.processBroadcastWatermark(new Watermark(at));
    }

    @Test
    void earningsArePerBusyHour() {
        // 2.4024e13 wei earned while sessions were ONLINE 1800 s: 4.8048e13 wei per hour.
        MetricsRow m = new MetricsRow();
        m.windowStart = T0;
        m.windowEnd = T0 + 3_600_000;
        m.earnedWei = 2.4024e13;
        m.busySeconds = 1800;
        Demand.finish(m);
        assertThat(m.earningsWeiPerHour).isEqualTo(4.8048e13);
        // On average half a session online over the hour.
        assertThat(m.activeSessionsMean).isEqualTo(0.5);
    }
}
