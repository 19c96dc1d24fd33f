package org.livepeer.naap.functions.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.livepeer.naap.functions.sessions.Sketches;
import org.livepeer.naap.schemas.output.MetricsRow;

/** The SLA formula worked by hand: components, benchmark scores, shrinkage, degradation. */
class SlaScoreTest {
    private static final long H = 1_768_478_400_000L;
    private static final long HOUR = 3_600_000L;
    private static final long SETTLE = 60_000L;
    private static final long FLOOR = 20;
    private static final String A = "0xaaaa000000000000000000000000000000000001";

    private KeyedOneInputStreamOperatorTestHarness<String, MetricsRow, MetricsRow> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new SlaScore(SETTLE, FLOOR)),
                        SlaScore.keySelector(),
                        Types.STRING);
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private static MetricsRow row(String scope, long start) {
        MetricsRow r = new MetricsRow();
        r.resolution = MetricsRow.HOUR;
        r.scope = scope;
        r.windowStart = start;
        r.windowEnd = start + HOUR;
        r.pipeline = "live-video-to-video";
        r.model = "streamdiffusion";
        if (MetricsRow.SCOPE_ORCHESTRATOR.equals(scope)) {
            r.orchestratorAddress = A;
        }
        return r;
    }

    private static byte[] sketch(double from, double step, int n) {
        byte[] s = null;
        for (int i = 0; i < n; i++) {
            s = Sketches.add(s, from + step * i);
        }
        return s;
    }

    private List<MetricsRow> run(MetricsRow... rows) throws Exception {
        for (MetricsRow r : rows) {
            harness.processElement(new StreamRecord<>(r, r.windowEnd + SETTLE));
        }
        harness.processWatermark(Long.MAX_VALUE);
        return harness.extractOutputValues();
    }

    @Test
    void aWellEvidencedHourAgainstTheBenchmarkOfTheHoursBefore() throws Exception {
        // The network the hour before: PTFF of 20 sessions 1000, 2000, ..., 20000 ms (nearest-rank
        // p50 10000, p90 18000); output fps of 20 samples 10, 11, ..., 29 (p10 11, p50 19).
        MetricsRow network = row(MetricsRow.SCOPE_NETWORK, H - HOUR);
        network.requested = 20;
        network.ptffSketch = sketch(1000, 1000, 20);
        network.fpsCount = 20;
        network.fpsSketch = sketch(10, 1, 20);

        // The orchestrator's hour: 20 requested, 90 % started, 10 % swapped, 5 % failed, PTFF
        // p50 14000 ms, no e2e, fps p50 25, coverage 0.9.
        MetricsRow o = row(MetricsRow.SCOPE_ORCHESTRATOR, H);
        o.requested = 20;
        o.startupSuccessRate = 0.9;
        o.swapRate = 0.1;
        o.failureRate = 0.05;
        o.ptffMsP50 = 14000.0;
        o.outputFpsP50 = 25.0;
        o.healthCoverage = 0.9;

        MetricsRow scored =
                run(o, network).stream()
                        .filter(r -> MetricsRow.SCOPE_ORCHESTRATOR.equals(r.scope))
                        .findFirst()
                        .orElseThrow();

        // reliability = 0.4 x 0.9 + 0.2 x 0.9 + 0.4 x 0.95 = 0.92
        assertThat(scored.slaReliability).isCloseTo(0.92, within(1e-9));
        // ptff (18000 - 14000) / (18000 - 10000) = 0.5 (the sketch's 1 % moves it by < 0.01);
        // e2e unknown: 0.5; latency 0.5. fps 25 >= p50: 1. quality = 0.6 x 0.5 + 0.4 x 1 = 0.7.
        assertThat(scored.slaQuality).isCloseTo(0.7, within(0.01));
        // sla = 100 x 0.9 x (0.7 x 0.92 + 0.3 x 0.7) = 76.86
        assertThat(scored.sla).isCloseTo(76.86, within(0.2));
    }

    @Test
    void thinEvidenceShrinksTowardNeutral() throws Exception {
        // One session, all good, no benchmark: each reliability component 0.1 x 1 + 0.9 x 0.5 =
        // 0.55; latency and fps neutral 0.5; sla = 100 x (0.7 x 0.55 + 0.3 x 0.5) = 53.5.
        MetricsRow o = row(MetricsRow.SCOPE_ORCHESTRATOR, H);
        o.requested = 1;
        o.startupSuccessRate = 1.0;
        o.swapRate = 0.0;
        o.failureRate = 0.0;
        o.ptffMsP50 = 1000.0;

        MetricsRow scored = run(o).get(0);

        assertThat(scored.slaReliability).isCloseTo(0.55, within(1e-9));
        assertThat(scored.sla).isCloseTo(53.5, within(1e-9));
    }

    @Test
    void nothingRequestedHasNoScore() throws Exception {
        MetricsRow o = row(MetricsRow.SCOPE_ORCHESTRATOR, H);
        o.fpsCount = 10;
        o.outputFpsMean = 20.0;

        assertThat(run(o).get(0).sla).isNull();
    }

    @Test
    void fpsDegradedAgainstTheSameKeysPreviousHour() throws Exception {
        MetricsRow before = row(MetricsRow.SCOPE_ORCHESTRATOR, H - HOUR);
        before.outputFpsMean = 20.0;
        MetricsRow dropped = row(MetricsRow.SCOPE_ORCHESTRATOR, H);
        dropped.outputFpsMean = 16.0;
        MetricsRow after = row(MetricsRow.SCOPE_ORCHESTRATOR, H + HOUR);
        after.outputFpsMean = 13.0;

        List<MetricsRow> out = run(after, dropped, before);

        // Applied in hour order: no previous hour; 16 <= 0.8 x 20 = 16: degraded; 13 > 12.8: not.
        assertThat(out).extracting(r -> r.fpsDegraded).containsExactly(null, true, false);
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void scoresMoveLinearlyBetweenTheBenchmarkPercentiles() {
        byte[] bench = sketch(1000, 1000, 20);
        assertThat(SlaScore.lowerIsBetter(9000.0, bench)).isEqualTo(1.0);
        assertThat(SlaScore.lowerIsBetter(19000.0, bench)).isEqualTo(0.0);
        assertThat(SlaScore.lowerIsBetter(null, bench)).isEqualTo(0.5);
        assertThat(SlaScore.higherIsBetter(5.0, sketch(10, 1, 20))).isEqualTo(0.0);
        assertThat(SlaScore.shrink(1.0, 0.3)).isCloseTo(0.65, within(1e-12));
    }
}
