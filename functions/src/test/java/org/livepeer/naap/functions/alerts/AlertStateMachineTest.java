package org.livepeer.naap.functions.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.TimeUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.livepeer.naap.schemas.output.Alert;

/** FIRING after the for duration, RESOLVED after clear-for, no flapping, nothing twice. */
class AlertStateMachineTest {
    private static final long T0 = 1_768_478_400_000L; // 2026-01-15T12:00:00Z
    private static final long MIN = 60_000L;
    private static final String RULE = AlertConfig.SWAP_RATE_HIGH;
    private static final String ENTITY = "orchestrator:0xaaaa model=m";

    private KeyedOneInputStreamOperatorTestHarness<String, AlertSignal, Alert> harness;

    @AfterEach
    void tearDown() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    /** SwapRateHigh with for = 2 min, clear-for = 3 min, stale after 1 h. */
    private static AlertConfig config() {
        return AlertConfig.defaults()
                .with(RULE + ".for=2min", TimeUtils::parseDuration)
                .with(RULE + ".clear-for=3min", TimeUtils::parseDuration);
    }

    private KeyedOneInputStreamOperatorTestHarness<String, AlertSignal, Alert> open(
            OperatorSubtaskState restored) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, AlertSignal, Alert> h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new AlertStateMachine(config())),
                        AlertSignal::key,
                        Types.STRING);
        if (restored != null) {
            h.initializeState(restored);
        }
        h.open();
        return h;
    }

    private static AlertSignal signal(boolean holds, long windowEnd, double value) {
        return new AlertSignal(
                RULE,
                ENTITY,
                holds,
                value,
                0.10,
                windowEnd - 15 * MIN,
                windowEnd,
                "{\"requested\":40}");
    }

    private void send(AlertSignal s) throws Exception {
        harness.processElement(new StreamRecord<>(s, s.windowEnd));
        harness.processWatermark(s.windowEnd);
    }

    private static String expectedId(long since) {
        return UUID.nameUUIDFromBytes(
                        (RULE + "|" + ENTITY + "|" + since).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    @Test
    void firesOnceWhenTheConditionHeldForItsDuration() throws Exception {
        harness = open(null);
        send(signal(true, T0 + MIN, 0.12));
        send(signal(true, T0 + 2 * MIN, 0.13));
        assertThat(harness.extractOutputValues()).isEmpty(); // held 1 minute of 2
        send(signal(true, T0 + 3 * MIN, 0.14));
        send(signal(true, T0 + 4 * MIN, 0.15));

        List<Alert> out = harness.extractOutputValues();
        assertThat(out).hasSize(1);
        Alert a = out.get(0);
        assertThat(a.state).isEqualTo(Alert.FIRING);
        assertThat(a.at).isEqualTo(T0 + 3 * MIN);
        assertThat(a.value).isEqualTo(0.14);
        assertThat(a.threshold).isEqualTo(0.10);
        assertThat(a.severity).isEqualTo("warning");
        assertThat(a.rule).isEqualTo(RULE);
        assertThat(a.entity).isEqualTo(ENTITY);
        assertThat(a.windowEnd).isEqualTo(T0 + 3 * MIN);
        assertThat(a.evidence).isEqualTo("{\"requested\":40}");
        assertThat(a.alertId).isEqualTo(expectedId(T0 + MIN));
    }

    @Test
    void resolvesOnlyWhenClearForItsClearDuration() throws Exception {
        harness = open(null);
        for (int m = 1; m <= 3; m++) {
            send(signal(true, T0 + m * MIN, 0.2));
        }
        send(signal(false, T0 + 5 * MIN, 0.05)); // clear from 5
        send(signal(true, T0 + 6 * MIN, 0.2)); // holds again before 5 + 3: stays firing
        harness.processWatermark(T0 + 8 * MIN);
        send(signal(false, T0 + 7 * MIN, 0.04)); // clear from 7: resolves at 10
        harness.processWatermark(T0 + 10 * MIN - 1);
        assertThat(harness.extractOutputValues())
                .extracting(a -> a.state)
                .containsExactly("FIRING");

        harness.processWatermark(T0 + 10 * MIN);
        List<Alert> out = harness.extractOutputValues();
        assertThat(out).extracting(a -> a.state).containsExactly("FIRING", "RESOLVED");
        Alert resolved = out.get(1);
        assertThat(resolved.alertId).isEqualTo(out.get(0).alertId);
        assertThat(resolved.at).isEqualTo(T0 + 10 * MIN);
        assertThat(resolved.value).isEqualTo(0.04); // the evaluation that began the clear
        assertThat(resolved.windowEnd).isEqualTo(T0 + 7 * MIN);
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void aConditionThatFlapsAroundTheThresholdNeverFires() throws Exception {
        harness = open(null);
        for (int m = 1; m <= 20; m++) {
            send(signal(m % 2 == 1, T0 + m * MIN, m % 2 == 1 ? 0.11 : 0.09));
        }
        harness.processWatermark(T0 + 30 * MIN);
        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void aRestartFromASnapshotEmitsNothingTwice() throws Exception {
        harness = open(null);
        for (int m = 1; m <= 4; m++) {
            send(signal(true, T0 + m * MIN, 0.2));
        }
        OperatorSubtaskState snapshot = harness.snapshot(1L, T0 + 4 * MIN);
        assertThat(harness.extractOutputValues()).hasSize(1);
        harness.close();

        // The restarted task replays what came after the checkpoint and goes on.
        harness = open(snapshot);
        for (int m = 4; m <= 6; m++) {
            send(signal(true, T0 + m * MIN, 0.2));
        }
        send(signal(false, T0 + 7 * MIN, 0.01));
        harness.processWatermark(T0 + 11 * MIN);
        List<Alert> afterRestart = harness.extractOutputValues();
        assertThat(afterRestart).extracting(a -> a.state).containsExactly("RESOLVED");
        assertThat(afterRestart.get(0).alertId).isEqualTo(expectedId(T0 + MIN));
        assertThat(afterRestart.get(0).at).isEqualTo(T0 + 10 * MIN);
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void aFiringAlertWhoseEntityFallsSilentResolvesAsStaleAndLeavesNoState() throws Exception {
        harness = open(null);
        for (int m = 1; m <= 3; m++) {
            send(signal(true, T0 + m * MIN, 0.2));
        }
        harness.processWatermark(T0 + 3 * MIN + Duration.ofHours(1).toMillis() - 1);
        assertThat(harness.extractOutputValues()).hasSize(1);
        harness.processWatermark(T0 + 3 * MIN + Duration.ofHours(1).toMillis());
        List<Alert> out = harness.extractOutputValues();
        assertThat(out).extracting(a -> a.state).containsExactly("FIRING", "RESOLVED");
        assertThat(out.get(1).evidence).contains("\"reason\":\"stale\"");
        assertThat(out.get(1).at).isEqualTo(T0 + 63 * MIN);
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void theEndOfABoundedInputDoesNotResolveAnAlertThatStillFires() throws Exception {
        harness = open(null);
        for (int m = 1; m <= 3; m++) {
            send(signal(true, T0 + m * MIN, 0.2));
        }
        harness.processWatermark(Long.MAX_VALUE);
        assertThat(harness.extractOutputValues())
                .extracting(a -> a.state)
                .containsExactly("FIRING");
    }

    @Test
    void aPendingConditionThatClearsLeavesNothing() throws Exception {
        harness = open(null);
        send(signal(true, T0 + MIN, 0.2));
        send(signal(false, T0 + 2 * MIN, 0.0));
        harness.processWatermark(T0 + 3 * Duration.ofHours(1).toMillis());
        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
    }
}
