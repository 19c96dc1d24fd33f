package org.livepeer.naap.functions.liveness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.livepeer.naap.schemas.output.NodeTransition;

/** Transitions, cadence learning, signals, late data, the end of input and bounded state. */
class LivenessDetectorTest extends LivenessTestBase {
    private static final String[] NONE = new String[0];
    private static final String SESSION_A = "stream-a|req-a";

    private KeyedOneInputStreamOperatorTestHarness<String, Heartbeat, NodeTransition> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = detector(CONFIG);
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private void gatewayEvery10sUntil(long lastSecond) throws Exception {
        for (long s = 0; s <= lastSecond; s += 10) {
            send(harness, gateway(T0 + s * SECOND));
        }
    }

    private List<NodeTransition> of(String nodeId) {
        return transitions(harness).stream()
                .filter(t -> t.nodeId.equals(nodeId))
                .collect(Collectors.toList());
    }

    @Test
    void emitsUpOnFirstHeartbeat() throws Exception {
        send(harness, gateway(T0));

        assertThat(transitions(harness))
                .containsExactly(
                        expected(
                                GATEWAY,
                                "gateway",
                                NodeTransition.UP,
                                T0,
                                null,
                                null,
                                null,
                                "first_seen"));
    }

    @Test
    void tenSecondCadenceTimesOutAfterThirtySeconds() throws Exception {
        gatewayEvery10sUntil(40);

        // Gaps of 10 s: timeout max(30 s, 3 x 10 s) = 30 s after the last event at +40 s.
        harness.processWatermark(T0 + 70 * SECOND - 1);
        assertThat(kinds(harness)).containsExactly(NodeTransition.UP);

        harness.processWatermark(T0 + 70 * SECOND);
        assertThat(last(harness))
                .isEqualTo(
                        expected(
                                GATEWAY,
                                "gateway",
                                NodeTransition.DOWN_ABRUPT,
                                T0 + 70 * SECOND,
                                T0 + 40 * SECOND,
                                30 * SECOND,
                                NONE,
                                "silent"));
    }

    @Test
    void twentySecondCadenceTimesOutAfterSixtySeconds() throws Exception {
        for (long s = 0; s <= 60; s += 20) {
            send(harness, caps(T0 + s * SECOND));
        }

        // Gaps of 20 s: timeout 3 x 20 s = 60 s after +60 s.
        harness.processWatermark(T0 + 120 * SECOND - 1);
        assertThat(kinds(harness)).containsExactly(NodeTransition.UP);

        harness.processWatermark(T0 + 120 * SECOND);
        assertThat(last(harness))
                .isEqualTo(
                        expected(
                                ORCH,
                                "orchestrator",
                                NodeTransition.DOWN_ABRUPT,
                                T0 + 120 * SECOND,
                                T0 + 60 * SECOND,
                                60 * SECOND,
                                NONE,
                                "silent"));
    }

    @Test
    void fastNodeStillGetsTheMinimumTimeout() throws Exception {
        for (long s = 0; s <= 10; s += 2) {
            send(harness, gateway(T0 + s * SECOND));
        }

        // Gaps of 2 s: 3 x 2 s = 6 s is below the 30 s minimum, so down at +10 s + 30 s.
        harness.processWatermark(T0 + 40 * SECOND - 1);
        assertThat(kinds(harness)).containsExactly(NodeTransition.UP);

        harness.processWatermark(T0 + 40 * SECOND);
        NodeTransition down = last(harness);
        assertThat(down.transition).isEqualTo(NodeTransition.DOWN_ABRUPT);
        assertThat(down.at).isEqualTo(T0 + 40 * SECOND);
        assertThat(down.timeoutMs).isEqualTo(30 * SECOND);
    }

    @Test
    void nodeSeenOnceGetsTheInitialTimeout() throws Exception {
        send(harness, caps(T0));

        // No gap learned: 3 min, so a node first seen in a 60 s snapshot survives to the next.
        harness.processWatermark(T0 + 3 * MINUTE - 1);
        assertThat(kinds(harness)).containsExactly(NodeTransition.UP);

        harness.processWatermark(T0 + 3 * MINUTE);
        assertThat(last(harness))
                .isEqualTo(
                        expected(
                                ORCH,
                                "orchestrator",
                                NodeTransition.DOWN_ABRUPT,
                                T0 + 3 * MINUTE,
                                T0,
                                3 * MINUTE,
                                NONE,
                                "silent"));
    }

    @Test
    void longSilenceFiresDownAbruptOnce() throws Exception {
        gatewayEvery10sUntil(40);

        for (long m = 1; m < 60; m++) {
            harness.processWatermark(T0 + m * MINUTE);
        }

        assertThat(kinds(harness)).containsExactly(NodeTransition.UP, NodeTransition.DOWN_ABRUPT);
    }

    @Test
    void publishersAtCloseOffsetsDoNotShrinkTheTimeout() throws Exception {
        // Two gateways each relay a snapshot every 60 s, 2 s apart: the merged stream has gaps
        // of 2 s and 58 s (a median of 2 s would time out 30 s after +122 s, at +152 s), but each
        // source's own gap is 60 s: down 180 s after the later source's last, +122 s.
        for (long s = 0; s <= 120; s += 60) {
            send(harness, orchestrator(T0 + s * SECOND, CAPS_VIA_GW1));
            send(harness, orchestrator(T0 + (s + 2) * SECOND, CAPS_VIA_GW2));
        }

        harness.processWatermark(T0 + 302 * SECOND - 1);
        assertThat(kinds(harness)).containsExactly(NodeTransition.UP);

        harness.processWatermark(T0 + 302 * SECOND);
        NodeTransition down = last(harness);
        assertThat(down.transition).isEqualTo(NodeTransition.DOWN_ABRUPT);
        assertThat(down.lastSeen).isEqualTo(T0 + 122 * SECOND);
        assertThat(down.timeoutMs).isEqualTo(180 * SECOND);
    }

    @Test
    void orchestratorWhoseSessionsEndStaysUpOnItsSnapshots() throws Exception {
        // Snapshots every 60 s (timeout 180 s); one session's status every 2 s from +100 s to
        // +150 s (timeout 30 s). The session ending at +150 s is not the node going silent.
        for (long s = 0; s <= 300; s += 2) {
            if (s % 60 == 0) {
                send(harness, caps(T0 + s * SECOND));
            }
            if (s >= 100 && s <= 150) {
                send(harness, status(T0 + s * SECOND, "stream-a|req-a"));
            }
        }

        harness.processWatermark(T0 + 480 * SECOND - 1);
        assertThat(kinds(harness)).containsExactly(NodeTransition.UP);

        harness.processWatermark(T0 + 480 * SECOND);
        assertThat(last(harness))
                .isEqualTo(
                        expected(
                                ORCH,
                                "orchestrator",
                                NodeTransition.DOWN_ABRUPT,
                                T0 + 480 * SECOND,
                                T0 + 300 * SECOND,
                                180 * SECOND,
                                NONE,
                                "silent"));
    }

    @Test
    void downAbruptListsTheSessionsActiveBeforeTheLastEvent() throws Exception {
        // Snapshots every 10 s to +120 s. Session c at +0 and +10 s (ended: more than 60 s before
        // +120 s), session a from +50 s, session b from +100 s, both to +120 s.
        for (long s = 0; s <= 120; s += 10) {
            long t = T0 + s * SECOND;
            send(harness, caps(t));
            if (s <= 10) {
                send(harness, status(t, "stream-c|req-c"));
            }
            if (s >= 100) {
                send(harness, status(t, "stream-b|req-b"));
            }
            if (s >= 50) {
                send(harness, status(t, "stream-a|req-a"));
            }
        }

        harness.processWatermark(T0 + 150 * SECOND);

        assertThat(last(harness))
                .isEqualTo(
                        expected(
                                ORCH,
                                "orchestrator",
                                NodeTransition.DOWN_ABRUPT,
                                T0 + 150 * SECOND,
                                T0 + 120 * SECOND,
                                30 * SECOND,
                                new String[] {"stream-a|req-a", "stream-b|req-b"},
                                "silent"));
    }

    @Test
    void disconnectThenSilenceGivesDownGracefulOnly() throws Exception {
        send(harness, workerConnected(T0), workerDisconnected(T0 + 5 * MINUTE));
        harness.processWatermark(T0 + 5 * MINUTE + 59 * MINUTE);

        assertThat(transitions(harness))
                .containsExactly(
                        expected(
                                WORKER,
                                "worker",
                                NodeTransition.UP,
                                T0,
                                null,
                                null,
                                null,
                                "first_seen"),
                        expected(
                                WORKER,
                                "worker",
                                NodeTransition.DOWN_GRACEFUL,
                                T0 + 5 * MINUTE,
                                T0 + 5 * MINUTE,
                                null,
                                null,
                                "worker_disconnected"));
    }

    @Test
    void workerIsNeverDeclaredDownOnSilence() throws Exception {
        send(harness, workerConnected(T0));

        harness.processWatermark(T0 + HOUR - 1);
        assertThat(kinds(harness)).containsExactly(NodeTransition.UP);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        harness.processWatermark(T0 + HOUR);
        assertThat(kinds(harness)).containsExactly(NodeTransition.UP);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void resetWhileUpGivesRestarted() throws Exception {
        gatewayEvery10sUntil(30);
        send(harness, gatewayReset(T0 + 35 * SECOND));

        assertThat(last(harness))
                .isEqualTo(
                        expected(
                                GATEWAY,
                                "gateway",
                                NodeTransition.RESTARTED,
                                T0 + 35 * SECOND,
                                T0 + 30 * SECOND,
                                null,
                                null,
                                "node_trace_reset"));

        // The reset is an event too, of a new process whose cadence is learned afresh: nothing
        // periodic is known of it yet, so the initial timeout, 3 min after it (+215 s).
        harness.processWatermark(T0 + 215 * SECOND - 1);
        assertThat(kinds(harness)).containsExactly(NodeTransition.UP, NodeTransition.RESTARTED);
        harness.processWatermark(T0 + 215 * SECOND);
        assertThat(last(harness).transition).isEqualTo(NodeTransition.DOWN_ABRUPT);
        assertThat(last(harness).lastSeen).isEqualTo(T0 + 35 * SECOND);
    }

    @Test
    void resetOfAnUnseenNodeIsUpAndAfterADownIsRecovered() throws Exception {
        send(harness, gatewayReset(T0));
        assertThat(kinds(harness)).containsExactly(NodeTransition.UP);

        harness.processWatermark(T0 + 3 * MINUTE);
        send(harness, gatewayReset(T0 + 5 * MINUTE));

        assertThat(kinds(harness))
                .containsExactly(
                        NodeTransition.UP, NodeTransition.DOWN_ABRUPT, NodeTransition.RECOVERED);
    }

    @Test
    void heartbeatAfterADownGivesRecoveredAndTheCadenceIsLearnedAgain() throws Exception {
        gatewayEvery10sUntil(20);
        harness.processWatermark(T0 + 50 * SECOND);
        send(harness, gateway(T0 + 5 * MINUTE));

        assertThat(last(harness))
                .isEqualTo(
                        expected(
                                GATEWAY,
                                "gateway",
                                NodeTransition.RECOVERED,
                                T0 + 5 * MINUTE,
                                T0 + 20 * SECOND,
                                null,
                                null,
                                "event_after_down"));

        // Nothing learned since the recovery: the 3 min initial timeout.
        harness.processWatermark(T0 + 8 * MINUTE - 1);
        assertThat(kinds(harness))
                .containsExactly(
                        NodeTransition.UP, NodeTransition.DOWN_ABRUPT, NodeTransition.RECOVERED);
        harness.processWatermark(T0 + 8 * MINUTE);
        assertThat(last(harness).transition).isEqualTo(NodeTransition.DOWN_ABRUPT);
        assertThat(last(harness).lastSeen).isEqualTo(T0 + 5 * MINUTE);
    }

    @Test
    void outOfOrderHeartbeatsNeverMoveLastSeenBack() throws Exception {
        // Arrival order +0, +10, +30, +20, +40, +35 s. The gaps in arrival order are 10, 20 and
        // 10 (+20 and +35 are behind their source's last): median 10 s, 30 s timeout.
        for (long s : new long[] {0, 10, 30, 20, 40, 35}) {
            send(harness, gateway(T0 + s * SECOND));
        }

        harness.processWatermark(T0 + 70 * SECOND - 1);
        assertThat(kinds(harness)).containsExactly(NodeTransition.UP);
        harness.processWatermark(T0 + 70 * SECOND);
        NodeTransition down = last(harness);
        assertThat(down.transition).isEqualTo(NodeTransition.DOWN_ABRUPT);
        assertThat(down.lastSeen).isEqualTo(T0 + 40 * SECOND);
        assertThat(down.timeoutMs).isEqualTo(30 * SECOND);

        // A straggler from before the down cannot undo it; a later event recovers the node.
        send(harness, gateway(T0 + 60 * SECOND));
        assertThat(kinds(harness)).hasSize(2);
        send(harness, gateway(T0 + 75 * SECOND));
        assertThat(last(harness).transition).isEqualTo(NodeTransition.RECOVERED);
        assertThat(last(harness).lastSeen).isEqualTo(T0 + 40 * SECOND);
    }

    @Test
    void finalWatermarkDeclaresNothingAndClearsState() throws Exception {
        for (long s = 0; s <= 20; s += 10) {
            send(harness, caps(T0 + s * SECOND));
        }
        gatewayEvery10sUntil(100);
        harness.processWatermark(T0 + 50 * SECOND);

        harness.processWatermark(Long.MAX_VALUE);

        assertThat(of(ORCH).stream().map(t -> t.transition))
                .containsExactly(NodeTransition.UP, NodeTransition.DOWN_ABRUPT);
        assertThat(of(GATEWAY).stream().map(t -> t.transition)).containsExactly(NodeTransition.UP);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void stateAndTimersReturnToZeroAfterForgetAfter() throws Exception {
        for (long s = 0; s <= 40; s += 10) {
            send(harness, status(T0 + s * SECOND, "stream-a|req-a"));
        }
        send(harness, workerConnected(T0), workerDisconnected(T0 + 40 * SECOND));

        harness.processWatermark(T0 + 70 * SECOND);
        assertThat(of(ORCH).get(1).activeSessions).containsExactly("stream-a|req-a");
        // Down: only each node's record is left, with its forget timer at +40 s + 1 h.
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
        assertThat(harness.numEventTimeTimers()).isEqualTo(2);

        harness.processWatermark(T0 + 40 * SECOND + HOUR - 1);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2);

        harness.processWatermark(T0 + 40 * SECOND + HOUR);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(kinds(harness)).hasSize(4);
    }

    @Test
    void heartbeatsOutOfOrderWithinTheBoundGiveTheSameTransitionsAsInOrder() throws Exception {
        // An orchestrator's capabilities every 20 s, a status sample naming a session, a silence.
        List<Heartbeat> beats = new java.util.ArrayList<>();
        for (long s = 0; s <= 100; s += 20) {
            beats.add(caps(T0 + s * SECOND));
        }
        beats.add(status(T0 + 95 * SECOND, "stream-a|req-1"));
        beats.sort(java.util.Comparator.comparingLong(b -> b.eventTime));
        long end = T0 + 400 * SECOND;

        List<NodeTransition> inOrder;
        try (KeyedOneInputStreamOperatorTestHarness<String, Heartbeat, NodeTransition> h =
                detector(CONFIG)) {
            for (Heartbeat b : beats) {
                h.processElement(new StreamRecord<>(b, b.eventTime));
            }
            h.processWatermark(end);
            inOrder = transitions(h);
        }

        // Arrival order scrambled (pairs swapped), the watermark 30 s behind the newest event.
        List<NodeTransition> scrambled;
        try (KeyedOneInputStreamOperatorTestHarness<String, Heartbeat, NodeTransition> h =
                detector(CONFIG)) {
            long newest = Long.MIN_VALUE;
            for (int i = 0; i < beats.size(); i += 2) {
                List<Heartbeat> pair =
                        i + 1 < beats.size()
                                ? List.of(beats.get(i + 1), beats.get(i))
                                : List.of(beats.get(i));
                for (Heartbeat b : pair) {
                    h.processElement(new StreamRecord<>(b, b.eventTime));
                    newest = Math.max(newest, b.eventTime);
                }
                h.processWatermark(newest - 30 * SECOND);
            }
            h.processWatermark(end);
            scrambled = transitions(h);
        }

        assertThat(inOrder)
                .extracting(t -> t.transition)
                .containsExactly(NodeTransition.UP, NodeTransition.DOWN_ABRUPT);
        assertThat(scrambled).isEqualTo(inOrder);
    }

    // --- deadline rules (LivenessDetector#deadline) ---

    /** Snapshots every 60 s from +0 s, status samples of session a every 10 s from +0 s. */
    private void snapshotsAndStatusUntil(long lastStatusSecond) throws Exception {
        for (long s = 0; s <= lastStatusSecond; s += 10) {
            if (s % 60 == 0) {
                send(harness, caps(T0 + s * SECOND));
            }
            send(harness, status(T0 + s * SECOND, SESSION_A));
        }
    }

    @Test
    void activeSessionWhoseStatusStopsIsDownOnTheStatusCadence() throws Exception {
        // Snapshots at +0, +60, +120 s; status of session a every 10 s to +130 s; then nothing.
        snapshotsAndStatusUntil(130);

        // Status gaps of 10 s: timeout max(30 s, 3 x 10 s) = 30 s, due +130 + 30 = +160 s. The
        // status source is on time and session a named the node at +130 s (within 30 s of its
        // last event): the status cadence counts, not the snapshots' +120 + 3 x 60 = +300 s,
        // confirmed by the next snapshot of its one relay: +120 + 60 + 60 / 4 = +195 s.
        harness.processWatermark(T0 + 195 * SECOND - 1);
        assertThat(kinds(harness)).containsExactly(NodeTransition.UP);

        harness.processWatermark(T0 + 195 * SECOND);
        assertThat(last(harness))
                .isEqualTo(
                        expected(
                                ORCH,
                                "orchestrator",
                                NodeTransition.DOWN_ABRUPT,
                                T0 + 195 * SECOND,
                                T0 + 130 * SECOND,
                                65 * SECOND,
                                new String[] {SESSION_A},
                                "silent"));
    }

    @Test
    void closedSessionLeavesTheNodeOnItsSnapshotCadence() throws Exception {
        // As above, but session a's close notice comes 1 s after its last sample (+131 s), and
        // the snapshots go on at +180 and +240 s.
        snapshotsAndStatusUntil(130);
        send(harness, sessionEnd(T0 + 131 * SECOND, SESSION_A));
        send(harness, caps(T0 + 180 * SECOND), caps(T0 + 240 * SECOND));

        // No session is active after the close: every source counts. At +131 s: max(+160 s
        // (status), +120 + 180 = +300 s (snapshots)) = +300 s, so no down at +160 s; the
        // snapshot at +180 s moves it to +360 s, the one at +240 s to +240 + 180 = +420 s.
        harness.processWatermark(T0 + 420 * SECOND - 1);
        assertThat(kinds(harness)).containsExactly(NodeTransition.UP);

        harness.processWatermark(T0 + 420 * SECOND);
        assertThat(last(harness))
                .isEqualTo(
                        expected(
                                ORCH,
                                "orchestrator",
                                NodeTransition.DOWN_ABRUPT,
                                T0 + 420 * SECOND,
                                T0 + 240 * SECOND,
                                180 * SECOND,
                                NONE,
                                "silent"));
    }

    @Test
    void closeAtTheSameTimeAsTheLastSampleStillEndsTheSession() throws Exception {
        // As above, but the close comes at the very millisecond of the last sample (+130 s), and
        // both arrive before the watermark passes them (as with any out-of-orderness bound):
        // they are applied together at +130 s.
        for (long s = 0; s < 130; s += 10) {
            if (s % 60 == 0) {
                send(harness, caps(T0 + s * SECOND));
            }
            send(harness, status(T0 + s * SECOND, SESSION_A));
        }
        harness.processElement(
                new StreamRecord<>(status(T0 + 130 * SECOND, SESSION_A), T0 + 130 * SECOND));
        harness.processElement(
                new StreamRecord<>(sessionEnd(T0 + 130 * SECOND, SESSION_A), T0 + 130 * SECOND));
        send(harness, caps(T0 + 180 * SECOND));

        // The session ended at +130 s whatever the order of the two: no session is active, so
        // the snapshots count: due +180 + 180 = +360 s, nothing at +160 s.
        harness.processWatermark(T0 + 360 * SECOND - 1);
        assertThat(kinds(harness)).containsExactly(NodeTransition.UP);
    }

    @Test
    void gatewayIsDownWhenAllItsOwnSnapshotsAreOverdue() throws Exception {
        // Its own discovery results every 30 s to +270 s, its own capabilities every 60 s to
        // +240 s (sources without '@': the gateway's own).
        for (long s = 0; s <= 270; s += 30) {
            if (s % 60 == 0) {
                send(harness, gatewayCapabilities(T0 + s * SECOND));
            }
            send(harness, gateway(T0 + s * SECOND));
        }

        // Discovery: gap 30 s, timeout max(30 s, 90 s) = 90 s, due +270 + 90 = +360 s.
        // Capabilities: gap 60 s, timeout 180 s, due +240 + 180 = +420 s. The gateway is down
        // when both are overdue: +420 s, 150 s after its last event (+270 s).
        harness.processWatermark(T0 + 420 * SECOND - 1);
        assertThat(kinds(harness)).containsExactly(NodeTransition.UP);

        harness.processWatermark(T0 + 420 * SECOND);
        assertThat(last(harness))
                .isEqualTo(
                        expected(
                                GATEWAY,
                                "gateway",
                                NodeTransition.DOWN_ABRUPT,
                                T0 + 420 * SECOND,
                                T0 + 270 * SECOND,
                                150 * SECOND,
                                NONE,
                                "silent"));
    }

    @Test
    void lostDiscoveryEventsDoNotStretchTheCadence() throws Exception {
        // Discovery at +0, +30, +60, +120, +210, +240 s: gaps 30, 30, 60, 90, 30 s (one and two
        // events lost). Sorted 30, 30, 30, 60, 90: the lower quartile (second smallest) is 30 s,
        // timeout 3 x 30 s = 90 s, down at +240 + 90 = +330 s.
        for (long s : new long[] {0, 30, 60, 120, 210, 240}) {
            send(harness, gateway(T0 + s * SECOND));
        }

        harness.processWatermark(T0 + 330 * SECOND - 1);
        assertThat(kinds(harness)).containsExactly(NodeTransition.UP);
        harness.processWatermark(T0 + 330 * SECOND);
        assertThat(last(harness))
                .isEqualTo(
                        expected(
                                GATEWAY,
                                "gateway",
                                NodeTransition.DOWN_ABRUPT,
                                T0 + 330 * SECOND,
                                T0 + 240 * SECOND,
                                90 * SECOND,
                                NONE,
                                "silent"));

        // Gaps 30, 60, 60, 90, 30 s (+0, +30, +90, +150, +240, +270 s): sorted 30, 30, 60, 60,
        // 90, where the median (60 s) would give 180 s; the lower quartile still gives 30 s, so
        // down at +270 + 90 = +360 s.
        try (KeyedOneInputStreamOperatorTestHarness<String, Heartbeat, NodeTransition> h =
                detector(CONFIG)) {
            for (long s : new long[] {0, 30, 90, 150, 240, 270}) {
                send(h, gateway(T0 + s * SECOND));
            }
            h.processWatermark(T0 + 360 * SECOND - 1);
            assertThat(kinds(h)).containsExactly(NodeTransition.UP);
            h.processWatermark(T0 + 360 * SECOND);
            assertThat(last(h).transition).isEqualTo(NodeTransition.DOWN_ABRUPT);
            assertThat(last(h).lastSeen).isEqualTo(T0 + 270 * SECOND);
            assertThat(last(h).timeoutMs).isEqualTo(90 * SECOND);
        }
    }

    @Test
    void aliasResolvedDropsTheStandInWithoutATransition() throws Exception {
        // A stand-in node (an orchestrator known only by its URI) running session a: status
        // every 10 s to +40 s, so it would be down at +40 + 30 = +70 s.
        String standIn = "orchestrator_uri:https://orch-x.example:8935";
        for (long s = 0; s <= 40; s += 10) {
            send(harness, status(T0 + s * SECOND, SESSION_A).withNode(standIn));
        }
        assertThat(harness.numKeyedStateEntries()).isPositive();

        // Resolved at +45 s: its state and its deadline timer go, without a transition.
        send(harness, aliasResolved(standIn, T0 + 45 * SECOND));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();

        // Nothing later: no DOWN at +70 s, nor at the forget time.
        harness.processWatermark(T0 + 2 * HOUR);
        assertThat(transitions(harness))
                .containsExactly(
                        expected(
                                standIn,
                                "orchestrator",
                                NodeTransition.UP,
                                T0,
                                null,
                                null,
                                null,
                                "first_seen"));
    }
}
