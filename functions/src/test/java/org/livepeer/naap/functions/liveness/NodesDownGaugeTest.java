package org.livepeer.naap.functions.liveness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.livepeer.naap.schemas.output.NodeTransition;

/**
 * The {@code nodes_down} gauge of the detector and of worker liveness: up at a down, back at a
 * recovery or when a down node is forgotten, unchanged by the end of a bounded input, and restored
 * from a checkpoint, also onto more subtasks (the sum stays exact).
 */
class NodesDownGaugeTest extends LivenessTestBase {
    private static final int MAX_PARALLELISM = 128;

    private record Subtask(
            KeyedProcessFunction<String, Heartbeat, NodeTransition> function,
            KeyedOneInputStreamOperatorTestHarness<String, Heartbeat, NodeTransition> harness) {
        long down() {
            return function instanceof LivenessDetector d
                    ? d.nodesDown()
                    : ((WorkerLiveness) function).workersDown();
        }

        void feed(Heartbeat h) throws Exception {
            harness.processElement(new StreamRecord<>(h, h.eventTime));
        }
    }

    private static Subtask subtask(
            KeyedProcessFunction<String, Heartbeat, NodeTransition> function,
            KeySelector<Heartbeat, String> key,
            int parallelism,
            int index,
            OperatorSubtaskState restored)
            throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, Heartbeat, NodeTransition> h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(function),
                        key,
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
        return new Subtask(function, h);
    }

    private static Subtask detector(int parallelism, int index, OperatorSubtaskState restored)
            throws Exception {
        return subtask(new LivenessDetector(CONFIG), h -> h.nodeId, parallelism, index, restored);
    }

    private static Heartbeat gatewayEvent(int gateway, long t) {
        return new Heartbeat(
                "gateway:gw-" + gateway + ".example",
                Heartbeat.GATEWAY,
                t,
                "discovery_results",
                null,
                "discovery_results",
                null,
                null);
    }

    @Test
    void detectorCountsNodesDownUntilTheyRecoverOrAreForgotten() throws Exception {
        Subtask first = detector(1, 0, null);
        for (int g = 1; g <= 4; g++) {
            first.feed(gatewayEvent(g, T0));
        }
        first.harness().processWatermark(T0 + 10 * MINUTE);
        assertThat(kinds(first.harness())).containsOnly("UP", "DOWN_ABRUPT").hasSize(8);
        assertThat(first.down()).isEqualTo(4);
        first.feed(gatewayEvent(1, T0 + 11 * MINUTE));
        first.harness().processWatermark(T0 + 11 * MINUTE);
        assertThat(last(first.harness()).transition).isEqualTo(NodeTransition.RECOVERED);
        assertThat(first.down()).isEqualTo(3);
        OperatorSubtaskState checkpoint = first.harness().snapshot(1, 1);
        first.harness().close();

        // Restored as it was; the end of a bounded input declares nothing and forgets nothing in
        // the count: the three stay down.
        Subtask again = detector(1, 0, checkpoint);
        assertThat(again.down()).isEqualTo(3);
        again.harness().processWatermark(Long.MAX_VALUE);
        assertThat(again.down()).isEqualTo(3);
        again.harness().close();

        // On two subtasks the sum is exact; gw-1 goes down again (+1), then every node down is
        // forgotten an hour after its last event (-4): the sum returns to 0.
        List<Subtask> two = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            two.add(detector(2, i, checkpoint));
        }
        assertThat(two.get(0).down() + two.get(1).down()).isEqualTo(3);
        for (Subtask s : two) {
            s.harness().processWatermark(T0 + 20 * MINUTE);
        }
        assertThat(two.get(0).down() + two.get(1).down()).isEqualTo(4);
        for (Subtask s : two) {
            s.harness().processWatermark(T0 + 3 * HOUR);
            assertThat(s.harness().numKeyedStateEntries()).isZero();
        }
        assertThat(two.get(0).down() + two.get(1).down()).isZero();
        for (Subtask s : two) {
            s.harness().close();
        }
    }

    @Test
    void workerLivenessCountsWorkersDownAndRestoresTheCount() throws Exception {
        Subtask first =
                subtask(new WorkerLiveness(CONFIG), WorkerLiveness.keySelector(), 1, 0, null);
        String worker2 = WORKER.replace("10.0.0.7", "10.0.0.8");
        first.feed(workerConnected(T0));
        first.feed(
                new Heartbeat(
                        worker2,
                        Heartbeat.WORKER,
                        T0,
                        "worker-connected",
                        null,
                        "worker-connected",
                        null,
                        null));
        first.feed(workerDisconnected(T0 + MINUTE));
        first.harness().processWatermark(T0 + MINUTE);
        assertThat(first.down()).isEqualTo(1);
        NodeTransition orchestratorDown = new NodeTransition();
        orchestratorDown.nodeId = ORCH;
        orchestratorDown.nodeKind = Heartbeat.ORCHESTRATOR;
        orchestratorDown.transition = NodeTransition.DOWN_ABRUPT;
        orchestratorDown.at = T0 + 2 * MINUTE;
        orchestratorDown.lastSeen = T0 + MINUTE;
        first.feed(WorkerLiveness.ownerDown(orchestratorDown));
        first.harness().processWatermark(T0 + 2 * MINUTE);
        assertThat(kinds(first.harness()))
                .containsExactly("UP", "UP", "DOWN_GRACEFUL", "DOWN_ABRUPT");
        assertThat(first.down()).isEqualTo(2);
        OperatorSubtaskState checkpoint = first.harness().snapshot(1, 1);
        first.harness().close();

        Subtask again =
                subtask(new WorkerLiveness(CONFIG), WorkerLiveness.keySelector(), 1, 0, checkpoint);
        assertThat(again.down()).isEqualTo(2);
        again.feed(workerConnected(T0 + 3 * MINUTE));
        again.harness().processWatermark(T0 + 3 * MINUTE);
        assertThat(last(again.harness()).transition).isEqualTo(NodeTransition.RECOVERED);
        assertThat(again.down()).isEqualTo(1);
        // The down worker is forgotten an hour after its last event, the other stays up.
        again.harness().processWatermark(T0 + 2 * HOUR);
        assertThat(again.down()).isZero();
        again.harness().close();
    }
}
