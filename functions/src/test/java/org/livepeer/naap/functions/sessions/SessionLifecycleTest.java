package org.livepeer.naap.functions.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.livepeer.naap.schemas.TelemetryEvent;
import org.livepeer.naap.schemas.output.SessionFact;

/** Startup outcomes, ends, live updates, segments and swaps, health flags, late data, state. */
class SessionLifecycleTest extends SessionTestBase {
    private KeyedOneInputStreamOperatorTestHarness<String, TelemetryEvent, SessionFact> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = tracker(CONFIG);
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private SessionFact onlyFinal() {
        List<SessionFact> finals = finals(harness);
        assertThat(finals).hasSize(1);
        return finals.get(0);
    }

    /** Sends the events, then a close 30 s after T0, and passes the watermark over it. */
    private SessionFact closedSession(TelemetryEvent... events) throws Exception {
        send(harness, events);
        send(harness, close(T0 + 30 * SECOND));
        harness.processWatermark(T0 + 30 * SECOND);
        return onlyFinal();
    }

    // ---- the close grace

    @Test
    void anErrorPublishedJustAfterTheCloseStillCountsWithinTheCloseGrace() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, TelemetryEvent, SessionFact> h =
                tracker(SessionConfig.defaults())) {
            long closeAt = T0 + 30 * SECOND;
            send(h, request(T0), close(closeAt));
            // The gateway's own error carries no node timestamp: its publish time, 1 ms after
            // the close, stands.
            send(h, error(closeAt + 1, "whip disconnected"));
            h.processWatermark(closeAt + 4_999);
            assertThat(finals(h)).isEmpty();
            h.processWatermark(closeAt + 5_000);
            SessionFact f = finals(h).get(0);
            assertThat(f.endReason).isEqualTo(SessionTracker.END_CLOSED);
            assertThat(f.endedAt).isEqualTo(closeAt);
            assertThat(f.emittedAt).isEqualTo(closeAt + 5_000);
            assertThat(f.errors).isEqualTo(1);
            assertThat(f.startupOutcome).isEqualTo("excused");

            send(h, error(closeAt + 5_001, "whip disconnected"));
            h.processWatermark(closeAt + 5_001);
            assertThat(h.getSideOutput(SessionTracker.LATE_SESSION_EVENTS)).hasSize(1);
            assertThat(finals(h)).hasSize(1);
            h.processWatermark(closeAt + 5_000 + RETAIN);
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    // ---- startup outcomes and their precedence

    @Test
    void playableSessionIsASuccessWithItsStartupTimes() throws Exception {
        SessionFact f =
                closedSession(
                        request(T0),
                        trace("gateway_send_first_ingest_segment", T0 + 500, ORCH_A_URL),
                        trace("runner_receive_first_ingest_segment", T0 + 800, ORCH_A_URL),
                        trace("runner_send_first_processed_segment", T0 + 1_200, ORCH_A_URL),
                        trace("gateway_receive_first_processed_segment", T0 + 1_500, ORCH_A_URL),
                        trace("gateway_receive_few_processed_segments", T0 + 3_000, ORCH_A_URL));

        assertThat(f.status).isEqualTo(SessionFact.STATUS_FINAL);
        assertThat(f.sessionId).isEqualTo(SESSION);
        assertThat(f.gateway).isEqualTo(GATEWAY);
        assertThat(f.requested).isTrue();
        assertThat(f.startupOutcome).isEqualTo("success");
        assertThat(f.excuseReason).isNull();
        assertThat(f.startupMs).isEqualTo(1_500L);
        assertThat(f.ptffMs).isEqualTo(3_000L);
        assertThat(f.e2eLatencyMs).isEqualTo(1_000L);
        assertThat(f.runnerStartupMs).isEqualTo(400L);
        assertThat(f.segments).isEqualTo(1);
        assertThat(f.orchestratorUrl).isEqualTo(ORCH_A_URL);
        assertThat(f.effectiveFailed).isFalse();
        assertThat(f.endReason).isEqualTo(SessionTracker.END_CLOSED);
        assertThat(f.startedAt).isEqualTo(T0);
        assertThat(f.endedAt).isEqualTo(T0 + 30 * SECOND);
        // No status sample: every status-derived measure is unknown, not 0.
        assertThat(f.outputFpsMean).isNull();
        assertThat(f.onlineS).isNull();
        assertThat(f.restarts).isNull();
        assertThat(f.ptffMs).isNotNull();
    }

    @Test
    void playableBeatsNoOrchestrators() throws Exception {
        SessionFact f =
                closedSession(
                        request(T0),
                        trace("gateway_no_orchestrators_available", T0 + 1_000),
                        trace("gateway_receive_few_processed_segments", T0 + 5_000, ORCH_A_URL));
        assertThat(f.startupOutcome).isEqualTo("success");
    }

    @Test
    void noOrchestratorsBeatsExcusableAndUnexcusedErrors() throws Exception {
        SessionFact f =
                closedSession(
                        request(T0),
                        trace("gateway_no_orchestrators_available", T0 + 1_000),
                        error(T0 + 1_100, "No orchestrators available"),
                        error(T0 + 1_200, "CUDA out of memory"));
        assertThat(f.startupOutcome).isEqualTo("excused");
        assertThat(f.excuseReason).isEqualTo("no_orchestrators");
        assertThat(f.effectiveFailed).isFalse();
    }

    @Test
    void excusableErrorsOnlyExcuseTheStartup() throws Exception {
        SessionFact f =
                closedSession(
                        request(T0),
                        error(T0 + 1_000, "ingest failed: WHIP Disconnected"),
                        status(T0 + 2_000, "LOADING", 0).lastError("Missing video").event());
        assertThat(f.startupOutcome).isEqualTo("excused");
        assertThat(f.excuseReason).isEqualTo("excusable_error");
        // Only ai_stream_events errors are counted; the status last_error only takes part in rule
        // 4.
        assertThat(f.errors).isEqualTo(1);
        assertThat(f.excusableErrors).isEqualTo(1);
    }

    @Test
    void excusableBeatsUnexcusedOnlyWhenEveryErrorIsExcusable() throws Exception {
        SessionFact f =
                closedSession(
                        request(T0),
                        error(T0 + 1_000, "whip disconnected"),
                        status(T0 + 2_000, "ERROR", 0).lastError("CUDA out of memory").event());
        assertThat(f.startupOutcome).isEqualTo("unexcused");
        assertThat(f.excuseReason).isNull();
        assertThat(f.effectiveFailed).isTrue();
        assertThat(f.errors).isEqualTo(1);
        assertThat(f.excusableErrors).isEqualTo(1);
    }

    @Test
    void requestedSessionWithoutAnyErrorThatNeverPlaysIsUnexcused() throws Exception {
        SessionFact f = closedSession(request(T0));
        assertThat(f.startupOutcome).isEqualTo("unexcused");
        assertThat(f.effectiveFailed).isTrue();
    }

    @Test
    void sessionWithoutARequestIsOutsideTheStartupDenominator() throws Exception {
        SessionFact f = closedSession(status(T0 + 1_000, "ONLINE", 20).event());
        assertThat(f.requested).isFalse();
        assertThat(f.startupOutcome).isNull();
        assertThat(f.startedAt).isEqualTo(T0 + 1_000);
        assertThat(f.startupMs).isNull();
        assertThat(f.effectiveFailed).isFalse();
    }

    // ---- ends

    @Test
    void eachStatusSampleGoesToTheMetricsAsAQualitySample() throws Exception {
        send(
                harness,
                request(T0),
                status(T0 + 10 * SECOND, "LOADING", 0).event(),
                status(T0 + 20 * SECOND, "ONLINE", 20).event(),
                status(T0 + 30 * SECOND, "ONLINE", 0).event());
        harness.processWatermark(T0 + 30 * SECOND);

        List<org.livepeer.naap.functions.metrics.QualitySample> samples = new ArrayList<>();
        harness.getSideOutput(SessionTracker.QUALITY_SAMPLES)
                .forEach(r -> samples.add(r.getValue()));
        assertThat(samples).hasSize(3);
        // Output fps counts from the first sample above 0 on (later zeros included); a frame
        // interval only for ONLINE samples above 0.
        assertThat(samples).extracting(q -> q.fps).containsExactly(null, 20.0, 0.0);
        assertThat(samples).extracting(q -> q.frameInterval).containsExactly(null, 0.05, null);
        assertThat(samples)
                .extracting(q -> q.eventTime)
                .containsExactly(T0 + 10 * SECOND, T0 + 20 * SECOND, T0 + 30 * SECOND);
        assertThat(samples.get(1).sessionId).isEqualTo(SESSION);
    }

    /** The verdict wait of the defaults: 30 s. */
    private static final long VERDICT = CONFIG.orchestratorVerdictWait().toMillis();

    @Test
    void silentSessionTimesOutWhenTheWatermarkPassesTheIdleTimeout() throws Exception {
        // A session that never had an orchestrator cannot lose one: it ends at its idle timeout.
        send(harness, request(T0 + 5 * SECOND));
        harness.processWatermark(T0 + 5 * SECOND + IDLE - 1);
        assertThat(finals(harness)).isEmpty();

        harness.processWatermark(T0 + 5 * SECOND + IDLE);
        SessionFact f = onlyFinal();
        assertThat(f.endReason).isEqualTo(SessionTracker.END_TIMED_OUT);
        assertThat(f.endedAt).isEqualTo(T0 + 5 * SECOND);
        assertThat(f.emittedAt).isEqualTo(T0 + 5 * SECOND + IDLE);
        assertThat(f.lastEventAt).isEqualTo(T0 + 5 * SECOND);
    }

    @Test
    void silentSessionOnAnOrchestratorWaitsForTheVerdictThenTimesOut() throws Exception {
        // Its status samples name orchestrator A: silent from +5 s, its idle timeout passes at
        // +65 s; it waits 30 s more for liveness to speak of A, then ends timed_out at +95 s,
        // ended at its last event.
        send(harness, request(T0), status(T0 + 5 * SECOND, "ONLINE", 20).event());
        harness.processWatermark(T0 + 5 * SECOND + IDLE + VERDICT - 1);
        assertThat(finals(harness)).isEmpty();

        harness.processWatermark(T0 + 5 * SECOND + IDLE + VERDICT);
        SessionFact f = onlyFinal();
        assertThat(f.endReason).isEqualTo(SessionTracker.END_TIMED_OUT);
        assertThat(f.endedAt).isEqualTo(T0 + 5 * SECOND);
        assertThat(f.emittedAt).isEqualTo(T0 + 5 * SECOND + IDLE + VERDICT);
    }

    @Test
    void orchestratorDownDuringTheVerdictWaitEndsItAsOrchestratorLost() throws Exception {
        // A is declared down at +80 s (after the idle timeout at +65 s, within the wait).
        send(harness, request(T0), status(T0 + 5 * SECOND, "ONLINE", 20).event());
        send(
                harness,
                SessionTracker.orchestratorLostNotice(SESSION, "orchestrator:a", T0 + 80 * SECOND));
        harness.processWatermark(T0 + 5 * SECOND + IDLE + VERDICT);

        SessionFact f = onlyFinal();
        assertThat(f.endReason).isEqualTo(SessionTracker.END_ORCHESTRATOR_LOST);
        assertThat(f.endedAt).isEqualTo(T0 + 5 * SECOND);
        assertThat(f.effectiveFailed).isTrue();
    }

    @Test
    void aSessionThatGoesOnAfterItsOrchestratorsDownIsNotLost() throws Exception {
        // A down at +20 s names the session, but the session's samples go on to +40 s (on
        // another orchestrator): when it falls silent it times out.
        send(
                harness,
                request(T0),
                status(T0 + 5 * SECOND, "ONLINE", 20).event(),
                SessionTracker.orchestratorLostNotice(SESSION, "orchestrator:a", T0 + 20 * SECOND),
                status(T0 + 40 * SECOND, "ONLINE", 20).event());
        harness.processWatermark(T0 + 40 * SECOND + IDLE + VERDICT);

        assertThat(onlyFinal().endReason).isEqualTo(SessionTracker.END_TIMED_OUT);
    }

    @Test
    void anEventDuringTheVerdictWaitIsLateAndNeverReopensTheSession() throws Exception {
        send(harness, request(T0), status(T0 + 5 * SECOND, "ONLINE", 20).event());
        harness.processWatermark(T0 + 5 * SECOND + IDLE);
        send(harness, status(T0 + 70 * SECOND, "ONLINE", 20).event());
        harness.processWatermark(T0 + 5 * SECOND + IDLE + VERDICT);

        SessionFact f = onlyFinal();
        assertThat(f.endReason).isEqualTo(SessionTracker.END_TIMED_OUT);
        assertThat(f.lastEventAt).isEqualTo(T0 + 5 * SECOND);
        assertThat(harness.getSideOutput(SessionTracker.LATE_SESSION_EVENTS)).hasSize(1);
    }

    @Test
    void eventsWithinTheIdleTimeoutKeepTheSessionOpen() throws Exception {
        send(harness, request(T0), status(T0 + 50 * SECOND, "ONLINE", 20).event());
        harness.processWatermark(T0 + IDLE);
        assertThat(finals(harness)).isEmpty();
        harness.processWatermark(T0 + 50 * SECOND + IDLE + VERDICT);
        assertThat(onlyFinal().endReason).isEqualTo(SessionTracker.END_TIMED_OUT);
    }

    @Test
    void sessionStillOpenAtTheEndOfABoundedInputEndsAsOpen() throws Exception {
        send(harness, request(T0), status(T0 + 5 * SECOND, "ONLINE", 20).event());
        harness.processWatermark(T0 + 10 * SECOND);
        assertThat(finals(harness)).isEmpty();

        harness.processWatermark(Long.MAX_VALUE);
        SessionFact f = onlyFinal();
        assertThat(f.endReason).isEqualTo(SessionTracker.END_OPEN);
        assertThat(f.endedAt).isNull();
        assertThat(f.lastEventAt).isEqualTo(T0 + 5 * SECOND);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void finalWatermarkAppliesBufferedEventsBeforeEndingTheSession() throws Exception {
        send(harness, request(T0), status(T0 + 5 * SECOND, "ONLINE", 20).event());
        send(harness, status(T0 + 15 * SECOND, "ONLINE", 20).event());
        harness.processWatermark(Long.MAX_VALUE);
        SessionFact f = onlyFinal();
        assertThat(f.endReason).isEqualTo(SessionTracker.END_OPEN);
        assertThat(f.statusSamples).isEqualTo(2);
        assertThat(f.onlineS).isEqualTo(10.0);
    }

    // ---- live updates

    @Test
    void emitsLiveUpdatesAtMostEveryUpdateInterval() throws Exception {
        send(harness, request(T0));
        for (long t = T0; t <= T0 + 30 * SECOND; t += 2 * SECOND) {
            send(harness, status(t, "ONLINE", 20).event());
            harness.processWatermark(t);
        }
        List<SessionFact> live = facts(harness, SessionFact.STATUS_LIVE);
        assertThat(live)
                .extracting(f -> f.emittedAt)
                .containsExactly(T0, T0 + 10 * SECOND, T0 + 20 * SECOND, T0 + 30 * SECOND);
        assertThat(live).extracting(f -> f.version).containsExactly(0, 1, 2, 3);
        assertThat(live).allSatisfy(f -> assertThat(f.endReason).isNull());
        assertThat(live.get(1).statusSamples).isEqualTo(6);

        send(harness, close(T0 + 31 * SECOND));
        harness.processWatermark(T0 + 31 * SECOND);
        assertThat(onlyFinal().version).isEqualTo(4);
        assertThat(onlyFinal().statusSamples).isEqualTo(16);
    }

    // ---- segments and swaps

    @Test
    void swapTraceNearAChangeConfirmsItAndALoneChangeIsInferred() throws Exception {
        send(
                harness,
                request(T0),
                // Before selection the info is empty: it never opens a segment.
                trace("gateway_send_first_ingest_segment", T0 + 100),
                status(T0 + 10 * SECOND, "ONLINE", 20).orchestrator(ORCH_A_URL).event(),
                status(T0 + 20 * SECOND, "ONLINE", 20).orchestrator(ORCH_B_URL).event(),
                swap(T0 + 45 * SECOND, ORCH_B_URL),
                status(T0 + 60 * SECOND, "ONLINE", 20).orchestrator(ORCH_B_URL).event(),
                status(T0 + 100 * SECOND, "ONLINE", 20).orchestrator(ORCH_C_URL).event(),
                close(T0 + 110 * SECOND));
        harness.processWatermark(T0 + 110 * SECOND);

        SessionFact f = onlyFinal();
        // A -> B at 20 s, explained by the swap trace 25 s later; B -> C at 100 s, no trace.
        assertThat(f.segments).isEqualTo(3);
        assertThat(f.confirmedSwaps).isEqualTo(1);
        assertThat(f.inferredSwaps).isEqualTo(1);
        assertThat(f.swapped).isTrue();
        assertThat(f.orchestratorUrl).isEqualTo(ORCH_A_URL);
    }

    @Test
    void swapTraceOutsideTheWindowExplainsNothing() throws Exception {
        send(
                harness,
                request(T0),
                status(T0 + 10 * SECOND, "ONLINE", 20).orchestrator(ORCH_A_URL).event(),
                swap(T0 + 15 * SECOND, ORCH_A_URL),
                status(T0 + 50 * SECOND, "ONLINE", 20).orchestrator(ORCH_B_URL).event(),
                close(T0 + 60 * SECOND));
        harness.processWatermark(T0 + 60 * SECOND);
        SessionFact f = onlyFinal();
        assertThat(f.segments).isEqualTo(2);
        assertThat(f.confirmedSwaps).isEqualTo(1);
        assertThat(f.inferredSwaps).isEqualTo(1);
    }

    @Test
    void sameOrchestratorThroughoutIsOneSegmentWithoutSwaps() throws Exception {
        SessionFact f =
                closedSession(
                        request(T0),
                        status(T0 + 10 * SECOND, "ONLINE", 20).event(),
                        status(T0 + 20 * SECOND, "ONLINE", 20).event());
        assertThat(f.segments).isEqualTo(1);
        assertThat(f.swapped).isFalse();
        assertThat(f.orchestratorAddress).isEqualTo(ORCH_A_ADDRESS.toLowerCase());
        assertThat(f.pipeline).isEqualTo("live-video-to-video");
        assertThat(f.model).isEqualTo("streamdiffusion-sdxl");
    }

    // ---- health flags

    @Test
    void loadingOnlySessionFailsItsOutput() throws Exception {
        SessionFact f =
                closedSession(
                        request(T0),
                        trace("gateway_receive_few_processed_segments", T0 + 3_000, ORCH_A_URL),
                        status(T0 + 10 * SECOND, "LOADING", 0).event(),
                        status(T0 + 20 * SECOND, "LOADING", 0).event());
        assertThat(f.loadingOnly).isTrue();
        assertThat(f.zeroOutputFps).isTrue();
        assertThat(f.outputFailed).isTrue();
        assertThat(f.startupOutcome).isEqualTo("success");
        assertThat(f.effectiveFailed).isTrue();
    }

    @Test
    void onlineSessionWithoutOutputFpsFailsItsOutputButIsNotLoadingOnly() throws Exception {
        SessionFact f =
                closedSession(
                        request(T0),
                        trace("gateway_receive_few_processed_segments", T0 + 3_000, ORCH_A_URL),
                        status(T0 + 10 * SECOND, "LOADING", 0).event(),
                        status(T0 + 20 * SECOND, "DEGRADED_INFERENCE", 0).event());
        assertThat(f.loadingOnly).isFalse();
        assertThat(f.zeroOutputFps).isTrue();
        assertThat(f.outputFailed).isTrue();
        assertThat(f.effectiveFailed).isTrue();
    }

    // ---- order and late data

    @Test
    void outOfOrderInputGivesTheSameFinalFactAsInOrderInput() throws Exception {
        List<TelemetryEvent> events = new ArrayList<>();
        events.add(request(T0));
        events.add(trace("gateway_send_first_ingest_segment", T0 + 500, ORCH_A_URL));
        events.add(trace("gateway_receive_first_processed_segment", T0 + 1_500, ORCH_A_URL));
        events.add(trace("gateway_receive_few_processed_segments", T0 + 3_000, ORCH_A_URL));
        double[] fps = {12, 18, 0, 20, 16, 19};
        for (int i = 0; i < fps.length; i++) {
            long t = T0 + (i + 1) * 10 * SECOND;
            events.add(
                    status(t, i == 2 ? "DEGRADED_INPUT" : "ONLINE", fps[i])
                            .inputFps(20)
                            .restartCount(i / 2)
                            .params("h" + (i / 3), t - 2_000, t - 100)
                            .orchestrator(i < 4 ? ORCH_A_URL : ORCH_B_URL)
                            .event());
            events.add(ingest(t + 1, i * 50_000L, i * 90_000L, 5 + i, i * 0.5, 0.2 * i));
        }
        events.add(error(T0 + 33 * SECOND, "something odd"));
        events.add(close(T0 + 70 * SECOND));
        events.sort(java.util.Comparator.comparingLong(e -> e.eventTime));

        KeyedOneInputStreamOperatorTestHarness<String, TelemetryEvent, SessionFact> inOrder =
                tracker(CONFIG);
        for (TelemetryEvent e : events) {
            send(inOrder, copyOf(e));
            inOrder.processWatermark(e.eventTime - 1);
        }
        inOrder.processWatermark(T0 + 200 * SECOND);

        // The same events with every neighbouring pair swapped, within a 15 s watermark bound.
        long maxSeen = Long.MIN_VALUE;
        for (int i = 0; i < events.size(); i += 2) {
            List<TelemetryEvent> pair = new ArrayList<>();
            if (i + 1 < events.size()) {
                pair.add(events.get(i + 1));
            }
            pair.add(events.get(i));
            for (TelemetryEvent e : pair) {
                send(harness, copyOf(e));
                maxSeen = Math.max(maxSeen, e.eventTime);
                harness.processWatermark(maxSeen - 15 * SECOND);
            }
        }
        harness.processWatermark(T0 + 200 * SECOND);

        SessionFact expected = finals(inOrder).get(0);
        assertThat(onlyFinal()).isEqualTo(expected);
        assertThat(expected.statusSamples).isEqualTo(6);
        assertThat(expected.segments).isEqualTo(2);
        assertThat(harness.getSideOutput(SessionTracker.LATE_SESSION_EVENTS)).isNull();
        inOrder.close();
    }

    private static TelemetryEvent copyOf(TelemetryEvent e) {
        return e.copy();
    }

    @Test
    void eventAfterTheFinalFactGoesToTheLateSideOutputWithoutASecondSession() throws Exception {
        send(harness, request(T0), status(T0 + 5 * SECOND, "ONLINE", 20).event());
        send(harness, close(T0 + 10 * SECOND));
        harness.processWatermark(T0 + 10 * SECOND);
        assertThat(finals(harness)).hasSize(1);

        // Behind the watermark, and ahead of it but after the close: both are stragglers.
        send(harness, status(T0 + 8 * SECOND, "ONLINE", 20).event());
        send(harness, status(T0 + 12 * SECOND, "ONLINE", 20).event());
        harness.processWatermark(T0 + 20 * SECOND);

        assertThat(finals(harness)).hasSize(1);
        assertThat(harness.extractOutputValues())
                .extracting(f -> f.sessionId)
                .containsOnly(SESSION);
        assertThat(harness.getSideOutput(SessionTracker.LATE_SESSION_EVENTS))
                .extracting(r -> r.getValue().eventTime)
                .containsExactly(T0 + 8 * SECOND, T0 + 12 * SECOND);

        harness.processWatermark(T0 + 10 * SECOND + RETAIN);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void lateEventOfAnOpenSessionIsAppliedAtOnce() throws Exception {
        send(harness, request(T0), status(T0 + 20 * SECOND, "ONLINE", 20).event());
        harness.processWatermark(T0 + 20 * SECOND);
        send(harness, status(T0 + 10 * SECOND, "ONLINE", 10).event());
        send(harness, close(T0 + 30 * SECOND));
        harness.processWatermark(T0 + 30 * SECOND);
        SessionFact f = onlyFinal();
        assertThat(f.statusSamples).isEqualTo(2);
        assertThat(f.outputFpsMean).isEqualTo(15.0);
        assertThat(harness.getSideOutput(SessionTracker.LATE_SESSION_EVENTS)).isNull();
    }

    // ---- several sessions under one request id

    @Test
    void twoStreamsSharingARequestIdAreTwoSessions() throws Exception {
        TelemetryEvent other =
                event(
                        "stream_trace",
                        "gateway_receive_stream_request",
                        T0 + SECOND,
                        ids("gateway_receive_stream_request").put("stream_id", "stream-b"),
                        "stream-b",
                        REQUEST);
        send(harness, request(T0), other, close(T0 + 10 * SECOND));
        harness.processWatermark(T0 + 10 * SECOND);
        assertThat(finals(harness)).extracting(f -> f.sessionId).containsExactly(SESSION);
        harness.processWatermark(T0 + SECOND + IDLE);
        assertThat(finals(harness))
                .extracting(f -> f.sessionId + "/" + f.endReason)
                .containsExactly(SESSION + "/closed", "stream-b|" + REQUEST + "/timed_out");
    }

    // ---- bounded state

    @Test
    void stateAndTimersReturnToZeroAfterSessionsEndAndTombstonesExpire() throws Exception {
        send(harness, request(T0), status(T0 + 5 * SECOND, "ONLINE", 20).event());
        send(harness, close(T0 + 10 * SECOND));
        TelemetryEvent silent =
                event(
                        "stream_trace",
                        "gateway_receive_stream_request",
                        T0,
                        ids("gateway_receive_stream_request"),
                        "stream-z",
                        "req-z");
        send(harness, silent);
        assertThat(harness.numKeyedStateEntries()).isPositive();

        harness.processWatermark(T0 + IDLE);
        assertThat(finals(harness)).hasSize(2);
        assertThat(harness.numKeyedStateEntries()).isPositive();

        harness.processWatermark(T0 + IDLE + RETAIN);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }
}
