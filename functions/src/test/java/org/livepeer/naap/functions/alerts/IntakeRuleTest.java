package org.livepeer.naap.functions.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Intake tallies without a shuffle, and TelemetryRejectedHigh over them, worked by hand. */
class IntakeRuleTest {
    private static final long T0 = 1_768_478_400_000L;
    private static final long MIN = 60_000L;

    @Test
    void talliesFlushOnANewMinuteBeforeEachBarrierAndAtTheEnd() throws Exception {
        OneInputStreamOperatorTestHarness<Long, IntakeTally> h =
                new OneInputStreamOperatorTestHarness<>(
                        new IntakeTallies<Long>(t -> t, true), Types.LONG.createSerializer(null));
        h.open();
        h.processElement(new StreamRecord<>(T0 + 1_000));
        h.processElement(new StreamRecord<>(T0 + 59_999));
        h.processElement(new StreamRecord<>(T0 + MIN)); // a new minute: 2 for minute 0
        h.prepareSnapshotPreBarrier(1L); // 1 for minute 1 before the barrier
        h.processElement(new StreamRecord<>(T0 + MIN + 5));
        h.processElement(new StreamRecord<>(T0 + MIN + 6));
        h.endInput(); // 2 more for minute 1
        List<IntakeTally> out = h.extractOutputValues();
        assertThat(out).extracting(t -> t.minute).containsExactly(T0, T0 + MIN, T0 + MIN);
        assertThat(out).extracting(t -> t.received).containsExactly(2L, 1L, 2L);
        assertThat(out).extracting(t -> t.rejected).containsExactly(2L, 1L, 2L);
        assertThat(h.extractOutputStreamRecords())
                .extracting(r -> ((StreamRecord<?>) r).getTimestamp())
                .containsExactly(T0, T0 + MIN, T0 + MIN);
        h.close();
    }

    @Test
    void rejectedOverReceivedAboveOnePercentOverFiveMinutes() throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, IntakeTally, AlertSignal> h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new IntakeRule(AlertConfig.defaults())),
                        t -> IntakeRule.ENTITY,
                        Types.STRING);
        h.open();
        // 100 received in each of minutes 0-4 (in two tallies: accepted and rejected), 6 of
        // minute 2's rejected.
        for (int m = 0; m < 5; m++) {
            long rejected = m == 2 ? 6 : 0;
            h.processElement(
                    new StreamRecord<>(
                            new IntakeTally(T0 + m * MIN, 100 - rejected, 0), T0 + m * MIN));
            h.processElement(
                    new StreamRecord<>(
                            new IntakeTally(T0 + m * MIN, rejected, rejected), T0 + m * MIN));
        }
        h.processWatermark(T0 + 30 * MIN);
        List<AlertSignal> s = h.extractOutputValues();
        // Windows ending 12:03 (minutes 0-2): 6/300; 12:04: 6/400; 12:05: 6/500; 12:06 (1-4):
        // 6/400; 12:07 (2-4): 6/300; 12:08 (3-4): 0/200, clear.
        assertThat(s)
                .extracting(x -> x.windowEnd)
                .containsExactly(
                        T0 + 3 * MIN,
                        T0 + 4 * MIN,
                        T0 + 5 * MIN,
                        T0 + 6 * MIN,
                        T0 + 7 * MIN,
                        T0 + 8 * MIN);
        assertThat(s).extracting(x -> x.holds).containsExactly(true, true, true, true, true, false);
        assertThat(s.get(0).value).isCloseTo(0.02, within(1e-12));
        assertThat(s.get(1).value).isCloseTo(0.015, within(1e-12));
        assertThat(s.get(2).value).isCloseTo(0.012, within(1e-12));
        assertThat(s.get(5).value).isCloseTo(0.0, within(1e-12));
        assertThat(s.get(2).evidence)
                .isEqualTo("{\"received\":500,\"rejected\":6,\"window_minutes\":5}");
        assertThat(s.get(0).entity).isEqualTo("intake");
        assertThat(h.numKeyedStateEntries()).isZero();
        h.close();
    }
}
