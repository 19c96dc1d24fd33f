package org.livepeer.naap.functions.metrics;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.livepeer.naap.schemas.output.CapabilityRow;
import org.livepeer.naap.schemas.output.SessionFact;

/** Each attribution status, a snapshot after the session, a hot wallet fronting two. */
class AttributionTest {
    private static final long T0 = 1_768_483_800_000L;
    private static final long SECOND = 1_000L;
    private static final long MINUTE = 60 * SECOND;
    private static final long WAIT = 2 * MINUTE;
    private static final long MAX_AGE = 10 * MINUTE;

    private static final String A = "0xaaaa000000000000000000000000000000000001";
    private static final String B = "0xbbbb000000000000000000000000000000000002";
    private static final String HOT = "0xcccc000000000000000000000000000000000003";
    private static final String HOT_A = "0xdddd000000000000000000000000000000000004";
    private static final String URI_A = "https://orch-a.example:8935";
    private static final String URI_B = "https://orch-b.example:8935";
    private static final String MODEL = "streamdiffusion-sdxl";
    private static final String GPU_1 = "GPU-1111";
    private static final String GPU_2 = "GPU-2222";

    private KeyedBroadcastOperatorTestHarness<
                    String, SessionFact, Attribution.OrchestratorSnapshot, SessionFact>
            harness;

    @BeforeEach
    void setUp() throws Exception {
        harness =
                ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                        new Attribution(WAIT, MAX_AGE, 60 * MINUTE),
                        f -> f.sessionId,
                        Types.STRING,
                        Attribution.SNAPSHOTS);
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private static CapabilityRow row(
            long t, String event, String address, String hot, String uri, String gpu) {
        CapabilityRow r = new CapabilityRow();
        r.snapshotTime = t;
        r.eventId = event;
        r.orchestratorAddress = address;
        r.hotWallet = hot;
        r.orchUri = uri;
        r.capability = "35";
        r.model = MODEL;
        r.gpuId = gpu;
        r.gpuName = gpu == null ? null : "NVIDIA H100 80GB HBM3";
        return r;
    }

    private static SessionFact fact(String status, long at, String address, String uri) {
        SessionFact f = new SessionFact();
        f.status = status;
        f.sessionId = "stream-a|req-1";
        f.model = MODEL;
        f.orchestratorAddress = address;
        f.orchestratorUrl = uri;
        f.emittedAt = at;
        f.lastEventAt = at;
        return f;
    }

    /** The rows of one event, as whole snapshots per orchestrator. */
    private void snapshot(CapabilityRow... rows) throws Exception {
        for (Attribution.OrchestratorSnapshot s :
                Attribution.OrchestratorSnapshot.of(List.of(rows))) {
            harness.processBroadcastElement(s, s.time);
        }
    }

    /** Both inputs' watermark: the operator's is their minimum. */
    private void watermark(long t) throws Exception {
        harness.processWatermark(new Watermark(t));
        harness.processBroadcastWatermark(new Watermark(t));
    }

    private int keyedEntries() {
        return ((HeapKeyedStateBackend<?>) harness.getOperator().getKeyedStateBackend())
                .numKeyValueStateEntries();
    }

    private SessionFact attribute(SessionFact f) throws Exception {
        int before = harness.extractOutputValues().size();
        harness.processElement(f, f.emittedAt);
        List<SessionFact> out = harness.extractOutputValues();
        assertThat(out).hasSize(before + 1);
        return out.get(out.size() - 1);
    }

    @Test
    void byUriWithTheModelOnOneGpuIsResolvedToThatGpu() throws Exception {
        snapshot(row(T0, "e1", A, HOT_A, URI_A, GPU_1));

        // The traces name the hot wallet and the URI: the URI decides.
        SessionFact f = attribute(fact(SessionFact.STATUS_FINAL, T0 + MINUTE, HOT_A, URI_A));

        assertThat(f.attribution).isEqualTo(Attribution.RESOLVED);
        assertThat(f.canonicalAddress).isEqualTo(A);
        assertThat(f.gpuId).isEqualTo(GPU_1);
        assertThat(f.gpuName).isEqualTo("NVIDIA H100 80GB HBM3");
    }

    @Test
    void aModelOnTwoGpusIsResolvedWithoutAGpu() throws Exception {
        // One entry: the model's hardware lists two GPUs; nothing says which served the stream.
        snapshot(row(T0, "e1", A, HOT_A, URI_A, GPU_1), row(T0, "e1", A, HOT_A, URI_A, GPU_2));

        SessionFact f = attribute(fact(SessionFact.STATUS_FINAL, T0 + MINUTE, HOT_A, URI_A));

        assertThat(f.attribution).isEqualTo(Attribution.RESOLVED);
        assertThat(f.canonicalAddress).isEqualTo(A);
        assertThat(f.gpuId).isNull();
    }

    @Test
    void noHardwareForTheModelIsHardwareLess() throws Exception {
        // No snapshot of A ever listed hardware.
        snapshot(row(T0, "e1", A, HOT_A, URI_A, null));

        SessionFact f = attribute(fact(SessionFact.STATUS_FINAL, T0 + MINUTE, HOT_A, URI_A));

        assertThat(f.attribution).isEqualTo(Attribution.HARDWARE_LESS);
        assertThat(f.canonicalAddress).isEqualTo(A);
        assertThat(f.gpuId).isNull();
    }

    @Test
    void withoutAUriTheCanonicalAddressOrASoleHotWalletResolves() throws Exception {
        snapshot(row(T0, "e1", A, HOT_A, URI_A, GPU_1));

        assertThat(attribute(fact(SessionFact.STATUS_LIVE, T0 + MINUTE, A, null)).canonicalAddress)
                .isEqualTo(A);
        SessionFact byHot = attribute(fact(SessionFact.STATUS_LIVE, T0 + MINUTE, HOT_A, null));
        assertThat(byHot.canonicalAddress).isEqualTo(A);
        assertThat(byHot.attribution).isEqualTo(Attribution.RESOLVED);
    }

    @Test
    void aHotWalletFrontingTwoOrchestratorsIsAmbiguousUnlessTheUriSays() throws Exception {
        snapshot(row(T0, "e1", A, HOT, URI_A, GPU_1), row(T0, "e1", B, HOT, URI_B, GPU_2));

        // Only the hot wallet: A or B, never guessed. Ambiguity does not wait for a snapshot.
        SessionFact ambiguous = attribute(fact(SessionFact.STATUS_FINAL, T0 + MINUTE, HOT, null));
        assertThat(ambiguous.attribution).isEqualTo(Attribution.AMBIGUOUS);
        assertThat(ambiguous.canonicalAddress).isNull();

        // With B's URI it is B.
        SessionFact b = attribute(fact(SessionFact.STATUS_FINAL, T0 + MINUTE, HOT, URI_B));
        assertThat(b.canonicalAddress).isEqualTo(B);
        assertThat(b.gpuId).isEqualTo(GPU_2);
    }

    @Test
    void aSnapshotOlderThanTheMaximumAgeBeforeTheLastEventIsStale() throws Exception {
        snapshot(row(T0, "e1", A, HOT_A, URI_A, GPU_1));

        // Last event 10 min after the snapshot: still fresh; 10 min 1 ms after: stale.
        SessionFact fresh = attribute(fact(SessionFact.STATUS_FINAL, T0 + MAX_AGE, HOT_A, URI_A));
        assertThat(fresh.attribution).isEqualTo(Attribution.RESOLVED);
        SessionFact stale =
                attribute(fact(SessionFact.STATUS_FINAL, T0 + MAX_AGE + 1, HOT_A, URI_A));
        assertThat(stale.attribution).isEqualTo(Attribution.STALE);
        assertThat(stale.canonicalAddress).isEqualTo(A);
    }

    @Test
    void aSnapshotThatArrivesAfterTheSessionStillAttributesItsFinalFact() throws Exception {
        // No snapshot yet: a live update goes out unresolved at once...
        SessionFact live = attribute(fact(SessionFact.STATUS_LIVE, T0, HOT_A, URI_A));
        assertThat(live.attribution).isEqualTo(Attribution.UNRESOLVED);

        // ...the final fact waits (nothing out)...
        harness.processElement(fact(SessionFact.STATUS_FINAL, T0 + 30 * SECOND, HOT_A, URI_A), T0);
        assertThat(harness.extractOutputValues()).hasSize(1);

        // ...until the first snapshot naming the orchestrator arrives, 40 s later.
        snapshot(row(T0 + 70 * SECOND, "e1", A, HOT_A, URI_A, GPU_1));
        List<SessionFact> out = harness.extractOutputValues();
        assertThat(out).hasSize(2);
        assertThat(out.get(1).status).isEqualTo(SessionFact.STATUS_FINAL);
        assertThat(out.get(1).attribution).isEqualTo(Attribution.RESOLVED);
        assertThat(out.get(1).canonicalAddress).isEqualTo(A);
        assertThat(keyedEntries()).isZero();
    }

    @Test
    void aFinalFactNoSnapshotResolvesGoesOutUnresolvedAfterTheWait() throws Exception {
        snapshot(row(T0, "e1", B, HOT, URI_B, GPU_2));
        harness.processElement(fact(SessionFact.STATUS_FINAL, T0 + MINUTE, HOT_A, URI_A), T0);

        watermark(T0 + MINUTE + WAIT - 1);
        assertThat(harness.extractOutputValues()).isEmpty();
        watermark(T0 + MINUTE + WAIT);

        assertThat(harness.extractOutputValues()).hasSize(1);
        SessionFact f = harness.extractOutputValues().get(0);
        assertThat(f.attribution).isEqualTo(Attribution.UNRESOLVED);
        assertThat(f.canonicalAddress).isNull();
        assertThat(keyedEntries()).isZero();
    }

    @Test
    void aSessionThatNeverHadAnOrchestratorIsUnresolvedAtOnce() throws Exception {
        SessionFact f = attribute(fact(SessionFact.STATUS_FINAL, T0, null, null));

        assertThat(f.attribution).isEqualTo(Attribution.UNRESOLVED);
        assertThat(keyedEntries()).isZero();
    }

    @Test
    void aNewerSnapshotReplacesTheOrchestratorsRowsAndAnOlderOneIsIgnored() throws Exception {
        snapshot(row(T0, "e1", A, HOT_A, URI_A, GPU_1));
        // Later the model moved to GPU 2; a delayed older snapshot (still GPU 1) changes nothing.
        snapshot(row(T0 + MINUTE, "e2", A, HOT_A, URI_A, GPU_2));
        snapshot(row(T0 + 30 * SECOND, "e0", A, HOT_A, URI_A, GPU_1));

        SessionFact f = attribute(fact(SessionFact.STATUS_FINAL, T0 + 2 * MINUTE, HOT_A, URI_A));

        assertThat(f.gpuId).isEqualTo(GPU_2);
    }

    @Test
    void aSnapshotWithoutHardwareKeepsTheGpusTheLastOneListed() throws Exception {
        snapshot(row(T0, "e1", A, HOT_A, URI_A, GPU_1));
        // A later entry of A without hardware (the field is optional).
        snapshot(row(T0 + MINUTE, "e2", A, HOT_A, URI_A, null));

        SessionFact f = attribute(fact(SessionFact.STATUS_FINAL, T0 + 2 * MINUTE, HOT_A, URI_A));

        assertThat(f.attribution).isEqualTo(Attribution.RESOLVED);
        assertThat(f.gpuId).isEqualTo(GPU_1);
    }

    @Test
    void theSnapshotStateIsAPojo() {
        assertSerializedAsPojoWithoutKryo(Attribution.OrchestratorSnapshot.class);
    }
}
