package org.livepeer.naap.functions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.junit.jupiter.api.Test;
import org.livepeer.naap.schemas.TelemetryEvent;

class EventTimeWatermarksTest {

    /** Records the watermarks a generator emits. */
    private static final class Recorder implements WatermarkOutput {
        final List<Long> watermarks = new ArrayList<>();

        @Override
        public void emitWatermark(Watermark watermark) {
            watermarks.add(watermark.getTimestamp());
        }

        @Override
        public void markIdle() {}

        @Override
        public void markActive() {}
    }

    @Test
    void emitsAsEventsMoveTimeByAStepWithoutWaitingForTheClock() {
        EventTimeWatermarks.EagerBoundedOutOfOrderness<String> g =
                new EventTimeWatermarks.EagerBoundedOutOfOrderness<>(10_000, 1_000);
        Recorder out = new Recorder();
        long t0 = 1_768_483_800_000L;

        g.onEvent("a", t0, out); // first watermark at once
        g.onEvent("b", t0 + 500, out); // moved 500 ms: not yet
        g.onEvent("c", t0 - 3_000, out); // older: never moves it back
        g.onEvent("d", t0 + 1_000, out); // moved 1 s: emitted
        g.onEvent("e", t0 + 1_200, out);
        g.onPeriodicEmit(out); // the periodic emit catches up with the rest
        g.onPeriodicEmit(out); // and says nothing when nothing moved

        long bound = 10_000 + 1;
        assertThat(out.watermarks)
                .containsExactly(t0 - bound, t0 + 1_000 - bound, t0 + 1_200 - bound);
    }

    @Test
    void onALiveInputSilenceLetsTheWatermarkFollowTheWallClockAfterTheGrace() {
        long[] wall = {1_000_000L};
        EventTimeWatermarks.EagerBoundedOutOfOrderness<String> g =
                new EventTimeWatermarks.EagerBoundedOutOfOrderness<>(
                        10_000, 1_000, 5_000, () -> wall[0]);
        Recorder out = new Recorder();
        long t0 = 1_768_483_800_000L;

        g.onPeriodicEmit(out); // nothing seen yet: no clock-driven time either
        g.onEvent("a", t0, out);
        wall[0] += 5_000;
        g.onPeriodicEmit(out); // silent for the grace only: event time stands
        wall[0] += 7_000;
        g.onPeriodicEmit(out); // silent 12 s: 7 s past the grace
        g.onEvent("b", t0 + 1_000, out); // an event behind the clock-driven watermark: no step back
        wall[0] += 1_000;
        g.onPeriodicEmit(out);

        assertThat(out.watermarks).containsExactly(t0 - 10_001, t0 + 7_000);
    }

    private static TelemetryEvent event(long eventTime, boolean clamped) {
        TelemetryEvent e = new TelemetryEvent();
        e.eventId = "e-" + eventTime;
        e.eventTime = eventTime;
        e.timeClamped = clamped;
        return e;
    }

    @Test
    void onABoundedInputAClampedEventDoesNotMoveEventTime() {
        WatermarkGenerator<TelemetryEvent> g =
                EventTimeWatermarks.strategy(Duration.ofSeconds(10), Duration.ZERO)
                        .createWatermarkGenerator(null);
        Recorder out = new Recorder();
        long t0 = 1_768_483_800_000L;
        // A file replayed ten months later: an event of the year 3000 is clamped to the read time.
        long readTime = t0 + Duration.ofDays(300).toMillis();

        g.onEvent(event(t0, false), t0, out);
        g.onEvent(event(readTime, true), readTime, out);
        g.onPeriodicEmit(out);
        g.onEvent(event(t0 + 2_000, false), t0 + 2_000, out);

        assertThat(out.watermarks).containsExactly(t0 - 10_001, t0 + 2_000 - 10_001);
    }

    @Test
    void onALiveInputAClampedEventMovesEventTimeLikeAnyOther() {
        // Live, the ingest time a clamped event gets is its arrival time.
        WatermarkGenerator<TelemetryEvent> g =
                EventTimeWatermarks.strategy(
                                Duration.ofSeconds(10), Duration.ZERO, Duration.ofSeconds(5))
                        .createWatermarkGenerator(null);
        Recorder out = new Recorder();
        long t0 = 1_768_483_800_000L;

        g.onEvent(event(t0, false), t0, out);
        g.onEvent(event(t0 + 2_000, true), t0 + 2_000, out);

        assertThat(out.watermarks).containsExactly(t0 - 10_001, t0 + 2_000 - 10_001);
    }
}
