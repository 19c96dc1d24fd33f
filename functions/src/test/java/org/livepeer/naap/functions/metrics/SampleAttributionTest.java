package org.livepeer.naap.functions.metrics;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;
import org.livepeer.naap.schemas.output.CapabilityRow;
import org.livepeer.naap.schemas.output.MetricsRow;

/** Samples are attributed with the snapshot in force at their time, whatever the arrival order. */
class SampleAttributionTest {
    private static final long T0 = 1_768_478_400_000L;
    private static final long MAX_AGE = 600_000;
    private static final long FORGET = 3_600_000;
    private static final String A = "0xaaaa000000000000000000000000000000000001";
    private static final String URI_A = "https://orch-a.example:8935";
    private static final String MODEL = "streamdiffusion";

    private static Attribution.OrchestratorSnapshot snapshot(String id, long at, String gpu) {
        CapabilityRow r = new CapabilityRow();
        r.snapshotTime = at;
        r.eventId = id;
        r.orchestratorAddress = A;
        r.orchUri = URI_A;
        r.model = MODEL;
        r.gpuId = gpu;
        return Attribution.OrchestratorSnapshot.of(List.of(r)).get(0);
    }

    private static QualitySample sample(long at) {
        QualitySample q = new QualitySample();
        q.sessionId = "s1";
        q.eventTime = at;
        q.orchestratorUrl = URI_A;
        q.pipeline = "live-video-to-video";
        q.model = MODEL;
        q.fps = 20.0;
        q.frameInterval = 0.05;
        q.onlineMs = 1000;
        return q;
    }

    private static KeyedBroadcastOperatorTestHarness<
                    String, QualitySample, Attribution.OrchestratorSnapshot, MetricsRow>
            harness() throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                new SampleAttribution(MAX_AGE, FORGET),
                q -> q.sessionId,
                Types.STRING,
                Attribution.SNAPSHOT_HISTORY);
    }

    /**
     * Snapshots at T0 (GPU-1), T0 + 10 s (no hardware) and T0 + 20 s (GPU-2); samples at T0 - 1 s,
     * T0 + 5 s, T0 + 15 s and T0 + 20 s, delivered in the given order (samples first or snapshots
     * first), the watermark then passing them all. Returns each sample's orchestrator-scope GPU.
     */
    private static List<String> gpus(boolean snapshotsFirst) throws Exception {
        try (var h = harness()) {
            List<Attribution.OrchestratorSnapshot> snapshots =
                    List.of(
                            snapshot("e3", T0 + 20_000, "GPU-2"),
                            snapshot("e1", T0, "GPU-1"),
                            snapshot("e2", T0 + 10_000, null));
            long[] at = {T0 + 20_000, T0 - 1_000, T0 + 15_000, T0 + 5_000};
            if (snapshotsFirst) {
                for (var s : snapshots) {
                    h.processBroadcastElement(s, s.time);
                }
            }
            for (long t : at) {
                h.processElement(sample(t), t);
            }
            if (!snapshotsFirst) {
                for (var s : snapshots) {
                    h.processBroadcastElement(s, s.time);
                }
            }
            assertThat(h.extractOutputValues()).isEmpty();
            h.processWatermark(new Watermark(T0 + 20_000));
            h.processBroadcastWatermark(new Watermark(T0 + 20_000));
            List<String> out = new ArrayList<>();
            for (Object o : h.getOutput()) {
                if (o instanceof StreamRecord<?> r
                        && r.getValue() instanceof MetricsRow m
                        && MetricsRow.SCOPE_NETWORK.equals(m.scope)) {
                    // Each sample goes out at its own time.
                    assertThat(r.getTimestamp()).isEqualTo(m.windowStart);
                }
            }
            for (MetricsRow m : h.extractOutputValues()) {
                if (MetricsRow.SCOPE_ORCHESTRATOR.equals(m.scope)) {
                    out.add((m.windowStart - T0) + " " + m.gpuId);
                } else if (m.busySeconds > 0 && m.windowStart == T0 - 1_000) {
                    out.add("-1000 roll-up only");
                }
            }
            assertThat(
                            ((HeapKeyedStateBackend<?>)
                                            ((AbstractStreamOperator<?>) h.getOperator())
                                                    .getKeyedStateBackend())
                                    .numKeyValueStateEntries())
                    .isZero();
            assertThat(h.numEventTimeTimers()).isZero();
            return out;
        }
    }

    @Test
    void aSampleTakesTheSnapshotInForceAtItsTime() throws Exception {
        // Before any snapshot: the roll-up only. At 5 s: GPU-1. At 15 s: the snapshot of 10 s
        // lists no hardware, so GPU-1 still stands. At 20 s: GPU-2.
        List<String> expected =
                List.of("-1000 roll-up only", "5000 GPU-1", "15000 GPU-1", "20000 GPU-2");
        assertThat(gpus(true)).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(gpus(false)).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void theHistoryKeepsWhatTheWatermarkHasNotPassedAndForgetsTheSilent() {
        SnapshotHistory h = new SnapshotHistory();
        h.add(snapshot("e3", T0 + 20_000, "GPU-2"));
        h.add(snapshot("e1", T0, "GPU-1"));
        h.add(snapshot("e2", T0 + 10_000, null));
        h.add(snapshot("e2", T0 + 10_000, null));
        assertThat(h.snapshots).extracting(s -> s.eventId).containsExactly("e1", "e2", "e3");

        // Folded at 15 s: the snapshot of 10 s stands for both, with the GPU of the first.
        h.prune(T0 + 15_000);
        assertThat(h.snapshots).extracting(s -> s.eventId).containsExactly("e2", "e3");
        assertThat(h.at(T0 + 15_000, FORGET).rows)
                .extracting(r -> r.gpuId)
                .containsExactly("GPU-1");
        assertThat(h.at(T0 + 25_000, FORGET).rows)
                .extracting(r -> r.gpuId)
                .containsExactly("GPU-2");
        // More than forgetAfter after the latest: forgotten.
        assertThat(h.at(T0 + 20_001 + FORGET, FORGET)).isNull();
        assertSerializedAsPojoWithoutKryo(SnapshotHistory.class);
    }
}
