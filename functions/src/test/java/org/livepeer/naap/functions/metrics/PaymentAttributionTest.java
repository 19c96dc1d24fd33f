package org.livepeer.naap.functions.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
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
                                Attribution.SNAPSHOTS)) {
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

            List<MetricsRow> out = h.extractOutputValues();
            // Two for the first (A, GPU-1, and the roll-up); the roll-up only for the unknown
            // orchestrator; nothing without an expected value.
            assertThat(out)
                    .extracting(m -> m.scope + " " + m.orchestratorAddress + " " + m.gpuId)
                    .containsExactly(
                            "orchestrator " + A + " GPU-1",
                            "network null null",
                            "network null null");
            assertThat(out)
                    .extracting(m -> m.earnedWei)
                    .containsExactly(2.4024e13, 2.4024e13, 1000.0);
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
                                Attribution.SNAPSHOTS)) {
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
            h.processElement(first, first.eventTime);
            h.processElement(later, later.eventTime);
            h.processElement(other, other.eventTime);

            assertThat(h.extractOutputValues())
                    .extracting(m -> m.model)
                    .containsExactly("streamdiffusion", "streamdiffusion", null);

            // Five minutes after S's last payment its model is forgotten.
            long forgotten = T0 + 25_000 + PaymentAttribution.MODEL_IDLE_MS;
            h.processWatermark(new Watermark(forgotten));
            h.processBroadcastWatermark(new Watermark(forgotten));
            PaymentRow late = payment(URI_A, "1000");
            late.paymentSessionId = "S";
            late.model = null;
            late.eventTime = forgotten + 1;
            h.processElement(late, late.eventTime);
            List<MetricsRow> out = h.extractOutputValues();
            assertThat(out.get(out.size() - 1).model).isNull();
        }
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
