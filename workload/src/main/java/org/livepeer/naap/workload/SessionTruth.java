package org.livepeer.naap.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.livepeer.naap.workload.Network.Orchestrator;

/**
 * The ground truth of one session, computed by the definitions of METRICS.md from the payload
 * values the simulation emitted and delivered (dropped samples never reach it; duplicates and
 * delivery order do not matter, since it sees each event once, in event-time order). It never uses
 * the code under test. Unknown values are null, never 0.
 *
 * <p>Where METRICS.md leaves a choice, this is the reading taken:
 *
 * <ul>
 *   <li>Percentiles (p5, p50, p95) are nearest-rank: the value at rank {@code ceil(p/100 x n)} of
 *       the sorted samples (the pipeline's sketch should agree within its relative error).
 *   <li>Startup rule 4 needs at least one error: a session with no error at all that never played
 *       is {@code unexcused}. Errors are {@code ai_stream_events} of type {@code error} and every
 *       non-empty status {@code last_error}.
 *   <li>{@code errors} and {@code excusable_errors} count {@code ai_stream_events} of type {@code
 *       error} (status {@code last_error} repeats one error in every sample, so it is not counted).
 *   <li>{@code inferred_swaps}: an orchestrator change counts as confirmed when an {@code
 *       orchestrator_swap} trace lies within 30 s of it (each trace explains one change).
 *   <li>{@code online_s}: a gap between consecutive status samples (by their {@code timestamp})
 *       counts when both samples are {@code ONLINE}, capped at 30 s.
 *   <li>{@code health_coverage}: received status samples over {@code floor(span / 10 s)}, the span
 *       running from {@code started_at} to {@code ended_at} (to the last event for an open
 *       session), capped at 1; null when that floor is 0.
 *   <li>{@code output_fps_*} take every sample from the first one with fps above 0 on (later zeros
 *       included), in time order; null when no sample has fps above 0.
 *   <li>{@code realtime_ratio} = {@code output_fps_mean / input_fps} capped at 1; null when either
 *       is null or input fps is 0.
 *   <li>{@code jitter_coefficient} uses the population standard deviation.
 *   <li>{@code upload_bps}/{@code download_bps} are bits per second: mean = 8 x total bytes over
 *       total time of consecutive-sample intervals; peak = the largest interval rate; a counter
 *       that goes down restarts from 0, so its interval counts the new value; null under two
 *       samples.
 *   <li>{@code restarts}: the sum of {@code restart_count} increases between consecutive samples,
 *       counting from 0 at the start and after a counter reset (a new runner after a swap).
 *   <li>{@code prompt_update_ms}: a prompt change is a status sample whose {@code last_params_hash}
 *       differs from the previous sample's; it is resolved by the first sample from that one on
 *       whose {@code last_output_time} is after the change's {@code last_params_update_time}.
 *   <li>{@code ended_at}: the close trace's timestamp; without a close, the event time of the
 *       session's last event (the pipeline's idle timeout fires 60 s later); null while open.
 *   <li>{@code payment_session_id} is the {@code sessionID} of the first payment; {@code
 *       manifest_id} the {@code manifestID} of the first later payment of that payment session.
 *       {@code payments_wei} is exact (face value in wei times the win probability as sent).
 *   <li>Addresses are written in lower case, as the pipeline's node ids have them.
 * </ul>
 */
final class SessionTruth {
    static final String[] EXCUSABLE = {
        "no orchestrators available",
        "mediamtx ingest disconnected",
        "whip disconnected",
        "missing video",
        "ice connection state failed",
        "user disconnected"
    };

    private static final long STATUS_CADENCE_MS = 10_000;
    private static final long ONLINE_GAP_CAP_MS = 3 * STATUS_CADENCE_MS;
    private static final long SWAP_NEAR_MS = 30_000;

    private final SessionScript script;
    private final Function<String, Orchestrator> byUri;

    private Long requestTs;
    private Long firstSendIngest;
    private Long firstProcessed;
    private Long fewProcessed;
    private Long runnerFirstIngest;
    private Long runnerFirstOut;
    private boolean noOrchestrators;
    private Long closeTs;
    private long firstEventTime = Long.MAX_VALUE;
    private long lastEventTime = Long.MIN_VALUE;

    private final List<String> errorTexts = new ArrayList<>();
    private int errors;
    private int excusableErrors;

    private String currentOrchestrator;
    private int segments;
    private String firstOrchestrator;
    private String firstOrchestratorUrl;
    private final List<Long> changeTimes = new ArrayList<>();
    private final List<Long> swapTimes = new ArrayList<>();

    private int statusCount;
    private boolean anyActiveState;
    private boolean anyPositiveFps;
    private final List<Double> outputFps = new ArrayList<>();
    private double inputFpsSum;
    private int inputFpsCount;
    private final List<Double> frameIntervals = new ArrayList<>();
    private long onlineMs;
    private Long prevStatusTs;
    private String prevState;
    private String prevHash;
    private final List<Long> pendingPromptUpdates = new ArrayList<>();
    private final List<Long> promptUpdateMs = new ArrayList<>();
    private int prevRestartCount;
    private int restarts;

    private Long prevIngestTs;
    private long prevReceived;
    private long prevSent;
    private long sumReceived;
    private long sumSent;
    private long sumIngestMs;
    private Double peakUp;
    private Double peakDown;
    private final List<Double> jitters = new ArrayList<>();
    private double lossSum;
    private int lossCount;
    private double latencySum;
    private int latencyCount;

    private int payments;
    private BigDecimal paymentsWei = BigDecimal.ZERO;
    private String paymentSessionId;
    private String manifestId;

    SessionTruth(SessionScript script, Function<String, Orchestrator> byUri) {
        this.script = script;
        this.byUri = byUri;
    }

    /** One delivered event of the session (a session family or one of its payments). */
    void accept(Event e) {
        JsonNode d = e.data;
        switch (e.type) {
            case "stream_trace":
                seen(e);
                trace(e, d);
                break;
            case "ai_stream_status":
                seen(e);
                orchestrator(d, e.eventTime);
                status(d);
                break;
            case "ai_stream_events":
                seen(e);
                orchestrator(d, e.eventTime);
                streamEvent(d);
                break;
            case "stream_ingest_metrics":
                seen(e);
                ingest(d);
                break;
            case "create_new_payment":
                payment(d);
                break;
            default:
                break;
        }
    }

    private void seen(Event e) {
        firstEventTime = Math.min(firstEventTime, e.eventTime);
        lastEventTime = Math.max(lastEventTime, e.eventTime);
    }

    private void trace(Event e, JsonNode d) {
        String subtype = d.path("type").asText();
        Long ts = d.hasNonNull("timestamp") ? d.get("timestamp").asLong() : null;
        if (SessionScript.SWAP.equals(subtype)) {
            swapTimes.add(e.eventTime);
        }
        orchestrator(d, e.eventTime);
        switch (subtype) {
            case SessionScript.REQUEST:
                requestTs = first(requestTs, ts);
                break;
            case SessionScript.SEND_FIRST_INGEST:
                firstSendIngest = first(firstSendIngest, ts);
                break;
            case SessionScript.FIRST_PROCESSED:
                firstProcessed = first(firstProcessed, ts);
                break;
            case SessionScript.FEW_PROCESSED:
                fewProcessed = first(fewProcessed, ts);
                break;
            case SessionScript.RUNNER_FIRST_INGEST:
                runnerFirstIngest = first(runnerFirstIngest, ts);
                break;
            case SessionScript.RUNNER_FIRST_PROCESSED:
                runnerFirstOut = first(runnerFirstOut, ts);
                break;
            case SessionScript.NO_ORCHESTRATORS:
                noOrchestrators = true;
                break;
            case SessionScript.CLOSED:
                closeTs = first(closeTs, ts);
                break;
            default:
                break;
        }
    }

    private static Long first(Long current, Long candidate) {
        if (candidate == null) {
            return current;
        }
        return current == null || candidate < current ? candidate : current;
    }

    private void orchestrator(JsonNode d, long time) {
        JsonNode info = d.get("orchestrator_info");
        if (info == null || !info.isObject()) {
            return;
        }
        String url = info.path("url").asText("");
        String address = info.path("address").asText("");
        if (url.isEmpty() && address.isEmpty()) {
            return;
        }
        Orchestrator o = byUri.apply(url);
        String canonical = o != null ? o.addressLower : address.toLowerCase(Locale.ROOT);
        if (currentOrchestrator == null) {
            segments = 1;
            firstOrchestrator = canonical;
            firstOrchestratorUrl = o != null ? o.uri : url;
        } else if (!currentOrchestrator.equals(canonical)) {
            segments++;
            changeTimes.add(time);
        }
        currentOrchestrator = canonical;
    }

    private void status(JsonNode d) {
        statusCount++;
        long ts = d.path("timestamp").asLong();
        String state = d.path("state").asText();
        JsonNode inf = d.path("inference_status");
        double fps = inf.path("fps").asDouble();
        if (state.equals("ONLINE") || state.startsWith("DEGRADED_")) {
            anyActiveState = true;
        }
        if (fps > 0) {
            anyPositiveFps = true;
        }
        if (fps > 0 || !outputFps.isEmpty()) {
            outputFps.add(fps);
        }
        JsonNode input = d.path("input_status").get("fps");
        if (input != null && input.isNumber()) {
            inputFpsSum += input.asDouble();
            inputFpsCount++;
        }
        if (state.equals("ONLINE") && fps > 0) {
            frameIntervals.add(1.0 / fps);
        }
        if (prevStatusTs != null && "ONLINE".equals(prevState) && state.equals("ONLINE")) {
            onlineMs += Math.min(Math.max(0, ts - prevStatusTs), ONLINE_GAP_CAP_MS);
        }
        prevStatusTs = ts;
        prevState = state;
        String lastError = inf.path("last_error").asText("");
        if (inf.hasNonNull("last_error") && !lastError.isEmpty()) {
            errorTexts.add(lastError);
        }
        String hash = inf.path("last_params_hash").asText("");
        if (!hash.isEmpty()) {
            if (prevHash != null && !prevHash.equals(hash)) {
                JsonNode u = inf.get("last_params_update_time");
                if (u != null && u.isNumber()) {
                    pendingPromptUpdates.add(u.asLong());
                }
            }
            prevHash = hash;
        }
        JsonNode out = inf.get("last_output_time");
        if (out != null && out.isNumber() && !pendingPromptUpdates.isEmpty()) {
            long o = out.asLong();
            for (int i = 0; i < pendingPromptUpdates.size(); ) {
                long u = pendingPromptUpdates.get(i);
                if (o > u) {
                    promptUpdateMs.add(o - u);
                    pendingPromptUpdates.remove(i);
                } else {
                    i++;
                }
            }
        }
        int count = inf.path("restart_count").asInt();
        restarts += count >= prevRestartCount ? count - prevRestartCount : count;
        prevRestartCount = count;
    }

    private void streamEvent(JsonNode d) {
        if (!"error".equals(d.path("type").asText())) {
            return;
        }
        String message = d.path("message").asText("");
        errors++;
        if (excusable(message)) {
            excusableErrors++;
        }
        errorTexts.add(message);
    }

    static boolean excusable(String message) {
        String m = message.toLowerCase(Locale.ROOT);
        for (String x : EXCUSABLE) {
            if (m.contains(x)) {
                return true;
            }
        }
        return false;
    }

    private void ingest(JsonNode d) {
        long ts = d.path("timestamp").asLong();
        JsonNode stats = d.path("stats");
        long received = stats.path("peer_conn_stats").path("BytesReceived").asLong();
        long sent = stats.path("peer_conn_stats").path("BytesSent").asLong();
        if (prevIngestTs != null && ts > prevIngestTs) {
            long dt = ts - prevIngestTs;
            long dr = received >= prevReceived ? received - prevReceived : received;
            long ds = sent >= prevSent ? sent - prevSent : sent;
            sumReceived += dr;
            sumSent += ds;
            sumIngestMs += dt;
            double up = dr * 8000.0 / dt;
            double down = ds * 8000.0 / dt;
            peakUp = peakUp == null ? up : Math.max(peakUp, up);
            peakDown = peakDown == null ? down : Math.max(peakDown, down);
        }
        prevIngestTs = ts;
        prevReceived = received;
        prevSent = sent;
        for (JsonNode t : stats.path("track_stats")) {
            if (!"video".equals(t.path("type").asText())) {
                continue;
            }
            jitters.add(t.path("jitter").asDouble());
            lossSum += t.path("packet_loss_pct").asDouble();
            lossCount++;
            double latency = t.path("latency").asDouble();
            if (latency != 0) {
                latencySum += latency;
                latencyCount++;
            }
        }
    }

    private void payment(JsonNode d) {
        payments++;
        paymentsWei =
                paymentsWei.add(
                        faceValueWei(d.path("faceValue").asText())
                                .multiply(new BigDecimal(d.path("winProb").asText())));
        String sessionId = d.path("sessionID").asText();
        if (paymentSessionId == null) {
            paymentSessionId = sessionId;
        } else if (manifestId == null
                && paymentSessionId.equals(sessionId)
                && d.path("requestID").asText().isEmpty()) {
            manifestId = d.path("manifestID").asText();
        }
    }

    /** {@code "2402400000000000 WEI"} or {@code "0.0034 ETH"} in wei. */
    static BigDecimal faceValueWei(String text) {
        String[] parts = text.trim().split("\\s+");
        BigDecimal v = new BigDecimal(parts[0]);
        return parts.length > 1 && parts[1].equalsIgnoreCase("ETH") ? v.movePointRight(18) : v;
    }

    /** The truth row, once nothing more of the session will be emitted. */
    ObjectNode finish() {
        ObjectNode r = Json.obj();
        r.put("session_id", script.sessionId());
        r.put("stream_id", script.streamId);
        r.put("request_id", script.requestId);
        r.put("gateway", script.gateway.host);
        r.put("pipeline", Network.LIVE_PIPELINE);
        r.put("model", script.model);
        r.put("orchestrator_address", firstOrchestrator);
        r.put("orchestrator_url", firstOrchestratorUrl);
        r.put("outcome", script.outcome.wireName());

        boolean requested = requestTs != null;
        r.put("requested", requested);
        String startup = null;
        String excuse = null;
        if (requested) {
            if (fewProcessed != null) {
                startup = "success";
            } else if (noOrchestrators) {
                startup = "excused";
                excuse = "no_orchestrators";
            } else if (!errorTexts.isEmpty()
                    && errorTexts.stream().allMatch(SessionTruth::excusable)) {
                startup = "excused";
                excuse = "excusable_error";
            } else {
                startup = "unexcused";
            }
        }
        r.put("startup_outcome", startup);
        r.put("excuse_reason", excuse);

        String end;
        Long endedAt;
        if (closeTs != null) {
            end = "closed";
            endedAt = closeTs;
        } else if (script.cut == SessionScript.Cut.ORCHESTRATOR_DIES) {
            end = "orchestrator_lost";
            endedAt = lastEventTime;
        } else if (script.cut == SessionScript.Cut.SIMULATION_END) {
            end = "open";
            endedAt = null;
        } else {
            end = "timed_out";
            endedAt = lastEventTime;
        }
        r.put("end_reason", end);
        Long startedAt = requestTs != null ? requestTs : firstEventTime;
        r.put("started_at", startedAt);
        r.put("ended_at", endedAt);
        r.put("last_event_at", lastEventTime);

        int inferred = 0;
        List<Long> swaps = new ArrayList<>(swapTimes);
        for (long c : changeTimes) {
            int match = -1;
            for (int i = 0; i < swaps.size(); i++) {
                if (Math.abs(swaps.get(i) - c) <= SWAP_NEAR_MS) {
                    match = i;
                    break;
                }
            }
            if (match >= 0) {
                swaps.remove(match);
            } else {
                inferred++;
            }
        }
        r.put("segments", segments);
        r.put("confirmed_swaps", swapTimes.size());
        r.put("inferred_swaps", inferred);
        r.put("swapped", swapTimes.size() > 0 || inferred > 0);

        boolean loadingOnly = statusCount > 0 && !anyActiveState;
        boolean zeroFps = statusCount > 0 && !anyPositiveFps;
        boolean outputFailed = loadingOnly || zeroFps;
        r.put("loading_only", loadingOnly);
        r.put("zero_output_fps", zeroFps);
        r.put("output_failed", outputFailed);
        r.put(
                "effective_failed",
                "unexcused".equals(startup) || outputFailed || "orchestrator_lost".equals(end));

        putDiff(r, "startup_ms", firstProcessed, requestTs);
        putDiff(r, "ptff_ms", fewProcessed, requestTs);
        putDiff(r, "e2e_latency_ms", firstProcessed, firstSendIngest);
        putDouble(
                r,
                "e2e_pts_latency_ms",
                latencyCount == 0 ? null : latencySum / latencyCount * 1000);
        putDiff(r, "runner_startup_ms", runnerFirstOut, runnerFirstIngest);
        r.put("prompt_updates", promptUpdateMs.size());
        putLong(r, "prompt_update_ms_p50", percentileLong(promptUpdateMs, 50));
        putLong(
                r,
                "prompt_update_ms_max",
                promptUpdateMs.isEmpty() ? null : Collections.max(promptUpdateMs));

        Double fpsMean = mean(outputFps);
        putDouble(r, "output_fps_mean", fpsMean);
        putDouble(r, "output_fps_p5", percentile(outputFps, 5));
        putDouble(r, "output_fps_p50", percentile(outputFps, 50));
        Double inputFps = inputFpsCount == 0 ? null : inputFpsSum / inputFpsCount;
        putDouble(r, "input_fps", inputFps);
        putDouble(
                r,
                "realtime_ratio",
                fpsMean == null || inputFps == null || inputFps == 0
                        ? null
                        : Math.min(1.0, fpsMean / inputFps));
        putDouble(r, "jitter_coefficient", coefficientOfVariation(frameIntervals));
        putDouble(r, "network_jitter_ms_mean", mean(jitters));
        putDouble(r, "network_jitter_ms_p95", percentile(jitters, 95));
        putDouble(r, "packet_loss_pct", lossCount == 0 ? null : lossSum / lossCount);
        putDouble(
                r, "upload_bps_mean", sumIngestMs == 0 ? null : sumReceived * 8000.0 / sumIngestMs);
        putDouble(r, "upload_bps_peak", peakUp);
        putDouble(r, "download_bps_mean", sumIngestMs == 0 ? null : sumSent * 8000.0 / sumIngestMs);
        putDouble(r, "download_bps_peak", peakDown);
        putDouble(r, "online_s", statusCount == 0 ? null : onlineMs / 1000.0);
        long spanEnd = endedAt != null ? endedAt : lastEventTime;
        long expected =
                startedAt == null ? 0 : Math.max(0, spanEnd - startedAt) / STATUS_CADENCE_MS;
        r.put("status_samples", statusCount);
        r.put("status_samples_expected", expected);
        putDouble(
                r,
                "health_coverage",
                expected == 0 ? null : Math.min(1.0, statusCount / (double) expected));
        putLong(r, "restarts", statusCount == 0 ? null : (long) restarts);
        r.put("errors", errors);
        r.put("excusable_errors", excusableErrors);
        r.put("payments", payments);
        r.put("payments_wei", paymentsWei.stripTrailingZeros());
        r.put("payment_session_id", paymentSessionId);
        r.put("manifest_id", manifestId);
        return r;
    }

    private static void putDiff(ObjectNode r, String field, Long a, Long b) {
        putLong(r, field, a == null || b == null ? null : a - b);
    }

    private static void putLong(ObjectNode r, String field, Long v) {
        if (v == null) {
            r.putNull(field);
        } else {
            r.put(field, v.longValue());
        }
    }

    private static void putDouble(ObjectNode r, String field, Double v) {
        if (v == null) {
            r.putNull(field);
        } else {
            r.put(field, v.doubleValue());
        }
    }

    static Double mean(List<Double> xs) {
        if (xs.isEmpty()) {
            return null;
        }
        double s = 0;
        for (double x : xs) {
            s += x;
        }
        return s / xs.size();
    }

    /** Nearest rank: the value at rank {@code ceil(p/100 x n)} (1-based) of the sorted values. */
    static Double percentile(List<Double> xs, double p) {
        if (xs.isEmpty()) {
            return null;
        }
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        int rank = (int) Math.ceil(p / 100.0 * s.size());
        return s.get(Math.min(s.size(), Math.max(1, rank)) - 1);
    }

    static Long percentileLong(List<Long> xs, double p) {
        if (xs.isEmpty()) {
            return null;
        }
        List<Long> s = new ArrayList<>(xs);
        Collections.sort(s);
        int rank = (int) Math.ceil(p / 100.0 * s.size());
        return s.get(Math.min(s.size(), Math.max(1, rank)) - 1);
    }

    static Double coefficientOfVariation(List<Double> xs) {
        if (xs.size() < 3) {
            return null;
        }
        double mean = mean(xs);
        double ss = 0;
        for (double x : xs) {
            ss += (x - mean) * (x - mean);
        }
        return Math.sqrt(ss / xs.size()) / mean;
    }
}
