package org.livepeer.naap.functions.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.TimeUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.livepeer.naap.functions.metrics.Demand;
import org.livepeer.naap.schemas.output.MetricsRow;

/** The metric rules evaluated by hand over 1-minute and 1-hour rows of one key. */
class MetricRulesTest {
    private static final long T0 = 1_768_478_400_000L; // 2026-01-15T12:00:00Z
    private static final long MIN = 60_000L;
    private static final long HOUR = 3_600_000L;
    private static final long SETTLE = 60_000L;
    private static final String A = "0xaaaa000000000000000000000000000000000001";
    private static final String ENTITY = "orchestrator:" + A + " model=streamdiffusion gpu=GPU-1";

    private KeyedOneInputStreamOperatorTestHarness<String, MetricsRow, AlertSignal> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = open(AlertConfig.defaults());
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, MetricsRow, AlertSignal> open(
            AlertConfig config) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, MetricsRow, AlertSignal> h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new MetricRules(config, SETTLE)),
                        Demand::keyOf,
                        Types.STRING);
        h.open();
        return h;
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private static MetricsRow minute(int m, long requested, long unexcused) {
        MetricsRow r = new MetricsRow();
        r.resolution = MetricsRow.MINUTE;
        r.scope = MetricsRow.SCOPE_ORCHESTRATOR;
        r.orchestratorAddress = A;
        r.model = "streamdiffusion";
        r.gpuId = "GPU-1";
        r.windowStart = T0 + m * MIN;
        r.windowEnd = r.windowStart + MIN;
        r.requested = requested;
        r.unexcused = unexcused;
        return r;
    }

    /** A row comes out {@code settle} after its window, then event time moves on to there. */
    private void emit(MetricsRow r) throws Exception {
        harness.processElement(new StreamRecord<>(r, r.windowEnd + SETTLE));
        harness.processWatermark(r.windowEnd + SETTLE);
    }

    private List<AlertSignal> signals(String rule) {
        return harness.extractOutputValues().stream().filter(s -> s.rule.equals(rule)).toList();
    }

    @Test
    void startupFailuresOverFiveMinutesWithTwentyRequested() throws Exception {
        // Minutes 0-4, 5 requested each; unexcused 0, 0, 1, 1, 0.
        emit(minute(0, 5, 0));
        emit(minute(1, 5, 0));
        emit(minute(2, 5, 1));
        assertThat(signals(AlertConfig.STARTUP_FAILURES_HIGH)).isEmpty(); // 15 requested < 20
        emit(minute(3, 5, 1));
        emit(minute(4, 5, 0));
        harness.processWatermark(T0 + 30 * MIN);

        List<AlertSignal> s = signals(AlertConfig.STARTUP_FAILURES_HIGH);
        // end 12:04: minutes 0-3, 2 of 20 = 10 %; end 12:05: minutes 0-4, 2 of 25 = 8 %;
        // end 12:06: minutes 1-4, 2 of 20 = 10 %; end 12:07: minutes 2-4, 15 requested: clear.
        assertThat(s)
                .extracting(x -> x.windowEnd)
                .containsExactly(T0 + 4 * MIN, T0 + 5 * MIN, T0 + 6 * MIN, T0 + 7 * MIN);
        assertThat(s).extracting(x -> x.holds).containsExactly(true, true, true, false);
        assertThat(s.get(0).value).isCloseTo(0.10, within(1e-12));
        assertThat(s.get(1).value).isCloseTo(0.08, within(1e-12));
        assertThat(s.get(2).value).isCloseTo(0.10, within(1e-12));
        assertThat(s.get(1).windowStart).isEqualTo(T0);
        assertThat(s.get(1).evidence)
                .isEqualTo("{\"requested\":25,\"unexcused\":2,\"window_minutes\":5}");
        assertThat(s.get(0).entity).isEqualTo(ENTITY);
        assertThat(s.get(0).threshold).isEqualTo(0.05);
        // The key went quiet: after its rows left the longest window (15 min), no state is left.
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void aLaterRevisionNeverReDecidesItsWindowButCountsForLaterOnes() throws Exception {
        for (int m = 0; m < 4; m++) {
            emit(minute(m, 5, 0));
        }
        // Minute 0 revised after its window was decided: 3 of its sessions failed after all.
        MetricsRow revised = minute(0, 5, 3);
        revised.revision = 1;
        harness.processElement(new StreamRecord<>(revised, T0 + 6 * MIN));
        emit(minute(4, 5, 0));
        harness.processWatermark(T0 + 30 * MIN);
        List<AlertSignal> s = signals(AlertConfig.STARTUP_FAILURES_HIGH);
        // end 12:04 was decided clean (0 of 20) before the revision; end 12:05 reads it: 3 of 25.
        assertThat(s.get(0).windowEnd).isEqualTo(T0 + 5 * MIN);
        assertThat(s.get(0).value).isCloseTo(0.12, within(1e-12));
        assertThat(s).extracting(x -> x.windowEnd).doesNotContain(T0 + 4 * MIN);
    }

    @Test
    void whenEventTimeJumpsARevisionIsReadOnlyFromTheEvaluationOfItsOwnTime() throws Exception {
        // The same rows as above, all delivered before one watermark jump over every minute: the
        // decisions must be those of the minute-by-minute run.
        for (int m = 0; m < 5; m++) {
            MetricsRow r = minute(m, 5, 0);
            harness.processElement(new StreamRecord<>(r, r.windowEnd + SETTLE));
        }
        MetricsRow revised = minute(0, 5, 3);
        revised.revision = 1;
        harness.processElement(new StreamRecord<>(revised, T0 + 6 * MIN));
        harness.processWatermark(T0 + 30 * MIN);
        List<AlertSignal> s = signals(AlertConfig.STARTUP_FAILURES_HIGH);
        assertThat(s.get(0).windowEnd).isEqualTo(T0 + 5 * MIN);
        assertThat(s.get(0).value).isCloseTo(0.12, within(1e-12));
        assertThat(s).extracting(x -> x.windowEnd).doesNotContain(T0 + 4 * MIN);
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void noOrchestratorsAvailableInAMinuteAndItsClear() throws Exception {
        MetricsRow network = minute(3, 2, 0);
        network.scope = MetricsRow.SCOPE_NETWORK;
        network.orchestratorAddress = null;
        network.gpuId = null;
        network.noOrchestrator = 1;
        emit(network);
        harness.processWatermark(T0 + 30 * MIN);
        List<AlertSignal> s = signals(AlertConfig.NO_ORCHESTRATORS_AVAILABLE);
        assertThat(s).extracting(x -> x.holds).containsExactly(true, false);
        assertThat(s).extracting(x -> x.windowEnd).containsExactly(T0 + 4 * MIN, T0 + 5 * MIN);
        assertThat(s.get(0).entity).isEqualTo("network model=streamdiffusion");
        assertThat(s.get(0).value).isEqualTo(1.0);
    }

    @Test
    void swapLatencyAndJitterOverTheirWindows() throws Exception {
        // 20 requested, 3 swapped in minute 0; e2e 2 sessions 3500 and 2700 (mean 3100);
        // frame intervals 0.04, 0.04, 0.06, 0.06: mean 0.05, population sd 0.01, cv 0.2.
        MetricsRow r = minute(0, 20, 0);
        r.swapped = 3;
        r.e2eSum = 6200;
        r.e2eCount = 2;
        r.intervalCount = 4;
        r.intervalSum = 0.2;
        r.intervalSumSquares = 2 * 0.0016 + 2 * 0.0036;
        emit(r);
        harness.processWatermark(T0 + 40 * MIN);
        List<AlertSignal> swap = signals(AlertConfig.SWAP_RATE_HIGH);
        // 3 of 20 = 15 % over 15 minutes: holds at every minute end 12:01 .. 12:15, then clears.
        assertThat(swap).hasSize(16);
        assertThat(swap.get(0).value).isCloseTo(0.15, within(1e-12));
        assertThat(swap.get(14).holds).isTrue();
        assertThat(swap.get(15).holds).isFalse();
        assertThat(swap.get(15).windowEnd).isEqualTo(T0 + 16 * MIN);
        List<AlertSignal> e2e = signals(AlertConfig.E2E_LATENCY_HIGH);
        assertThat(e2e)
                .extracting(x -> x.holds)
                .containsExactly(true, true, true, true, true, false);
        assertThat(e2e.get(0).value).isCloseTo(3100.0, within(1e-9));
        List<AlertSignal> jitter = signals(AlertConfig.JITTER_HIGH);
        assertThat(jitter.get(0).value).isCloseTo(0.2, within(1e-9));
        assertThat(jitter)
                .extracting(x -> x.holds)
                .containsExactly(true, true, true, true, true, false);
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void aDisabledRuleSendsNothingAndThresholdsAreSettings() throws Exception {
        harness.close();
        harness =
                open(
                        AlertConfig.defaults()
                                .with("SwapRateHigh.enabled=false", TimeUtils::parseDuration)
                                .with("E2eLatencyHigh.threshold=4000", TimeUtils::parseDuration));
        MetricsRow r = minute(0, 20, 0);
        r.swapped = 10;
        r.e2eSum = 7000;
        r.e2eCount = 2;
        emit(r);
        harness.processWatermark(T0 + 40 * MIN);
        assertThat(signals(AlertConfig.SWAP_RATE_HIGH)).isEmpty();
        assertThat(signals(AlertConfig.E2E_LATENCY_HIGH)).isEmpty(); // 3500 < 4000
    }

    private static MetricsRow hour(long start, Double sla, long requested, Double fps) {
        MetricsRow r = new MetricsRow();
        r.resolution = MetricsRow.HOUR;
        r.scope = MetricsRow.SCOPE_ORCHESTRATOR;
        r.orchestratorAddress = A;
        r.model = "streamdiffusion";
        r.gpuId = "GPU-1";
        r.windowStart = start;
        r.windowEnd = start + HOUR;
        r.sla = sla;
        r.requested = requested;
        r.outputFpsMean = fps;
        return r;
    }

    @Test
    void hourlySlaBelowTargetAndFpsDegradedThenAQuietKeyClears() throws Exception {
        // 12:00 SLA 96 (fine), fps 20; 13:00 SLA 90 with 12 requested, fps 15 (a 25 % drop);
        // 14:00 SLA 80 but only 5 requested (too thin to say), fps 14 (7 % below 15).
        emit(hour(T0, 96.0, 30, 20.0));
        emit(hour(T0 + HOUR, 90.0, 12, 15.0));
        emit(hour(T0 + 2 * HOUR, 80.0, 5, 14.0));
        List<AlertSignal> sla = signals(AlertConfig.SLA_BELOW_TARGET);
        assertThat(sla).extracting(x -> x.holds).containsExactly(true, false);
        assertThat(sla.get(0).value).isEqualTo(90.0);
        assertThat(sla.get(0).windowStart).isEqualTo(T0 + HOUR);
        List<AlertSignal> fps = signals(AlertConfig.FPS_DEGRADED);
        assertThat(fps).extracting(x -> x.holds).containsExactly(true, false);
        assertThat(fps.get(0).value).isCloseTo(0.25, within(1e-12));
        assertThat(fps.get(0).evidence).contains("\"previous_hour_fps_mean\":20.0");

        // A key that was degraded and then goes quiet clears two hours after its last row.
        harness.close();
        harness = open(AlertConfig.defaults());
        emit(hour(T0, 96.0, 30, 20.0));
        emit(hour(T0 + HOUR, 96.0, 30, 10.0));
        harness.processWatermark(T0 + 2 * HOUR + 2 * HOUR + SETTLE - 1);
        assertThat(signals(AlertConfig.FPS_DEGRADED))
                .extracting(x -> x.holds)
                .containsExactly(true);
        harness.processWatermark(T0 + 2 * HOUR + 2 * HOUR + SETTLE);
        assertThat(signals(AlertConfig.FPS_DEGRADED))
                .extracting(x -> x.holds)
                .containsExactly(true, false);
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void entitiesReadAsTheirScopeAndKey() {
        assertThat(MetricRules.entity("orchestrator|0xab|m|g"))
                .isEqualTo("orchestrator:0xab model=m gpu=g");
        assertThat(MetricRules.entity("network||m|")).isEqualTo("network model=m");
        assertThat(MetricRules.entity("network|||")).isEqualTo("network");
    }
}
