package org.livepeer.naap.functions.metrics;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.livepeer.naap.schemas.output.MetricsRow;
import org.livepeer.naap.schemas.output.SessionFact;

/** Demand counts, rates and percentiles per window; revisions; exact re-aggregation; state. */
class WindowedMetricsTest {
    /** 2026-01-15T12:00:00Z: a whole hour. */
    private static final long T0 = 1_768_478_400_000L;

    private static final long SECOND = 1_000L;
    private static final long MINUTE = 60 * SECOND;
    private static final long HOUR = 60 * MINUTE;
    private static final long SETTLE = MINUTE;
    private static final long RETENTION = 6 * HOUR;

    private static final String A = "0xaaaa000000000000000000000000000000000001";
    private static final String PIPELINE = "live-video-to-video";
    private static final String MODEL = "streamdiffusion-sdxl";
    private static final String GPU = "GPU-1111";

    private KeyedOneInputStreamOperatorTestHarness<String, MetricsRow, MetricsRow> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = newHarness();
        harness.open();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, MetricsRow, MetricsRow>
            newHarness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new WindowedMetrics(SETTLE, RETENTION, RETENTION)),
                Demand::keyOf,
                Types.STRING);
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    /** A final fact of a requested session on A (attributed to GPU) started at {@code at}. */
    private static SessionFact session(long at, String outcome, boolean failed, Long ptffMs) {
        SessionFact f = new SessionFact();
        f.status = SessionFact.STATUS_FINAL;
        f.sessionId = "s-" + at;
        f.requested = true;
        f.startedAt = at;
        f.pipeline = PIPELINE;
        f.model = MODEL;
        f.canonicalAddress = A;
        f.gpuId = GPU;
        f.gpuName = "NVIDIA H100 80GB HBM3";
        f.attribution = Attribution.RESOLVED;
        f.startupOutcome = outcome;
        f.effectiveFailed = failed;
        f.ptffMs = ptffMs;
        f.e2eLatencyMs = ptffMs == null ? null : ptffMs / 2;
        return f;
    }

    private void send(SessionFact f, long arrivalTime) throws Exception {
        for (MetricsRow c : Demand.contributions(f)) {
            harness.processElement(new StreamRecord<>(c, arrivalTime));
        }
    }

    private List<MetricsRow> rows(String resolution, String scope) {
        List<MetricsRow> out = new ArrayList<>();
        for (MetricsRow r : harness.extractOutputValues()) {
            if (r.resolution.equals(resolution) && r.scope.equals(scope)) {
                out.add(r);
            }
        }
        return out;
    }

    @Test
    void aMinuteCountsTheSessionsRequestedInItWithRatesAndPercentiles() throws Exception {
        // Three sessions requested at 12:00:10, :20, :30: two started, one unexcused and failed;
        // PTFF 1000, 2000 and 3000 ms.
        send(session(T0 + 10 * SECOND, "success", false, 1000L), T0 + 10 * SECOND);
        send(session(T0 + 20 * SECOND, "success", false, 2000L), T0 + 20 * SECOND);
        send(session(T0 + 30 * SECOND, "unexcused", true, 3000L), T0 + 30 * SECOND);

        // The minute [12:00, 12:01) goes out when the watermark passes 12:01 plus the settle.
        harness.processWatermark(T0 + MINUTE + SETTLE - 1);
        assertThat(harness.extractOutputValues()).isEmpty();
        harness.processWatermark(T0 + MINUTE + SETTLE);

        List<MetricsRow> minutes = rows(MetricsRow.MINUTE, MetricsRow.SCOPE_ORCHESTRATOR);
        assertThat(minutes).hasSize(1);
        MetricsRow m = minutes.get(0);
        assertThat(m.windowStart).isEqualTo(T0);
        assertThat(m.windowEnd).isEqualTo(T0 + MINUTE);
        assertThat(m.orchestratorAddress).isEqualTo(A);
        assertThat(m.gpuId).isEqualTo(GPU);
        assertThat(m.revision).isZero();
        assertThat(m.requested).isEqualTo(3);
        assertThat(m.startupSuccess).isEqualTo(2);
        assertThat(m.unexcused).isEqualTo(1);
        assertThat(m.effectiveFailed).isEqualTo(1);
        // Rates over requested: 2/3 started, 1/3 failed, none swapped.
        assertThat(m.startupSuccessRate).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(m.failureRate).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(m.swapRate).isEqualTo(0.0);
        // Nearest rank of 1000, 2000, 3000: p50 is rank 2 (2000), p95 rank 3 (3000), within 1 %.
        assertThat(m.ptffMsP50).isCloseTo(2000, within(20.0));
        assertThat(m.ptffMsP95).isCloseTo(3000, within(30.0));
        // e2e: 500, 1000, 1500 ms: mean 1000 exactly.
        assertThat(m.e2eLatencyMsMean).isEqualTo(1000.0);
        // The network roll-up counts the same three.
        assertThat(rows(MetricsRow.MINUTE, MetricsRow.SCOPE_NETWORK).get(0).requested).isEqualTo(3);
    }

    @Test
    void aSessionThatEndsAfterItsMinuteWentOutRevisesIt() throws Exception {
        send(session(T0 + 10 * SECOND, "success", false, 1000L), T0 + 10 * SECOND);
        harness.processWatermark(T0 + MINUTE + SETTLE);
        assertThat(rows(MetricsRow.MINUTE, MetricsRow.SCOPE_ORCHESTRATOR)).hasSize(1);

        // Requested at 12:00:40, it ended (and its fact came) at 12:05.
        send(session(T0 + 40 * SECOND, "unexcused", true, null), T0 + 5 * MINUTE);
        harness.processWatermark(T0 + 5 * MINUTE);

        List<MetricsRow> minutes = rows(MetricsRow.MINUTE, MetricsRow.SCOPE_ORCHESTRATOR);
        assertThat(minutes).hasSize(2);
        MetricsRow revised = minutes.get(1);
        assertThat(revised.windowStart).isEqualTo(T0);
        assertThat(revised.revision).isEqualTo(1);
        assertThat(revised.requested).isEqualTo(2);
        assertThat(revised.failureRate).isEqualTo(0.5);
        // Re-emitted at the point of the emission grid (the window's end plus the settle time plus
        // whole minutes) at or after the time of the fact: 12:05, whatever watermark it found.
        assertThat(revised.emittedAt).isEqualTo(T0 + 5 * MINUTE);
    }

    @Test
    void aRevisionRightAfterARestoreGoesOutAtAValidTime() throws Exception {
        send(session(T0 + 10 * SECOND, "success", false, 1000L), T0 + 10 * SECOND);
        harness.processWatermark(T0 + MINUTE + SETTLE);
        assertThat(rows(MetricsRow.MINUTE, MetricsRow.SCOPE_ORCHESTRATOR)).hasSize(1);
        OperatorSubtaskState snapshot = harness.snapshot(1L, T0 + 3 * MINUTE);
        harness.close();

        // Restored: no watermark has reached the operator yet when a late fact revises the
        // minute that already went out.
        harness = newHarness();
        harness.initializeState(snapshot);
        harness.open();
        send(session(T0 + 40 * SECOND, "unexcused", true, null), T0 + 5 * MINUTE);
        harness.processWatermark(T0 + 5 * MINUTE);

        List<MetricsRow> minutes = rows(MetricsRow.MINUTE, MetricsRow.SCOPE_ORCHESTRATOR);
        assertThat(minutes).hasSize(1);
        assertThat(minutes.get(0).revision).isEqualTo(1);
        assertThat(minutes.get(0).requested).isEqualTo(2);
        // The same as without the restore: at the grid point at or after the fact's time.
        assertThat(minutes.get(0).emittedAt).isEqualTo(T0 + 5 * MINUTE);
        for (Object out : harness.getOutput()) {
            if (out instanceof StreamRecord<?> record) {
                assertThat(record.getTimestamp()).isEqualTo(T0 + 5 * MINUTE);
            }
        }
    }

    /** A contribution of {@code seconds} offered on A at {@code at}, for a sum of doubles. */
    private static MetricsRow offered(long at, double seconds) {
        MetricsRow r = new MetricsRow();
        r.scope = MetricsRow.SCOPE_ORCHESTRATOR;
        r.orchestratorAddress = A;
        r.pipeline = PIPELINE;
        r.model = MODEL;
        r.gpuId = GPU;
        r.windowStart = at;
        r.offeredSeconds = seconds;
        return r;
    }

    /**
     * The contributions of one input with their times: sessions requested over three minutes, some
     * ending (their facts coming) minutes later; offered time whose double sum depends on the order
     * of addition (0.1 + 0.2 + 0.3 is not 0.3 + 0.2 + 0.1).
     */
    private static List<StreamRecord<MetricsRow>> input() {
        List<StreamRecord<MetricsRow>> in = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            long at = T0 + i * 20 * SECOND + 3 * SECOND;
            long endsAt = i % 3 == 0 ? at + (2 + i) * MINUTE : at + 5 * SECOND;
            for (MetricsRow c :
                    Demand.contributions(session(at, "success", i % 4 == 0, 900L + 41 * i))) {
                in.add(new StreamRecord<>(c, endsAt));
            }
        }
        double[] seconds = {0.1, 0.2, 0.3, 0.7, 1e-17, 3.3};
        for (int i = 0; i < seconds.length; i++) {
            // Two at each of three times, the same in both minutes of the same second.
            long at = T0 + (i / 2) * 30 * SECOND + 10 * SECOND;
            in.add(new StreamRecord<>(offered(at, seconds[i]), at));
        }
        return in;
    }

    /** What the operator emits for {@code in} delivered in this order, with these watermarks. */
    private static List<List<Object>> run(List<StreamRecord<MetricsRow>> in, long[] watermarks)
            throws Exception {
        var h = newHarness();
        h.open();
        int next = 0;
        for (long wm : watermarks) {
            // Everything up to the watermark arrives before it (none late), in the given order.
            for (StreamRecord<MetricsRow> r : in) {
                long previous = next == 0 ? Long.MIN_VALUE : watermarks[next - 1];
                if (r.getTimestamp() <= wm && r.getTimestamp() > previous) {
                    h.processElement(new StreamRecord<>(r.getValue().copy(), r.getTimestamp()));
                }
            }
            h.processWatermark(wm);
            next++;
        }
        // Per key and window in emission order; the order between keys is the timers'.
        List<List<Object>> out = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof StreamRecord<?> r && r.getValue() instanceof MetricsRow row) {
                out.add(List.of(Demand.keyOf(row) + " " + row.resolution, r.getTimestamp(), row));
            }
        }
        out.sort(java.util.Comparator.comparing(l -> (String) l.get(0)));
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        h.close();
        return out;
    }

    @Test
    void theRowsDoNotDependOnArrivalOrderOrOnHowTheWatermarkAdvances() throws Exception {
        List<StreamRecord<MetricsRow>> in = input();
        List<StreamRecord<MetricsRow>> reversed = new ArrayList<>(in);
        java.util.Collections.reverse(reversed);
        List<StreamRecord<MetricsRow>> shuffled = new ArrayList<>(in);
        java.util.Collections.shuffle(shuffled, new java.util.Random(7));

        List<Long> everySecond = new ArrayList<>();
        for (long t = T0; t <= T0 + 20 * MINUTE; t += SECOND) {
            everySecond.add(t);
        }
        everySecond.add(Long.MAX_VALUE);
        long[] fine = everySecond.stream().mapToLong(Long::longValue).toArray();
        long[] coarse = {T0 + 7 * MINUTE + 13 * SECOND, T0 + 9 * MINUTE, Long.MAX_VALUE};
        long[] once = {Long.MAX_VALUE};

        List<List<Object>> reference = run(in, fine);
        // Revisions happened, and the double sums are order-sensitive: the test means something.
        assertThat(reference).anyMatch(l -> ((MetricsRow) l.get(2)).revision == 1);
        assertThat(0.1 + 0.2 + 0.3).isNotEqualTo(0.3 + 0.2 + 0.1);
        assertThat(run(reversed, fine)).isEqualTo(reference);
        assertThat(run(shuffled, coarse)).isEqualTo(reference);
        assertThat(run(reversed, once)).isEqualTo(reference);
    }

    @Test
    void anHourIsExactlyTheMergeOfItsMinutes() throws Exception {
        // 120 sessions over the hour, 2 a minute, with varied outcomes and PTFFs.
        for (int i = 0; i < 120; i++) {
            long at = T0 + i * 30 * SECOND + 7 * SECOND;
            String outcome = i % 7 == 0 ? "unexcused" : i % 11 == 0 ? "excused" : "success";
            send(session(at, outcome, i % 7 == 0, 800L + 37L * i), at);
        }
        harness.processWatermark(T0 + HOUR + SETTLE);

        List<MetricsRow> minutes = rows(MetricsRow.MINUTE, MetricsRow.SCOPE_ORCHESTRATOR);
        assertThat(minutes).hasSize(60);
        MetricsRow merged = minutes.get(0).copy();
        for (MetricsRow m : minutes.subList(1, 60)) {
            Demand.merge(merged, m);
        }
        Demand.finish(merged);
        MetricsRow hour = rows(MetricsRow.HOUR, MetricsRow.SCOPE_ORCHESTRATOR).get(0);

        assertThat(hour.requested).isEqualTo(120);
        // 0, 7, ..., 119: 18 unexcused; of the rest, multiples of 11 not of 7 (0 is unexcused):
        // 11, 22, 33, 44, 55, 66, 88, 99, 110 = 9 excused; 93 started.
        assertThat(hour.unexcused).isEqualTo(18);
        assertThat(hour.excused).isEqualTo(9);
        assertThat(hour.startupSuccess).isEqualTo(93);
        for (MetricsRow r : List.of(merged)) {
            assertThat(r.requested).isEqualTo(hour.requested);
            assertThat(r.startupSuccess).isEqualTo(hour.startupSuccess);
            assertThat(r.effectiveFailed).isEqualTo(hour.effectiveFailed);
            assertThat(r.failureRate).isEqualTo(hour.failureRate);
            assertThat(r.ptffMsP50).isEqualTo(hour.ptffMsP50);
            assertThat(r.ptffMsP95).isEqualTo(hour.ptffMsP95);
            assertThat(r.ptffMsP99).isEqualTo(hour.ptffMsP99);
            assertThat(r.e2eLatencyMsMean).isEqualTo(hour.e2eLatencyMsMean);
            assertThat(r.e2eLatencyMsP95).isEqualTo(hour.e2eLatencyMsP95);
        }
        // The sketch's p95 is the nearest-rank value within 1 %: rank ceil(0.95 x 120) = 114 of
        // 800 + 37 i, i.e. i = 113: 4981 ms.
        assertThat(hour.ptffMsP95).isCloseTo(4981, within(4981 * 0.01));
    }

    @Test
    void aContributionOlderThanTheRetentionIsDroppedAndStateClears() throws Exception {
        send(session(T0 + 10 * SECOND, "success", false, 1000L), T0 + 10 * SECOND);
        harness.processWatermark(T0 + HOUR + RETENTION);
        // Both windows emitted, then forgotten at their retention.
        assertThat(harness.extractOutputValues()).hasSize(4);
        assertThat(harness.numKeyedStateEntries()).isZero();

        // A session requested then, ending now: too late to revise; nothing out, nothing held.
        send(session(T0 + 20 * SECOND, "success", false, 1000L), T0 + HOUR + RETENTION);
        harness.processWatermark(T0 + HOUR + RETENTION + MINUTE);
        assertThat(harness.extractOutputValues()).hasSize(4);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void unattributedAndUnrequestedSessions() throws Exception {
        SessionFact unattributed = session(T0 + 10 * SECOND, "excused", false, null);
        unattributed.canonicalAddress = null;
        unattributed.excuseReason = "no_orchestrators";
        SessionFact notRequested = session(T0 + 20 * SECOND, null, false, null);
        notRequested.requested = false;
        SessionFact live = session(T0 + 30 * SECOND, "success", false, 1000L);
        live.status = SessionFact.STATUS_LIVE;

        assertThat(Demand.contributions(unattributed))
                .extracting(r -> r.scope)
                .containsExactly(MetricsRow.SCOPE_NETWORK);
        assertThat(Demand.contributions(notRequested)).isEmpty();
        assertThat(Demand.contributions(live)).isEmpty();

        send(unattributed, T0 + 10 * SECOND);
        harness.processWatermark(Long.MAX_VALUE);
        MetricsRow n = rows(MetricsRow.MINUTE, MetricsRow.SCOPE_NETWORK).get(0);
        assertThat(n.orchestratorAddress).isNull();
        assertThat(n.gpuId).isNull();
        assertThat(n.excused).isEqualTo(1);
        assertThat(n.noOrchestrator).isEqualTo(1);
        assertThat(n.startupSuccessRate).isEqualTo(0.0);
        assertThat(n.ptffMsP50).isNull();
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    private static QualitySample sample(long at, Double fps, Double interval) {
        QualitySample q = new QualitySample();
        q.sessionId = "s-1";
        q.eventTime = at;
        q.pipeline = PIPELINE;
        q.model = MODEL;
        q.fps = fps;
        q.frameInterval = interval;
        return q;
    }

    @Test
    void statusSamplesGiveOutputFpsAndJitterInTheWindowsTheyFallIn() throws Exception {
        Attribution.Resolution onA =
                new Attribution.Resolution(A, GPU, "NVIDIA H100 80GB HBM3", Attribution.RESOLVED);
        // Four ONLINE samples in minute 12:00 at 10, 20, 20, 20 fps; one at 12:01 (next minute).
        double[] fps = {10, 20, 20, 20};
        for (int i = 0; i < fps.length; i++) {
            for (MetricsRow c :
                    Demand.contributions(
                            sample(T0 + (10 + 10 * i) * SECOND, fps[i], 1.0 / fps[i]), onA)) {
                harness.processElement(new StreamRecord<>(c, c.windowStart));
            }
        }
        for (MetricsRow c : Demand.contributions(sample(T0 + 70 * SECOND, 30.0, 1.0 / 30), onA)) {
            harness.processElement(new StreamRecord<>(c, c.windowStart));
        }
        harness.processWatermark(Long.MAX_VALUE);

        MetricsRow m = rows(MetricsRow.MINUTE, MetricsRow.SCOPE_ORCHESTRATOR).get(0);
        assertThat(m.windowStart).isEqualTo(T0);
        assertThat(m.fpsCount).isEqualTo(4);
        // Mean (10 + 20 + 20 + 20) / 4 = 17.5; nearest rank of 10, 20, 20, 20: p5 rank 1 (10),
        // p50 rank 2 (20), within 1 %.
        assertThat(m.outputFpsMean).isEqualTo(17.5);
        assertThat(m.outputFpsP5).isCloseTo(10, within(0.1));
        assertThat(m.outputFpsP50).isCloseTo(20, within(0.2));
        // Intervals 0.1, 0.05, 0.05, 0.05 s: mean 0.0625, population variance
        // 0.0175 / 4 - 0.0625^2 = 0.00046875, sd 0.0216506, CV 0.3464102.
        assertThat(m.jitterCoefficient).isCloseTo(0.3464102, within(1e-6));
        // No session was requested in it: its rates are unknown, not 0.
        assertThat(m.requested).isZero();
        assertThat(m.failureRate).isNull();
        // One session sampled in each minute: at most 1 running at once.
        assertThat(m.activeSessionsMax).isEqualTo(1L);
        // The hour has all five samples: (70 + 30) / 5 = 20 fps.
        MetricsRow h = rows(MetricsRow.HOUR, MetricsRow.SCOPE_ORCHESTRATOR).get(0);
        assertThat(h.fpsCount).isEqualTo(5);
        assertThat(h.outputFpsMean).isEqualTo(20.0);
    }

    @Test
    void aSampleOfAnUnresolvedOrchestratorCountsInTheRollUpOnly() {
        Attribution.Resolution none =
                new Attribution.Resolution(null, null, null, Attribution.UNRESOLVED);
        assertThat(Demand.contributions(sample(T0, 20.0, 0.05), none))
                .extracting(r -> r.scope)
                .containsExactly(MetricsRow.SCOPE_NETWORK);
        // A sample before the session's first frame (no fps counted, not ONLINE) adds nothing.
        assertThat(Demand.contributions(sample(T0, null, null), none)).isEmpty();
    }

    @Test
    void ingestSamplesGiveBandwidthMeanAndPeak() throws Exception {
        Attribution.Resolution onA = new Attribution.Resolution(A, GPU, null, Attribution.RESOLVED);
        // 1,000,000 bytes up in 5 s (1.6 Mbit/s) then 500,000 in 5 s (0.8 Mbit/s); 10 kB down
        // each time.
        long[][] samples = {{8_000_000, 80_000, 5_000}, {4_000_000, 80_000, 5_000}};
        for (int i = 0; i < samples.length; i++) {
            QualitySample q = sample(T0 + (5 + 5 * i) * SECOND, null, null);
            q.uploadBits = samples[i][0];
            q.downloadBits = samples[i][1];
            q.ingestMs = samples[i][2];
            for (MetricsRow c : Demand.contributions(q, onA)) {
                harness.processElement(new StreamRecord<>(c, c.windowStart));
            }
        }
        harness.processWatermark(Long.MAX_VALUE);

        MetricsRow m = rows(MetricsRow.MINUTE, MetricsRow.SCOPE_ORCHESTRATOR).get(0);
        // 12,000,000 bits over 10 s: 1.2 Mbit/s; the peak interval 1.6 Mbit/s.
        assertThat(m.uploadBpsMean).isEqualTo(1_200_000.0);
        assertThat(m.uploadBpsPeak).isEqualTo(1_600_000.0);
        assertThat(m.downloadBpsMean).isEqualTo(16_000.0);
        assertThat(m.downloadBpsPeak).isEqualTo(16_000.0);
        // No fps: its figures stay unknown.
        assertThat(m.outputFpsMean).isNull();
    }

    @Test
    void activeSessionsMaxIsTheBusiestMinute() throws Exception {
        Attribution.Resolution onA = new Attribution.Resolution(A, GPU, null, Attribution.RESOLVED);
        // Minute 12:00: sessions s1, s2, s3 (s1 twice); minute 12:01: s1 only.
        String[][] minutes = {{"s1", "s2", "s1", "s3"}, {"s1"}};
        for (int m = 0; m < minutes.length; m++) {
            for (int i = 0; i < minutes[m].length; i++) {
                QualitySample q = sample(T0 + m * MINUTE + (5 + i) * SECOND, 20.0, 0.05);
                q.sessionId = minutes[m][i];
                for (MetricsRow c : Demand.contributions(q, onA)) {
                    harness.processElement(new StreamRecord<>(c, c.windowStart));
                }
            }
        }
        harness.processWatermark(Long.MAX_VALUE);

        List<MetricsRow> rows = rows(MetricsRow.MINUTE, MetricsRow.SCOPE_ORCHESTRATOR);
        assertThat(rows).extracting(r -> r.activeSessionsMax).containsExactly(3L, 1L);
        MetricsRow hour = rows(MetricsRow.HOUR, MetricsRow.SCOPE_ORCHESTRATOR).get(0);
        assertThat(hour.activeSessionsMax).isEqualTo(3L);
        MetricsRow merged = rows.get(0).copy();
        Demand.merge(merged, rows.get(1));
        assertThat(merged.activeSessionsMax).isEqualTo(hour.activeSessionsMax);
        assertThat(hour.sessionId).isNull();
    }

    @Test
    void jitterNeedsThreeIntervals() {
        MetricsRow r = new MetricsRow();
        r.intervalCount = 2;
        r.intervalSum = 0.1;
        r.intervalSumSquares = 0.005;
        assertThat(Demand.jitter(r)).isNull();
    }

    @Test
    void rowsAndStateArePojos() {
        assertSerializedAsPojoWithoutKryo(MetricsRow.class);
        assertSerializedAsPojoWithoutKryo(WindowedMetrics.WindowState.class);
    }
}
