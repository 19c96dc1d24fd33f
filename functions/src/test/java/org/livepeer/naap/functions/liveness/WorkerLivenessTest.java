package org.livepeer.naap.functions.liveness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.livepeer.naap.schemas.output.NodeTransition;

/** Workers: up on connect, graceful on disconnect, down with their orchestrator, forgotten. */
class WorkerLivenessTest extends LivenessTestBase {
    private static final String WORKER_2 =
            "worker:0xaaaa000000000000000000000000000000000001@10.0.0.8:50051";

    private KeyedOneInputStreamOperatorTestHarness<String, Heartbeat, NodeTransition> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new WorkerLiveness(CONFIG)),
                        WorkerLiveness.keySelector(),
                        Types.STRING);
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private void feed(Heartbeat h) throws Exception {
        harness.processElement(new StreamRecord<>(h, h.eventTime));
    }

    private static Heartbeat connected(String worker, long t) {
        return new Heartbeat(
                worker,
                Heartbeat.WORKER,
                t,
                "worker-connected",
                null,
                "worker-connected",
                null,
                null);
    }

    private static Heartbeat ownerDown(long at, long ownerLastSeen) {
        NodeTransition t = new NodeTransition();
        t.nodeId = ORCH;
        t.nodeKind = Heartbeat.ORCHESTRATOR;
        t.transition = NodeTransition.DOWN_ABRUPT;
        t.at = at;
        t.lastSeen = ownerLastSeen;
        return WorkerLiveness.ownerDown(t);
    }

    private List<NodeTransition> out() {
        return harness.extractOutputValues();
    }

    @Test
    void workerKeysByItsOrchestrator() {
        assertThat(WorkerLiveness.ownerOf(WORKER)).isEqualTo(ORCH);
        assertThat(WorkerLiveness.ownerOf("worker:0xabc")).isEqualTo("orchestrator:0xabc");
    }

    @Test
    void workersGoDownWithTheirOrchestratorExceptOneAttachedAfterItsLastSignOfLife()
            throws Exception {
        // Worker 1 connects at +0 s, worker 2 at +100 s. The orchestrator was last heard of at
        // +90 s and is found down at +120 s: worker 1 (last seen +0 s <= +90 s) goes down with it
        // at +120 s; worker 2, heard of after +90 s, belongs to a newer process and stays up.
        feed(connected(WORKER, T0));
        feed(connected(WORKER_2, T0 + 100 * SECOND));
        feed(ownerDown(T0 + 120 * SECOND, T0 + 90 * SECOND));
        harness.processWatermark(T0 + 120 * SECOND);

        assertThat(out()).hasSize(3);
        NodeTransition down = out().get(2);
        assertThat(down.nodeId).isEqualTo(WORKER);
        assertThat(down.nodeKind).isEqualTo("worker");
        assertThat(down.transition).isEqualTo(NodeTransition.DOWN_ABRUPT);
        assertThat(down.at).isEqualTo(T0 + 120 * SECOND);
        assertThat(down.lastSeen).isEqualTo(T0);
        assertThat(down.reason).isEqualTo("orchestrator_down");
        assertThat(out().subList(0, 2))
                .extracting(t -> t.nodeId + " " + t.transition)
                .containsExactly(WORKER + " UP", WORKER_2 + " UP");

        // It reconnects at +200 s: RECOVERED, last seen before it +0 s.
        feed(connected(WORKER, T0 + 200 * SECOND));
        harness.processWatermark(T0 + 200 * SECOND);
        assertThat(out().get(3).transition).isEqualTo(NodeTransition.RECOVERED);
        assertThat(out().get(3).at).isEqualTo(T0 + 200 * SECOND);
    }

    @Test
    void disconnectIsGracefulAndAnOrchestratorDownAfterItChangesNothing() throws Exception {
        feed(connected(WORKER, T0));
        feed(workerDisconnected(T0 + 60 * SECOND));
        feed(ownerDown(T0 + 120 * SECOND, T0 + 90 * SECOND));
        harness.processWatermark(T0 + 120 * SECOND);

        assertThat(out())
                .extracting(t -> t.transition)
                .containsExactly(NodeTransition.UP, NodeTransition.DOWN_GRACEFUL);
        assertThat(out().get(1).reason).isEqualTo("worker_disconnected");
    }

    @Test
    void aWorkerSilentForForgetAfterIsForgottenAndStateIsEmpty() throws Exception {
        feed(connected(WORKER, T0));
        harness.processWatermark(T0);
        assertThat(harness.numKeyedStateEntries()).isPositive();

        // Forgotten one hour (forget-after) after its last event, silently.
        harness.processWatermark(T0 + HOUR);
        assertThat(out()).extracting(t -> t.transition).containsExactly(NodeTransition.UP);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();

        // A later event is a first sighting again.
        feed(connected(WORKER, T0 + 2 * HOUR));
        harness.processWatermark(T0 + 2 * HOUR);
        assertThat(out().get(1).transition).isEqualTo(NodeTransition.UP);
    }

    @Test
    void theEndOfABoundedInputDeclaresNothingAndClearsState() throws Exception {
        feed(connected(WORKER, T0));
        harness.processWatermark(Long.MAX_VALUE);

        assertThat(out()).extracting(t -> t.transition).containsExactly(NodeTransition.UP);
        assertThat(harness.numKeyedStateEntries()).isZero();
    }
}
