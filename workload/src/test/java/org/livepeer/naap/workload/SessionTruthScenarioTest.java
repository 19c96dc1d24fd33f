package org.livepeer.naap.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.livepeer.naap.workload.Network.Gateway;
import org.livepeer.naap.workload.Network.Orchestrator;
import org.livepeer.naap.workload.SessionScript.Builder;
import org.livepeer.naap.workload.SessionScript.Cut;
import org.livepeer.naap.workload.SessionScript.Ingest;
import org.livepeer.naap.workload.SessionScript.Payment;
import org.livepeer.naap.workload.SessionScript.Status;

/**
 * Scripted single sessions whose truth is worked out by hand here from the scripted timings and
 * values, then compared with what the generator reports.
 */
class SessionTruthScenarioTest {
    private static final String MODEL = "streamdiffusion-sdxl";
    private static final WorkloadConfig CLEAN =
            WorkloadConfig.embedded().withSessions(0).withMess(MessConfig.none());

    private Network net;
    private Gateway gw;
    private Orchestrator o1;
    private Orchestrator o2;
    private long t0;

    @BeforeEach
    void network() {
        net = Network.build(CLEAN);
        gw = net.gateways.get(0);
        o1 = net.orchestrators.get(0);
        o2 = net.orchestrators.get(1);
        t0 = CLEAN.startMs() + 10_000;
    }

    /** A playable session: the traces, four status samples, three ingest samples, two payments. */
    private Builder successful(String stream) {
        Builder b = SessionScript.builder(stream, "req-a", gw, MODEL, Outcome.SUCCESS);
        b.trace(t0, SessionScript.REQUEST, null);
        b.trace(t0 + 400, SessionScript.SEND_FIRST_INGEST, o1);
        b.runnerTrace(t0 + 500, SessionScript.RUNNER_REQUEST, o1);
        b.payment(payment(t0 + 600, o1, "sess0001", "req-a", "35_" + MODEL, "0.0001"));
        b.runnerTrace(t0 + 700, SessionScript.RUNNER_FIRST_INGEST, o1);
        b.runnerTrace(t0 + 2700, SessionScript.RUNNER_FIRST_PROCESSED, o1);
        b.trace(t0 + 3000, SessionScript.FIRST_PROCESSED, o1);
        b.trace(t0 + 4200, SessionScript.FEW_PROCESSED, o1);
        b.status(status(t0 + 5000, o1, "LOADING", 0.0, 30.0));
        b.ingest(ingest(t0 + 5000, 1_000_000, 10_000, 10.0, 0.5));
        b.ingest(ingest(t0 + 10_000, 2_250_000, 22_000, 20.0, 0.0));
        b.status(status(t0 + 15_000, o1, "ONLINE", 20.0, 30.0));
        b.ingest(ingest(t0 + 15_000, 3_000_000, 30_000, 30.0, 0.7));
        b.payment(payment(t0 + 20_600, o1, "sess0001", "", "manifest-1", "0.00015"));
        b.status(status(t0 + 25_000, o1, "ONLINE", 22.0, 30.0));
        b.status(status(t0 + 35_000, o1, "ONLINE", 18.0, 30.0));
        return b;
    }

    @Test
    void successfulSessionTruthMatchesHandComputedValues() {
        o1.clockOffsetMs = -1_800;
        SessionScript s = successful("stream-a").close(t0 + 40_000).build();
        Generated g = Generated.scripted(CLEAN, net, List.of(s));
        ObjectNode r = g.session("stream-a");

        assertThat(r.get("session_id").asText()).isEqualTo("stream-a|req-a");
        assertThat(r.get("gateway").asText()).isEqualTo("gw-1.example");
        assertThat(r.get("pipeline").asText()).isEqualTo("live-video-to-video");
        assertThat(r.get("model").asText()).isEqualTo(MODEL);
        assertThat(r.get("orchestrator_address").asText())
                .isEqualTo(o1.address.toLowerCase(Locale.ROOT));
        assertThat(r.get("orchestrator_url").asText()).isEqualTo(o1.uri);
        assertThat(r.get("outcome").asText()).isEqualTo("success");
        assertThat(r.get("requested").asBoolean()).isTrue();
        assertThat(r.get("startup_outcome").asText()).isEqualTo("success");
        assertThat(r.get("excuse_reason").isNull()).isTrue();
        assertThat(r.get("end_reason").asText()).isEqualTo("closed");
        assertThat(r.get("started_at").asLong()).isEqualTo(t0);
        assertThat(r.get("ended_at").asLong()).isEqualTo(t0 + 40_000);

        // Gateway clock: request at 0, first ingest sent at 400, first output at 3000, few at 4200.
        assertThat(r.get("startup_ms").asLong()).isEqualTo(3000);
        assertThat(r.get("ptff_ms").asLong()).isEqualTo(4200);
        assertThat(r.get("e2e_latency_ms").asLong()).isEqualTo(3000 - 400);
        // Runner clock, 1.8 s behind: 2700 - 700 either way.
        assertThat(r.get("runner_startup_ms").asLong()).isEqualTo(2000);
        // WHIP latency 0.5 s and 0.7 s (the 0 is not filled in): mean 600 ms.
        assertThat(r.get("e2e_pts_latency_ms").asDouble()).isCloseTo(600.0, within(1e-9));

        // fps 0 (LOADING), 20, 22, 18: from the first non-zero on, [20, 22, 18].
        assertThat(r.get("output_fps_mean").asDouble()).isCloseTo(20.0, within(1e-9));
        assertThat(r.get("output_fps_p5").asDouble()).isEqualTo(18.0);
        assertThat(r.get("output_fps_p50").asDouble()).isEqualTo(20.0);
        assertThat(r.get("input_fps").asDouble()).isEqualTo(30.0);
        assertThat(r.get("realtime_ratio").asDouble()).isCloseTo(20.0 / 30.0, within(1e-9));
        double[] intervals = {1 / 20.0, 1 / 22.0, 1 / 18.0};
        double mean = (intervals[0] + intervals[1] + intervals[2]) / 3;
        double var = 0;
        for (double x : intervals) {
            var += (x - mean) * (x - mean) / 3;
        }
        assertThat(r.get("jitter_coefficient").asDouble())
                .isCloseTo(Math.sqrt(var) / mean, within(1e-12));
        // ONLINE at 15, 25 and 35 s: two 10 s gaps.
        assertThat(r.get("online_s").asDouble()).isEqualTo(20.0);
        assertThat(r.get("status_samples").asInt()).isEqualTo(4);
        assertThat(r.get("status_samples_expected").asInt()).isEqualTo(4);
        assertThat(r.get("health_coverage").asDouble()).isEqualTo(1.0);

        // 1.25 MB then 0.75 MB received in 5 s each: 2.0 and 1.2 Mbit/s, 1.6 Mbit/s overall.
        assertThat(r.get("upload_bps_mean").asDouble()).isCloseTo(1_600_000.0, within(1e-6));
        assertThat(r.get("upload_bps_peak").asDouble()).isCloseTo(2_000_000.0, within(1e-6));
        assertThat(r.get("download_bps_mean").asDouble()).isCloseTo(16_000.0, within(1e-6));
        assertThat(r.get("download_bps_peak").asDouble()).isCloseTo(19_200.0, within(1e-6));
        assertThat(r.get("network_jitter_ms_mean").asDouble()).isCloseTo(20.0, within(1e-9));
        assertThat(r.get("network_jitter_ms_p95").asDouble()).isEqualTo(30.0);
        assertThat(r.get("packet_loss_pct").asDouble()).isZero();

        // 2e15 wei x 0.0001 + 2e15 wei x 0.00015.
        assertThat(r.get("payments").asInt()).isEqualTo(2);
        assertThat(r.get("payments_wei").decimalValue())
                .isEqualByComparingTo(new BigDecimal("500000000000"));
        assertThat(r.get("payment_session_id").asText()).isEqualTo("sess0001");
        assertThat(r.get("manifest_id").asText()).isEqualTo("manifest-1");

        assertThat(r.get("segments").asInt()).isEqualTo(1);
        assertThat(r.get("confirmed_swaps").asInt()).isZero();
        assertThat(r.get("inferred_swaps").asInt()).isZero();
        assertThat(r.get("swapped").asBoolean()).isFalse();
        assertThat(r.get("loading_only").asBoolean()).isFalse();
        assertThat(r.get("zero_output_fps").asBoolean()).isFalse();
        assertThat(r.get("output_failed").asBoolean()).isFalse();
        assertThat(r.get("effective_failed").asBoolean()).isFalse();
        assertThat(r.get("errors").asInt()).isZero();
        assertThat(r.get("restarts").asInt()).isZero();
        assertThat(r.get("prompt_updates").asInt()).isZero();
        assertThat(r.get("prompt_update_ms_p50").isNull()).isTrue();

        // The skew shows in runner-clock fields only.
        for (Records.Element e : Records.of(g.lines).distinct()) {
            JsonNode p = e.payload();
            if (e.type().equals("stream_trace")
                    && p.path("stream_id").asText().equals("stream-a")) {
                long ts = p.get("timestamp").asLong();
                switch (p.get("type").asText()) {
                    case SessionScript.REQUEST:
                        assertThat(ts).isEqualTo(t0);
                        break;
                    case SessionScript.RUNNER_FIRST_INGEST:
                        assertThat(ts).isEqualTo(t0 + 700 - 1_800);
                        break;
                    default:
                        break;
                }
            }
        }
    }

    @Test
    void droppedSamplesLowerCoverageAndLeaveTheRestUnknown() {
        SessionScript s = successful("stream-d").close(t0 + 40_000).build();
        Generated g =
                Generated.scripted(
                        CLEAN.withMess(MessConfig.none().with(MessConfig.Kind.DROPS, 1.0)),
                        net,
                        List.of(s));
        ObjectNode r = g.session("stream-d");
        // Only the first status sample (LOADING, fps 0) survives; all 3 ingest samples are gone.
        assertThat(g.expected.get("dropped").asInt()).isEqualTo(3 + 3);
        assertThat(r.get("status_samples").asInt()).isEqualTo(1);
        assertThat(r.get("health_coverage").asDouble()).isEqualTo(0.25);
        assertThat(r.get("output_fps_mean").isNull()).isTrue();
        assertThat(r.get("online_s").asDouble()).isZero();
        assertThat(r.get("upload_bps_mean").isNull()).isTrue();
        assertThat(r.get("network_jitter_ms_mean").isNull()).isTrue();
        assertThat(r.get("loading_only").asBoolean()).isTrue();
        assertThat(r.get("startup_ms").asLong()).isEqualTo(3000);
        assertThat(r.get("payments").asInt()).isEqualTo(2);
    }

    @Test
    void deliveryMessLeavesTheTruthUnchanged() {
        SessionScript clean = successful("stream-m").close(t0 + 40_000).build();
        ObjectNode a = Generated.scripted(CLEAN, net, List.of(clean)).session("stream-m");
        net.reset();
        ObjectNode b =
                Generated.scripted(
                                CLEAN.withMess(MessConfig.all().with(MessConfig.Kind.DROPS, 0)),
                                net,
                                List.of(clean))
                        .session("stream-m");
        a.remove("last_event_at");
        b.remove("last_event_at");
        assertThat(b).isEqualTo(a);
    }

    @Test
    void promptUpdateLatencyIsMeasuredOnTheRunnerClock() {
        o1.clockOffsetMs = 2_000;
        Builder b = SessionScript.builder("stream-p", "req-p", gw, MODEL, Outcome.PROMPT_UPDATES);
        b.trace(t0, SessionScript.REQUEST, null);
        b.trace(t0 + 400, SessionScript.SEND_FIRST_INGEST, o1);
        b.trace(t0 + 3000, SessionScript.FIRST_PROCESSED, o1);
        b.trace(t0 + 4200, SessionScript.FEW_PROCESSED, o1);
        b.status(prompt(t0 + 5_000, "h0", t0 + 500, t0 + 4_990));
        b.paramsUpdate(t0 + 12_000, RandomSessions.params(Ids.rng(1, "test", 0)), o1);
        // Applied at 12.1 s; the output is still stale (reloading) at the 15 s sample.
        b.status(prompt(t0 + 15_000, "h1", t0 + 12_100, t0 + 12_050));
        b.status(prompt(t0 + 25_000, "h1", t0 + 12_100, t0 + 24_990));
        b.paramsUpdate(t0 + 30_000, RandomSessions.params(Ids.rng(2, "test", 0)), o1);
        b.status(prompt(t0 + 35_000, "h2", t0 + 30_050, t0 + 34_980));
        b.status(prompt(t0 + 45_000, "h2", t0 + 30_050, t0 + 44_990));
        b.close(t0 + 50_000);
        ObjectNode r = Generated.scripted(CLEAN, net, List.of(b.build())).session("stream-p");
        // 24990 - 12100 = 12890 and 34980 - 30050 = 4930; nearest-rank p50 of two is the lower.
        assertThat(r.get("prompt_updates").asInt()).isEqualTo(2);
        assertThat(r.get("prompt_update_ms_p50").asLong()).isEqualTo(4930);
        assertThat(r.get("prompt_update_ms_max").asLong()).isEqualTo(12890);
    }

    @Test
    void swapsSegmentsAndRestartsAreCountedAsDefined() {
        Builder b = SessionScript.builder("stream-s", "req-s", gw, MODEL, Outcome.CONFIRMED_SWAP);
        b.trace(t0, SessionScript.REQUEST, null);
        b.trace(t0 + 400, SessionScript.SEND_FIRST_INGEST, o1);
        b.trace(t0 + 3000, SessionScript.FIRST_PROCESSED, o1);
        b.trace(t0 + 4200, SessionScript.FEW_PROCESSED, o1);
        b.status(restarts(t0 + 5_000, o1, 0));
        b.status(restarts(t0 + 15_000, o1, 1));
        b.status(restarts(t0 + 25_000, o1, 2));
        b.swap(t0 + 28_000, o2, "swapping orchestrator: test");
        b.status(restarts(t0 + 35_000, o2, 0));
        b.status(restarts(t0 + 45_000, o2, 1));
        b.status(restarts(t0 + 55_000, o2, 1));
        // Back on the first orchestrator, 37 s after the only swap trace: an inferred swap.
        b.status(restarts(t0 + 65_000, o1, 0));
        b.status(restarts(t0 + 75_000, o1, 0));
        b.close(t0 + 80_000);
        ObjectNode r = Generated.scripted(CLEAN, net, List.of(b.build())).session("stream-s");
        assertThat(r.get("segments").asInt()).isEqualTo(3);
        assertThat(r.get("confirmed_swaps").asInt()).isEqualTo(1);
        assertThat(r.get("inferred_swaps").asInt()).isEqualTo(1);
        assertThat(r.get("swapped").asBoolean()).isTrue();
        assertThat(r.get("orchestrator_address").asText())
                .isEqualTo(o1.address.toLowerCase(Locale.ROOT));
        // 0 -> 1 -> 2, new runner 0 -> 1 -> 1, new runner 0 -> 0: three restarts.
        assertThat(r.get("restarts").asInt()).isEqualTo(3);
    }

    @Test
    void startupOutcomesFollowTheirPrecedence() {
        Builder excusable =
                SessionScript.builder("stream-x", "req-x", gw, MODEL, Outcome.EXCUSABLE_FAILURE);
        excusable.trace(t0, SessionScript.REQUEST, null);
        excusable.error(t0 + 800, "WebRTC: ICE connection state failed", null, false);
        excusable.error(t0 + 900, "User disconnected", null, false);
        excusable.close(t0 + 1_500);

        Builder unexcused =
                SessionScript.builder("stream-u", "req-u", gw, MODEL, Outcome.UNEXCUSED_FAILURE);
        unexcused.trace(t0, SessionScript.REQUEST, null);
        unexcused.trace(t0 + 400, SessionScript.SEND_FIRST_INGEST, o1);
        unexcused.error(t0 + 4_000, "pipeline failed to load: CUDA out of memory", o1, true);
        Status failed = status(t0 + 5_000, o1, "ERROR", 0.0, 30.0);
        failed.lastError = "pipeline failed to load: CUDA out of memory";
        failed.lastErrorTime = t0 + 4_000;
        unexcused.status(failed);
        unexcused.error(t0 + 8_000, "whip disconnected", null, false);
        unexcused.close(t0 + 9_000);

        Builder none =
                SessionScript.builder("stream-n", "req-n", gw, MODEL, Outcome.NO_ORCHESTRATORS);
        none.trace(t0, SessionScript.REQUEST, null);
        none.trace(t0 + 300, SessionScript.NO_ORCHESTRATORS, null);
        none.error(t0 + 300, "no orchestrators available", null, false);
        none.close(t0 + 700);

        Builder silent =
                SessionScript.builder("stream-q", "req-q", gw, MODEL, Outcome.UNEXCUSED_FAILURE);
        silent.trace(t0, SessionScript.REQUEST, null);
        silent.trace(t0 + 400, SessionScript.SEND_FIRST_INGEST, o1);
        silent.close(t0 + 20_000);

        Generated g =
                Generated.scripted(
                        CLEAN,
                        net,
                        List.of(
                                excusable.build(),
                                unexcused.build(),
                                none.build(),
                                silent.build()));
        ObjectNode x = g.session("stream-x");
        assertThat(x.get("startup_outcome").asText()).isEqualTo("excused");
        assertThat(x.get("excuse_reason").asText()).isEqualTo("excusable_error");
        assertThat(x.get("errors").asInt()).isEqualTo(2);
        assertThat(x.get("excusable_errors").asInt()).isEqualTo(2);
        assertThat(x.get("effective_failed").asBoolean()).isFalse();
        assertThat(x.get("segments").asInt()).isZero();
        assertThat(x.get("orchestrator_address").isNull()).isTrue();
        assertThat(x.get("startup_ms").isNull()).isTrue();
        assertThat(x.get("health_coverage").isNull()).isTrue();
        assertThat(x.get("payments_wei").asInt()).isZero();

        ObjectNode u = g.session("stream-u");
        assertThat(u.get("startup_outcome").asText()).isEqualTo("unexcused");
        assertThat(u.get("excuse_reason").isNull()).isTrue();
        assertThat(u.get("errors").asInt()).isEqualTo(2);
        assertThat(u.get("excusable_errors").asInt()).isEqualTo(1);
        assertThat(u.get("loading_only").asBoolean()).isTrue();
        assertThat(u.get("zero_output_fps").asBoolean()).isTrue();
        assertThat(u.get("effective_failed").asBoolean()).isTrue();

        ObjectNode n = g.session("stream-n");
        assertThat(n.get("startup_outcome").asText()).isEqualTo("excused");
        assertThat(n.get("excuse_reason").asText()).isEqualTo("no_orchestrators");

        // No error at all and never playable: unexcused (rule 4 needs an error).
        ObjectNode q = g.session("stream-q");
        assertThat(q.get("startup_outcome").asText()).isEqualTo("unexcused");
        assertThat(q.get("errors").asInt()).isZero();
    }

    @Test
    void sessionsWithoutACloseEndByTheirCause() {
        Builder lost = successful("stream-l");
        lost.ingest(ingest(t0 + 28_000, 4_000_000, 40_000, 10.0, 0.5));
        lost.close(t0 + 40_000);
        lost.cut(t0 + 30_000, Cut.ORCHESTRATOR_DIES);
        Builder silent =
                successful("stream-g").close(t0 + 40_000).cut(t0 + 26_000, Cut.GATEWAY_SILENT);
        Builder open = successful("stream-o").cut(t0 + 30_000, Cut.SIMULATION_END);
        Generated g =
                Generated.scripted(CLEAN, net, List.of(lost.build(), silent.build(), open.build()));

        ObjectNode l = g.session("stream-l");
        assertThat(l.get("end_reason").asText()).isEqualTo("orchestrator_lost");
        assertThat(l.get("ended_at").asLong()).isEqualTo(t0 + 28_000);
        assertThat(l.get("effective_failed").asBoolean()).isTrue();
        // Statuses at 5, 15 and 25 s over a 28 s span (2 expected): capped at 1.
        assertThat(l.get("status_samples").asInt()).isEqualTo(3);
        assertThat(l.get("health_coverage").asDouble()).isEqualTo(1.0);
        assertThat(l.get("payments").asInt()).isEqualTo(2);

        ObjectNode s = g.session("stream-g");
        assertThat(s.get("end_reason").asText()).isEqualTo("timed_out");
        assertThat(s.get("ended_at").asLong()).isEqualTo(t0 + 25_000);
        assertThat(s.get("effective_failed").asBoolean()).isFalse();

        ObjectNode o = g.session("stream-o");
        assertThat(o.get("end_reason").asText()).isEqualTo("open");
        assertThat(o.get("ended_at").isNull()).isTrue();
        assertThat(o.get("last_event_at").asLong()).isEqualTo(t0 + 25_000);
    }

    private Status status(long at, Orchestrator o, String state, double fps, double inputFps) {
        Status s = new Status(at, o);
        s.state = state;
        s.fps = fps;
        s.inputFps = inputFps;
        s.startTime = t0 + 500;
        s.paramsHash = "h0";
        s.paramsUpdateTime = t0 + 500;
        s.lastOutputTime = fps > 0 ? at - 10 : null;
        s.lastInputTime = at - 5;
        return s;
    }

    private Status prompt(long at, String hash, long updated, long lastOutput) {
        Status s = status(at, o1, "ONLINE", 20.0, 30.0);
        s.paramsHash = hash;
        s.paramsUpdateTime = updated;
        s.lastOutputTime = lastOutput;
        return s;
    }

    private Status restarts(long at, Orchestrator o, int count) {
        Status s = status(at, o, "ONLINE", 20.0, 30.0);
        s.restartCount = count;
        return s;
    }

    private static Ingest ingest(
            long at, long received, long sent, double jitterMs, double latencyS) {
        Ingest i = new Ingest(at);
        i.bytesReceived = received;
        i.bytesSent = sent;
        i.packetsReceived = received / 1150;
        i.jitterMs = jitterMs;
        i.latencyS = latencyS;
        i.rttNs = 40_000_000;
        i.lastInputTs = (at % 100_000) / 1000.0;
        return i;
    }

    private static Payment payment(
            long at,
            Orchestrator o,
            String session,
            String request,
            String manifest,
            String winProb) {
        return new Payment(
                at,
                o,
                session,
                request,
                manifest,
                new BigInteger("2000000000000000"),
                winProb,
                "1505.712",
                1);
    }
}
