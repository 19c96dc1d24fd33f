package org.livepeer.naap.functions.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.data.Percentage.withPercentage;

import java.util.List;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.livepeer.naap.schemas.TelemetryEvent;
import org.livepeer.naap.schemas.output.SessionFact;

/** Each per-session measure, with its value worked out by hand. */
class SessionMeasuresTest extends SessionTestBase {
    /** The sketches' relative accuracy, in percent. */
    private static final double SKETCH_ERROR_PCT = 1.0;

    private KeyedOneInputStreamOperatorTestHarness<String, TelemetryEvent, SessionFact> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = tracker(CONFIG);
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private SessionFact closeAt(long time, TelemetryEvent... events) throws Exception {
        send(harness, events);
        send(harness, close(time));
        harness.processWatermark(time);
        List<SessionFact> finals = finals(harness);
        assertThat(finals).hasSize(1);
        return finals.get(0);
    }

    @Test
    void statusSamplesGiveFpsRealtimeJitterOnlineTimeCoverageAndRestarts() throws Exception {
        SessionFact f =
                closeAt(
                        T0 + 100 * SECOND,
                        status(T0, "LOADING", 0).inputFps(20).restartCount(0).event(),
                        status(T0 + 10 * SECOND, "ONLINE", 10).inputFps(20).restartCount(0).event(),
                        status(T0 + 20 * SECOND, "ONLINE", 20).inputFps(20).restartCount(1).event(),
                        status(T0 + 30 * SECOND, "ONLINE", 0).inputFps(20).restartCount(1).event(),
                        // No restart_count: a new runner, counting from 0 again.
                        status(T0 + 40 * SECOND, "ONLINE", 20).inputFps(20).event(),
                        status(T0 + 80 * SECOND, "ONLINE", 20)
                                .inputFps(20)
                                .restartCount(2)
                                .event());

        // Output fps from the first sample above 0 on: 10, 20, 0, 20, 20.
        assertThat(f.outputFpsMean).isEqualTo(14.0);
        assertThat(f.outputFpsP50).isCloseTo(20.0, withPercentage(SKETCH_ERROR_PCT));
        assertThat(f.outputFpsP5).isEqualTo(0.0);
        assertThat(f.inputFps).isEqualTo(20.0);
        assertThat(f.realtimeRatio).isCloseTo(0.7, within(1e-12));
        // Frame intervals of ONLINE samples with fps: 0.1, 0.05, 0.05, 0.05; mean 0.0625,
        // population stddev sqrt(0.001875 / 4); coefficient sqrt(3) / 5.
        assertThat(f.jitterCoefficient).isCloseTo(Math.sqrt(3) / 5, within(1e-9));
        // ONLINE-to-ONLINE gaps: 10 + 10 + 10 + min(40, 30) s.
        assertThat(f.onlineS).isEqualTo(60.0);
        // Span T0..T0+100 s at a 10 s cadence: 10 expected, 6 received.
        assertThat(f.statusSamples).isEqualTo(6);
        assertThat(f.statusSamplesExpected).isEqualTo(10);
        assertThat(f.healthCoverage).isCloseTo(0.6, within(1e-12));
        // restart_count 0, 0, 1, 1, (reset) 0, 2: growth 1 + 2.
        assertThat(f.restarts).isEqualTo(3);
        assertThat(f.errors).isZero();
        assertThat(f.loadingOnly).isFalse();
        assertThat(f.zeroOutputFps).isFalse();
    }

    @Test
    void jitterCoefficientIsUnknownUnderThreeSamplesAndRealtimeRatioIsCapped() throws Exception {
        SessionFact f =
                closeAt(
                        T0 + 30 * SECOND,
                        status(T0, "ONLINE", 30).inputFps(25).event(),
                        status(T0 + 10 * SECOND, "ONLINE", 30).inputFps(25).event());
        assertThat(f.jitterCoefficient).isNull();
        assertThat(f.realtimeRatio).isEqualTo(1.0);
    }

    @Test
    void promptUpdateTimeRunsFromTheParamsUpdateToTheFirstOutputAfterIt() throws Exception {
        SessionFact f =
                closeAt(
                        T0 + 40 * SECOND,
                        status(T0, "ONLINE", 20).params("h1", T0 - 5_000, T0 - 100).event(),
                        // Prompt change at T0+8 s; the output time is still older.
                        status(T0 + 10 * SECOND, "ONLINE", 20)
                                .params("h2", T0 + 8_000, T0 + 7_000)
                                .event(),
                        // First output after it: 600 ms.
                        status(T0 + 20 * SECOND, "ONLINE", 20)
                                .params("h2", T0 + 8_000, T0 + 8_600)
                                .event(),
                        // A second change, seen in the same sample: 900 ms.
                        status(T0 + 30 * SECOND, "ONLINE", 20)
                                .params("h3", T0 + 29_000, T0 + 29_900)
                                .event());
        assertThat(f.promptUpdates).isEqualTo(2);
        assertThat(f.promptUpdateMsMax).isEqualTo(900L);
        assertThat((double) f.promptUpdateMsP50).isCloseTo(600.0, withPercentage(SKETCH_ERROR_PCT));
    }

    @Test
    void ingestSamplesGiveBandwidthNetworkJitterLossAndPtsLatency() throws Exception {
        SessionFact f =
                closeAt(
                        T0 + 20 * SECOND,
                        ingest(T0, 0, 0, 10, 1, 0),
                        ingest(T0 + 5 * SECOND, 62_500, 125_000, 20, 2, 0.5),
                        // BytesReceived went down: a reset, all 10,000 bytes are new.
                        ingest(T0 + 10 * SECOND, 10_000, 250_000, 30, 3, 1.5));
        // Upload: 62,500 B in 5 s = 100,000 bit/s, then 10,000 B in 5 s = 16,000 bit/s;
        // mean 72,500 B x 8 / 10 s.
        assertThat(f.uploadBpsMean).isEqualTo(58_000.0);
        assertThat(f.uploadBpsPeak).isEqualTo(100_000.0);
        assertThat(f.downloadBpsMean).isEqualTo(200_000.0);
        assertThat(f.downloadBpsPeak).isEqualTo(200_000.0);
        // Video tracks only (the audio track's 999 ms and 50 % are ignored).
        assertThat(f.networkJitterMsMean).isEqualTo(20.0);
        assertThat(f.networkJitterMsP95).isCloseTo(30.0, withPercentage(SKETCH_ERROR_PCT));
        assertThat(f.packetLossPct).isEqualTo(2.0);
        // Non-zero latencies 0.5 s and 1.5 s: mean 1 s.
        assertThat(f.e2ePtsLatencyMs).isEqualTo(1_000.0);
        // No status sample in a 20 s span: 0 of 2 expected; online time stays unknown.
        assertThat(f.statusSamplesExpected).isEqualTo(2);
        assertThat(f.healthCoverage).isEqualTo(0.0);
        assertThat(f.onlineS).isNull();
    }

    @Test
    void sessionWithoutSamplesHasUnknownMeasuresNotZeros() throws Exception {
        SessionFact f = closeAt(T0 + 5 * SECOND, request(T0));
        assertThat(f.uploadBpsMean).isNull();
        assertThat(f.networkJitterMsMean).isNull();
        assertThat(f.networkJitterMsP95).isNull();
        assertThat(f.e2ePtsLatencyMs).isNull();
        assertThat(f.outputFpsMean).isNull();
        assertThat(f.outputFpsP5).isNull();
        assertThat(f.inputFps).isNull();
        assertThat(f.realtimeRatio).isNull();
        assertThat(f.promptUpdateMsP50).isNull();
        assertThat(f.promptUpdateMsMax).isNull();
        // A 5 s span holds no whole 10 s status interval: coverage is unknown.
        assertThat(f.statusSamplesExpected).isZero();
        assertThat(f.healthCoverage).isNull();
        assertThat(f.payments).isZero();
        assertThat(f.paymentsWei).isEqualTo("0");
        assertThat(f.pipeline).isNull();
        assertThat(f.model).isNull();
    }

    @Test
    void sketchesSurviveTheirByteForm() {
        byte[] bytes = null;
        for (int i = 1; i <= 100; i++) {
            bytes = Sketches.add(bytes, i);
        }
        assertThat(Sketches.decode(bytes).getCount()).isEqualTo(100.0);
        assertThat(Sketches.quantile(bytes, 0.5)).isCloseTo(50.0, withPercentage(2.0));
        assertThat(Sketches.quantile(null, 0.5)).isNull();
    }
}
