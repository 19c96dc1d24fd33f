package org.livepeer.naap.functions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.junit.jupiter.api.Test;

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
}
