package org.livepeer.naap.functions.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.livepeer.naap.schemas.output.CapabilityRow;
import org.livepeer.naap.schemas.output.MetricsRow;

/** Offered GPU time: slots held until the next snapshot, capped, split by minute; and CUE. */
class OfferedCapacityTest {
    private static final long T0 = 1_768_478_400_000L;
    private static final long SECOND = 1_000L;
    private static final long HOLD = 120 * SECOND;
    private static final String A = "0xaaaa000000000000000000000000000000000001";

    private KeyedOneInputStreamOperatorTestHarness<
                    String, Attribution.OrchestratorSnapshot, MetricsRow>
            harness;

    @BeforeEach
    void setUp() throws Exception {
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new OfferedCapacity(HOLD)),
                        s -> s.address,
                        Types.STRING);
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    /** A snapshot of A: model M on one GPU with {@code slots}, and a batch model (not live). */
    private static Attribution.OrchestratorSnapshot snapshot(long t, long slots) {
        CapabilityRow live = new CapabilityRow();
        live.snapshotTime = t;
        live.eventId = "e" + t;
        live.orchestratorAddress = A;
        live.capability = "35";
        live.pipeline = "live-video-to-video";
        live.model = "streamdiffusion";
        live.capacity = slots;
        live.gpuId = "GPU-1";
        CapabilityRow batch = new CapabilityRow();
        batch.snapshotTime = t;
        batch.eventId = "e" + t;
        batch.orchestratorAddress = A;
        batch.capability = "27";
        batch.pipeline = "text-to-image";
        batch.model = "SG161222/RealVisXL_V4.0_Lightning";
        batch.capacity = 1L;
        return Attribution.OrchestratorSnapshot.of(List.of(live, batch)).get(0);
    }

    private List<MetricsRow> orchestratorRows() {
        return harness.extractOutputValues().stream()
                .filter(r -> MetricsRow.SCOPE_ORCHESTRATOR.equals(r.scope))
                .toList();
    }

    @Test
    void slotsAreHeldUntilTheNextSnapshotAndSplitAtMinutes() throws Exception {
        // 2 slots from 12:00:50; the next snapshot at 12:01:20 (30 s later): 2 x 10 s in minute
        // 12:00 and 2 x 20 s in minute 12:01. The batch model offers nothing here.
        harness.processElement(new StreamRecord<>(snapshot(T0 + 50 * SECOND, 2), T0));
        harness.processElement(new StreamRecord<>(snapshot(T0 + 80 * SECOND, 1), T0));
        harness.processWatermark(T0 + 80 * SECOND);

        List<MetricsRow> rows = orchestratorRows();
        assertThat(rows).extracting(r -> r.model).containsOnly("streamdiffusion");
        assertThat(rows).extracting(r -> r.gpuId).containsOnly("GPU-1");
        assertThat(rows)
                .extracting(r -> r.windowStart)
                .containsExactly(T0 + 50 * SECOND, T0 + 60 * SECOND);
        assertThat(rows).extracting(r -> r.offeredSeconds).containsExactly(20.0, 40.0);
        // The roll-up gets the same.
        assertThat(harness.extractOutputValues()).hasSize(4);
    }

    @Test
    void aSnapshotVouchesForTheHoldAtMostAndNothingAfterTheInputEnds() throws Exception {
        // 1 slot at 12:00:00, never listed again: offered for 120 s (12:00 and 12:01), then
        // forgotten.
        harness.processElement(new StreamRecord<>(snapshot(T0, 1), T0));
        harness.processWatermark(T0 + HOLD);
        List<MetricsRow> rows = orchestratorRows();
        assertThat(rows).extracting(r -> r.offeredSeconds).containsExactly(60.0, 60.0);
        assertThat(harness.numKeyedStateEntries()).isZero();

        // Listed once more, then the input ends: nothing offered after its last snapshot.
        harness.processElement(new StreamRecord<>(snapshot(T0 + 10 * 60 * SECOND, 1), T0));
        harness.processWatermark(Long.MAX_VALUE);
        assertThat(orchestratorRows()).hasSize(2);
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void cueIsUsefulOverOfferedAndItsFactors() {
        // 120 slot-seconds offered; sessions ONLINE 90 s at real-time ratio 0.8: busy 90,
        // useful 72. utilization 0.75, efficiency 0.8, cue 0.6.
        MetricsRow r = new MetricsRow();
        r.offeredSeconds = 120;
        r.busySeconds = 90;
        r.usefulSeconds = 72;
        Demand.finish(r);
        assertThat(r.gpuUtilization).isCloseTo(0.75, within(1e-12));
        assertThat(r.gpuEfficiency).isCloseTo(0.8, within(1e-12));
        assertThat(r.cue).isCloseTo(0.6, within(1e-12));

        QualitySample q = new QualitySample();
        q.eventTime = T0;
        q.model = "streamdiffusion";
        q.onlineMs = 10_000;
        q.realtimeRatio = 0.8;
        MetricsRow c =
                Demand.contributions(
                                q,
                                new Attribution.Resolution(A, "GPU-1", null, Attribution.RESOLVED))
                        .get(0);
        assertThat(c.busySeconds).isEqualTo(10.0);
        assertThat(c.usefulSeconds).isCloseTo(8.0, within(1e-12));
    }
}
