package org.livepeer.naap.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.livepeer.naap.functions.EventFixtures.ONE_MINUTE;
import static org.livepeer.naap.functions.EventFixtures.T0;
import static org.livepeer.naap.functions.EventFixtures.event;

import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;
import org.livepeer.naap.schemas.TelemetryEvent;

class TagLateEventsTest {

    @Test
    void copiesEventsBehindTheWatermarkToTheLateOutputAndStillPassesThemOn() throws Exception {
        try (OneInputStreamOperatorTestHarness<TelemetryEvent, TelemetryEvent> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(new TagLateEvents(5_000))) {
            harness.processElement(new StreamRecord<>(event("before-any-watermark", T0), T0));
            harness.processWatermark(T0 + ONE_MINUTE);
            long justAllowed = T0 + ONE_MINUTE - 5_000;
            harness.processElement(new StreamRecord<>(event("within", justAllowed), justAllowed));
            long tooLate = justAllowed - 1;
            harness.processElement(new StreamRecord<>(event("late", tooLate), tooLate));

            assertThat(harness.extractOutputValues())
                    .extracting(e -> e.eventId)
                    .containsExactly("before-any-watermark", "within", "late");
            assertThat(harness.getSideOutput(TagLateEvents.LATE))
                    .extracting(r -> r.getValue().eventId)
                    .containsExactly("late");
        }
    }
}
