package org.livepeer.naap.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.livepeer.naap.functions.EventFixtures.ONE_MINUTE;
import static org.livepeer.naap.functions.EventFixtures.T0;
import static org.livepeer.naap.functions.EventFixtures.event;

import java.time.Duration;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.livepeer.naap.schemas.TelemetryEvent;

class DeduplicateEventsTest {
    private static final Duration RETENTION = Duration.ofMinutes(10);

    private KeyedOneInputStreamOperatorTestHarness<String, TelemetryEvent, TelemetryEvent> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new DeduplicateEvents(RETENTION)),
                        TelemetryEvent::dedupKey,
                        Types.STRING);
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private void send(TelemetryEvent e) throws Exception {
        harness.processElement(new StreamRecord<>(e, e.eventTime));
    }

    @Test
    void passesTheFirstCopyAndDivertsLaterCopies() throws Exception {
        send(event("a", T0));
        send(event("a", T0));
        send(event("b", T0 + 1));
        send(event("a", T0 + 5));

        assertThat(harness.extractOutputValues())
                .extracting(e -> e.eventId)
                .containsExactly("a", "b");
        assertThat(harness.getSideOutput(DeduplicateEvents.DUPLICATES))
                .extracting(r -> r.getValue().eventId)
                .containsExactly("a", "a");
    }

    @Test
    void sameIdFromAnotherSourceIsNotADuplicate() throws Exception {
        TelemetryEvent other = event("a", T0);
        other.source = "streaming_events";
        send(event("a", T0));
        send(other);

        assertThat(harness.extractOutputValues()).hasSize(2);
        assertThat(harness.getSideOutput(DeduplicateEvents.DUPLICATES)).isNull();
    }

    @Test
    void forgetsAnIdOnceTheWatermarkPassesTheRetentionAndStateReturnsToZero() throws Exception {
        send(event("a", T0));
        send(event("b", T0 + ONE_MINUTE));
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
        assertThat(harness.numEventTimeTimers()).isEqualTo(2);

        harness.processWatermark(T0 + RETENTION.toMillis());
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);

        harness.processWatermark(T0 + ONE_MINUTE + RETENTION.toMillis());
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void rememberesALateEventForTheRetentionPastTheWatermark() throws Exception {
        harness.processWatermark(T0 + 30 * ONE_MINUTE);
        send(event("late", T0));
        // Retention counts from the watermark, not from the old event time: a redelivery of the
        // late event shortly after is still recognized.
        harness.processWatermark(T0 + 30 * ONE_MINUTE + RETENTION.toMillis() - 1);
        send(event("late", T0));

        assertThat(harness.extractOutputValues()).hasSize(1);
        assertThat(harness.getSideOutput(DeduplicateEvents.DUPLICATES)).hasSize(1);

        harness.processWatermark(T0 + 30 * ONE_MINUTE + RETENTION.toMillis());
        assertThat(harness.numKeyedStateEntries()).isZero();
    }
}
