package org.livepeer.naap.functions.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.livepeer.naap.schemas.TelemetryEvent;
import org.livepeer.naap.schemas.output.SessionFact;

/**
 * The {@code sessions_open} gauge follows the sessions the tracker holds, and survives a restore
 * from a checkpoint, also onto more or fewer subtasks: the sum over the subtasks stays exact.
 */
class OpenSessionsGaugeTest extends SessionTestBase {
    private static final int MAX_PARALLELISM = 128;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A tracker and the function behind it, subtask {@code index} of {@code parallelism}. */
    private record Subtask(
            SessionTracker tracker,
            KeyedOneInputStreamOperatorTestHarness<String, TelemetryEvent, SessionFact> harness) {
        long open() {
            return tracker.openSessions();
        }
    }

    private static Subtask subtask(int parallelism, int index, OperatorSubtaskState restored)
            throws Exception {
        SessionTracker tracker = new SessionTracker(CONFIG);
        KeyedOneInputStreamOperatorTestHarness<String, TelemetryEvent, SessionFact> h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(tracker),
                        SessionKeys::routingKey,
                        Types.STRING,
                        MAX_PARALLELISM,
                        parallelism,
                        index);
        if (restored != null) {
            h.initializeState(
                    AbstractStreamOperatorTestHarness.repartitionOperatorState(
                            restored, MAX_PARALLELISM, 1, parallelism, index));
        }
        h.open();
        return new Subtask(tracker, h);
    }

    private static TelemetryEvent trace(String subtype, String request, long time) {
        ObjectNode d = JSON.createObjectNode();
        d.put("type", subtype);
        d.put("stream_id", "stream-" + request);
        d.put("request_id", request);
        d.put("timestamp", time);
        return event("stream_trace", subtype, time, d, "stream-" + request, request);
    }

    @Test
    void countsOpenSessionsAndKeepsTheTotalAcrossRestoresAndRescaling() throws Exception {
        List<String> requests = List.of("r-1", "r-2", "r-3", "r-4", "r-5", "r-6");
        Subtask first = subtask(1, 0, null);
        for (String r : requests) {
            send(first.harness(), trace("gateway_receive_stream_request", r, T0));
        }
        first.harness().processWatermark(T0);
        assertThat(first.open()).isEqualTo(6);
        send(first.harness(), trace("gateway_ingest_stream_closed", "r-1", T0 + SECOND));
        first.harness().processWatermark(T0 + SECOND);
        assertThat(finals(first.harness())).hasSize(1);
        assertThat(first.open()).isEqualTo(5);
        OperatorSubtaskState checkpoint = first.harness().snapshot(1, 1);
        first.harness().close();

        // The same parallelism: the count comes back as it was.
        Subtask again = subtask(1, 0, checkpoint);
        assertThat(again.open()).isEqualTo(5);
        again.harness().close();

        // Two subtasks: the keys split between them, the count too, not alike; the sum is exact.
        List<Subtask> two = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            two.add(subtask(2, i, checkpoint));
        }
        assertThat(two.get(0).open() + two.get(1).open()).isEqualTo(5);
        // Each close lands on the subtask holding its key.
        for (String r : List.of("r-2", "r-3")) {
            TelemetryEvent close = trace("gateway_ingest_stream_closed", r, T0 + 2 * SECOND);
            int owner =
                    KeyGroupRangeAssignment.assignKeyToParallelOperator(
                            SessionKeys.routingKey(close), MAX_PARALLELISM, 2);
            send(two.get(owner).harness(), close);
        }
        for (Subtask s : two) {
            s.harness().processWatermark(T0 + 2 * SECOND);
        }
        assertThat(finals(two.get(0).harness()).size() + finals(two.get(1).harness()).size())
                .isEqualTo(2);
        assertThat(two.get(0).open() + two.get(1).open()).isEqualTo(3);
        OperatorSubtaskState merged =
                AbstractStreamOperatorTestHarness.repackageState(
                        two.get(0).harness().snapshot(2, 2), two.get(1).harness().snapshot(2, 2));
        for (Subtask s : two) {
            s.harness().close();
        }

        // Back to one subtask: it gets both entries and sums them; the end of the input ends
        // every open session (as open) and the gauge returns to 0.
        SessionTracker tracker = new SessionTracker(CONFIG);
        try (KeyedOneInputStreamOperatorTestHarness<String, TelemetryEvent, SessionFact> one =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(tracker),
                        SessionKeys::routingKey,
                        Types.STRING,
                        MAX_PARALLELISM,
                        1,
                        0)) {
            one.initializeState(
                    AbstractStreamOperatorTestHarness.repartitionOperatorState(
                            merged, MAX_PARALLELISM, 2, 1, 0));
            one.open();
            assertThat(tracker.openSessions()).isEqualTo(3);
            one.processWatermark(Long.MAX_VALUE);
            assertThat(finals(one)).hasSize(3).allMatch(f -> "open".equals(f.endReason));
            assertThat(tracker.openSessions()).isZero();
        }
    }
}
