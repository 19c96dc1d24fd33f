package org.livepeer.naap.functions.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
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
