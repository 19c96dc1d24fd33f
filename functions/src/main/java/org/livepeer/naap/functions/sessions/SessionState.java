package org.livepeer.naap.functions.sessions;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.livepeer.naap.schemas.TelemetryEvent;
import org.livepeer.naap.schemas.family.AiStreamEvent;
import org.livepeer.naap.schemas.family.AiStreamStatus;
import org.livepeer.naap.schemas.family.CreateNewPayment;
import org.livepeer.naap.schemas.family.OrchestratorInfo;
import org.livepeer.naap.schemas.family.StreamIngestMetrics;
import org.livepeer.naap.schemas.family.StreamTrace;
import org.livepeer.naap.schemas.output.SessionFact;

/**
 * The running accumulators of one open session (a Flink POJO: public fields, no collections, the
 * percentile sketches as bytes). The {@code apply*} methods take the session's events in event-time
 * order; {@link #toFact} reads the measures of METRICS.md off the accumulators. Raw samples are
 * never kept: only counts, sums, the last sample of each series, sketches and a few short, bounded
 * arrays of times still waiting to be matched.
 */
public class SessionState {
    public static final String LIVE_PIPELINE = "live-video-to-video";

    /** The error texts that excuse a failed startup (METRICS.md, rule 4), matched ignoring case. */
    static final String[] EXCUSABLE = {
        "no orchestrators available",
        "mediamtx ingest disconnected",
        "whip disconnected",
        "missing video",
        "ice connection state failed",
        "user disconnected"
    };

    /** Names that are pipelines; any other {@code pipeline} value is a live model's name. */
    static final Set<String> PIPELINES =
            Set.of(
                    LIVE_PIPELINE,
                    "text-to-image",
                    "image-to-image",
                    "image-to-video",
                    "upscale",
                    "audio-to-text",
                    "segment-anything-2",
                    "llm",
                    "image-to-text",
                    "text-to-speech");

    /** The most times a pending list holds; older ones are dropped (bounds the state). */
    static final int MAX_PENDING = 16;

    static final String REQUEST = "gateway_receive_stream_request";
    static final String SEND_FIRST_INGEST = "gateway_send_first_ingest_segment";
    static final String FIRST_PROCESSED = "gateway_receive_first_processed_segment";
    static final String FEW_PROCESSED = "gateway_receive_few_processed_segments";
    static final String CLOSED = "gateway_ingest_stream_closed";
    static final String NO_ORCHESTRATORS = "gateway_no_orchestrators_available";
    static final String SWAP = "orchestrator_swap";
    static final String RUNNER_FIRST_INGEST = "runner_receive_first_ingest_segment";
    static final String RUNNER_FIRST_PROCESSED = "runner_send_first_processed_segment";

    // ---- identity
    public String sessionId;
    public String streamId;
    public String requestId;
    public String pipeline;
    public String model;
    public String gateway;
    public String firstOrchestratorAddress;
    public String firstOrchestratorUrl;

    /** The identity of the current segment's orchestrator: its URL, else its address. */
    public String currentOrchestrator;

    public String paymentSessionId;
    public String manifestId;

    // ---- lifecycle (trace times are the node's own timestamp, else the event time)
    public long firstEventAt = Long.MAX_VALUE;
    public long lastEventAt = Long.MIN_VALUE;
    public Long requestAt;
    public Long firstSendIngestAt;
    public Long firstProcessedAt;
    public Long fewProcessedAt;
    public Long runnerFirstIngestAt;
    public Long runnerFirstProcessedAt;
    public Long closedAt;
    public boolean noOrchestrators;
    public boolean anyError;
    public boolean allErrorsExcusable = true;
    public int errors;
    public int excusableErrors;

    /**
     * Set when node liveness declared the orchestrator serving the session {@code DOWN_ABRUPT} with
     * the session among its active ones, and no event of the session came after that: a silent
     * session then ends as {@code orchestrator_lost}.
     */
    public boolean orchestratorLost;

    /** The event time of that {@code DOWN_ABRUPT}; null when not lost. */
    public Long orchestratorLostAt;

    /**
     * When its idle timeout passed, while it waits for the orchestrator verdict ({@link
     * SessionConfig#orchestratorVerdictWait()}); null otherwise. The session is over from then on:
     * a later event of it is late.
     */
    public Long silentSince;

    // ---- segments and swaps
    public int segments;
    public int orchestratorChanges;
    public int matchedChanges;
    public int confirmedSwaps;

    /** Orchestrator changes of the last swap window with no swap trace yet (event times). */
    public long[] unmatchedChanges = new long[0];

    /** Swap traces of the last swap window that explain no change yet (event times). */
    public long[] unusedSwaps = new long[0];

    // ---- status samples
    public int statusSamples;
    public boolean anyActiveState;
    public boolean anyPositiveFps;
    public long outputFpsCount;
    public double outputFpsSum;
    public byte[] outputFpsSketch;
    public long inputFpsCount;
    public double inputFpsSum;
    public long frameIntervalCount;
    public double frameIntervalMean;
    public double frameIntervalM2;
    public long onlineMs;
    public Long previousStatusAt;
    public String previousState;
    public String previousParamsHash;

    /** {@code last_params_update_time} of prompt changes not yet seen in an output. */
    public long[] pendingPromptUpdates = new long[0];

    public int promptUpdates;
    public long promptUpdateMaxMs;
    public byte[] promptUpdateSketch;
    public long previousRestartCount;
    public long restarts;

    // ---- ingest samples
    public Long previousIngestAt;
    public long previousBytesReceived;
    public long previousBytesSent;
    public long bytesReceived;
    public long bytesSent;
    public long ingestMs;
    public Double uploadPeakBps;
    public Double downloadPeakBps;
    public long networkJitterCount;
    public double networkJitterSum;
    public byte[] networkJitterSketch;
    public long packetLossCount;
    public double packetLossSum;
    public long ptsLatencyCount;
    public double ptsLatencySumS;

    // ---- payments
    public int payments;
    public BigDecimal paymentsWei = BigDecimal.ZERO;

    // ---- emission
    public int version;
    public Long lastFactAt;

    /** The event time of the pending idle timer ({@code lastEventAt + idle timeout}). */
    public Long idleTimerAt;

    public SessionState() {}

    /** A new session named by its first event. */
    public static SessionState open(TelemetryEvent first) {
        SessionState s = new SessionState();
        s.sessionId = first.sessionId;
        s.streamId = first.streamId;
        s.requestId = first.requestId;
        return s;
    }

    /** Any event of the session's own families (not payments): the activity clock. */
    public void seen(TelemetryEvent e) {
        firstEventAt = Math.min(firstEventAt, e.eventTime);
        lastEventAt = Math.max(lastEventAt, e.eventTime);
        if (gateway == null && e.gateway != null && !e.gateway.isEmpty()) {
            gateway = e.gateway;
        }
        if (streamId == null) {
            streamId = e.streamId;
        }
        if (requestId == null) {
            requestId = e.requestId;
        }
    }

    // ---- traces

    public void applyTrace(StreamTrace t, long eventTime, SessionConfig config) {
        long at = t.timestamp() != null ? t.timestamp() : eventTime;
        pipeline(t.pipeline());
        if (SWAP.equals(t.type())) {
            swapTrace(eventTime, config);
        }
        orchestrator(t.orchestratorInfo(), eventTime, config);
        switch (t.type()) {
            case REQUEST:
                requestAt = earliest(requestAt, at);
                break;
            case SEND_FIRST_INGEST:
                firstSendIngestAt = earliest(firstSendIngestAt, at);
                break;
            case FIRST_PROCESSED:
                firstProcessedAt = earliest(firstProcessedAt, at);
                break;
            case FEW_PROCESSED:
                fewProcessedAt = earliest(fewProcessedAt, at);
                break;
            case RUNNER_FIRST_INGEST:
                runnerFirstIngestAt = earliest(runnerFirstIngestAt, at);
                break;
            case RUNNER_FIRST_PROCESSED:
                runnerFirstProcessedAt = earliest(runnerFirstProcessedAt, at);
                break;
            case NO_ORCHESTRATORS:
                noOrchestrators = true;
                break;
            case CLOSED:
                closedAt = earliest(closedAt, at);
                break;
            default:
                break;
        }
    }

    /** True once the session has seen its close trace. */
    public boolean isClosed() {
        return closedAt != null;
    }

    // ---- stream events

    public void applyStreamEvent(AiStreamEvent ev, long eventTime, SessionConfig config) {
        pipeline(ev.pipeline());
        orchestrator(ev.orchestratorInfo(), eventTime, config);
        if ("error".equals(ev.type())) {
            errors++;
            boolean excusable = excusable(ev.message());
            if (excusable) {
                excusableErrors++;
            }
            error(excusable);
        }
    }

    // ---- status

    public void applyStatus(AiStreamStatus s, long eventTime, SessionConfig config) {
        pipeline(s.pipeline());
        orchestrator(s.orchestratorInfo(), eventTime, config);
        statusSamples++;
        long at = s.timestamp() != null ? s.timestamp() : eventTime;
        String state = s.state() == null ? "" : s.state();
        AiStreamStatus.InferenceStatus inf = s.inferenceStatus();
        double fps = inf != null && inf.fps() != null ? inf.fps() : 0.0;
        if (state.equals("ONLINE") || state.startsWith("DEGRADED_")) {
            anyActiveState = true;
        }
        if (fps > 0) {
            anyPositiveFps = true;
        }
        // Output fps counts from the first sample above 0 on, later zeros included.
        if (fps > 0 || outputFpsCount > 0) {
            outputFpsCount++;
            outputFpsSum += fps;
            outputFpsSketch = Sketches.add(outputFpsSketch, fps);
        }
        if (s.inputStatus() != null && s.inputStatus().fps() != null) {
            inputFpsCount++;
            inputFpsSum += s.inputStatus().fps();
        }
        if (state.equals("ONLINE") && fps > 0) {
            frameInterval(1.0 / fps);
        }
        if (previousStatusAt != null && "ONLINE".equals(previousState) && state.equals("ONLINE")) {
            long cap = 3 * config.statusCadence().toMillis();
            onlineMs += Math.min(Math.max(0, at - previousStatusAt), cap);
        }
        previousStatusAt = at;
        previousState = state;
        if (inf != null) {
            if (inf.lastError() != null && !inf.lastError().isEmpty()) {
                error(excusable(inf.lastError()));
            }
            promptChange(inf);
        }
        long count = inf != null && inf.restartCount() != null ? inf.restartCount() : 0L;
        // A counter that goes down belongs to a new runner (a swap): it counts from 0.
        restarts += count >= previousRestartCount ? count - previousRestartCount : count;
        previousRestartCount = count;
    }

    private void promptChange(AiStreamStatus.InferenceStatus inf) {
        String hash = inf.lastParamsHash();
        if (hash != null && !hash.isEmpty()) {
            if (previousParamsHash != null
                    && !previousParamsHash.equals(hash)
                    && inf.lastParamsUpdateTime() != null) {
                pendingPromptUpdates = append(pendingPromptUpdates, inf.lastParamsUpdateTime());
            }
            previousParamsHash = hash;
        }
        Long output = inf.lastOutputTime();
        if (output == null || pendingPromptUpdates.length == 0) {
            return;
        }
        long[] still = new long[pendingPromptUpdates.length];
        int n = 0;
        for (long update : pendingPromptUpdates) {
            if (output > update) {
                long ms = output - update;
                promptUpdates++;
                promptUpdateMaxMs = Math.max(promptUpdateMaxMs, ms);
                promptUpdateSketch = Sketches.add(promptUpdateSketch, ms);
            } else {
                still[n++] = update;
            }
        }
        pendingPromptUpdates = Arrays.copyOf(still, n);
    }

    private void frameInterval(double x) {
        // Welford's running mean and sum of squared deviations: the population stddev at the end.
        frameIntervalCount++;
        double delta = x - frameIntervalMean;
        frameIntervalMean += delta / frameIntervalCount;
        frameIntervalM2 += delta * (x - frameIntervalMean);
    }

    // ---- ingest

    public void applyIngest(StreamIngestMetrics m, long eventTime) {
        long at = m.timestamp() != null ? m.timestamp() : eventTime;
        StreamIngestMetrics.PeerConnStats peer = m.peerConnStats();
        long received = peer != null && peer.bytesReceived() != null ? peer.bytesReceived() : 0L;
        long sent = peer != null && peer.bytesSent() != null ? peer.bytesSent() : 0L;
        if (previousIngestAt != null && at > previousIngestAt) {
            long dt = at - previousIngestAt;
            // A cumulative counter that goes down was reset: the new value is all new bytes.
            long dr =
                    received >= previousBytesReceived ? received - previousBytesReceived : received;
            long ds = sent >= previousBytesSent ? sent - previousBytesSent : sent;
            bytesReceived += dr;
            bytesSent += ds;
            ingestMs += dt;
            double up = dr * 8000.0 / dt;
            double down = ds * 8000.0 / dt;
            uploadPeakBps = uploadPeakBps == null ? up : Math.max(uploadPeakBps, up);
            downloadPeakBps = downloadPeakBps == null ? down : Math.max(downloadPeakBps, down);
        }
        if (previousIngestAt == null || at > previousIngestAt) {
            previousIngestAt = at;
            previousBytesReceived = received;
            previousBytesSent = sent;
        }
        if (m.trackStats() == null) {
            return;
        }
        for (StreamIngestMetrics.TrackStats t : m.trackStats()) {
            if (!"video".equals(t.type())) {
                continue;
            }
            double jitter = t.jitter() == null ? 0.0 : t.jitter();
            networkJitterCount++;
            networkJitterSum += jitter;
            networkJitterSketch = Sketches.add(networkJitterSketch, jitter);
            packetLossCount++;
            packetLossSum += t.packetLossPct() == null ? 0.0 : t.packetLossPct();
            if (t.latency() != null && t.latency() != 0) {
                ptsLatencyCount++;
                ptsLatencySumS += t.latency();
            }
        }
    }

    // ---- payments

    /** One routed payment: counted, its expected value summed exactly. */
    public void applyPayment(CreateNewPayment p) {
        payments++;
        BigDecimal value = p.expectedValueWei();
        if (value != null) {
            paymentsWei = paymentsWei.add(value);
        }
        if (paymentSessionId == null) {
            paymentSessionId = p.sessionId();
        } else if (manifestId == null
                && paymentSessionId.equals(p.sessionId())
                && p.requestId() == null) {
            manifestId = p.manifestId();
        }
    }

    // ---- shared rules

    private void pipeline(String value) {
        if (value == null || value.isEmpty()) {
            return;
        }
        if (PIPELINES.contains(value)) {
            if (pipeline == null) {
                pipeline = value;
            }
        } else {
            pipeline = LIVE_PIPELINE;
            if (model == null) {
                model = value;
            }
        }
    }

    private void orchestrator(OrchestratorInfo info, long eventTime, SessionConfig config) {
        if (info == null) {
            // Empty info: no orchestrator selected yet; it never opens a segment.
            return;
        }
        String url = info.url();
        String address = info.address() == null ? null : info.address().toLowerCase(Locale.ROOT);
        String identity = url != null ? url : address;
        if (identity == null) {
            return;
        }
        if (currentOrchestrator == null) {
            segments = 1;
            firstOrchestratorAddress = address;
            firstOrchestratorUrl = url;
        } else if (!currentOrchestrator.equals(identity)) {
            segments++;
            orchestratorChange(eventTime, config);
        } else if (firstOrchestratorAddress == null && segments == 1 && address != null) {
            firstOrchestratorAddress = address;
        }
        currentOrchestrator = identity;
    }

    private void orchestratorChange(long at, SessionConfig config) {
        orchestratorChanges++;
        unusedSwaps = withinWindow(unusedSwaps, at, config);
        if (unusedSwaps.length > 0) {
            matchedChanges++;
            unusedSwaps = Arrays.copyOfRange(unusedSwaps, 1, unusedSwaps.length);
        } else {
            unmatchedChanges = append(unmatchedChanges, at);
        }
    }

    private void swapTrace(long at, SessionConfig config) {
        confirmedSwaps++;
        unmatchedChanges = withinWindow(unmatchedChanges, at, config);
        if (unmatchedChanges.length > 0) {
            matchedChanges++;
            unmatchedChanges = Arrays.copyOfRange(unmatchedChanges, 1, unmatchedChanges.length);
        } else {
            unusedSwaps = append(unusedSwaps, at);
        }
    }

    private static long[] withinWindow(long[] times, long now, SessionConfig config) {
        long from = now - config.swapWindow().toMillis();
        int i = 0;
        while (i < times.length && times[i] < from) {
            i++;
        }
        return i == 0 ? times : Arrays.copyOfRange(times, i, times.length);
    }

    private static long[] append(long[] times, long t) {
        long[] out;
        if (times.length >= MAX_PENDING) {
            out = Arrays.copyOfRange(times, 1, times.length + 1);
        } else {
            out = Arrays.copyOf(times, times.length + 1);
        }
        out[out.length - 1] = t;
        return out;
    }

    private void error(boolean excusable) {
        anyError = true;
        allErrorsExcusable &= excusable;
    }

    static boolean excusable(String message) {
        if (message == null) {
            return false;
        }
        String m = message.toLowerCase(Locale.ROOT);
        for (String x : EXCUSABLE) {
            if (m.contains(x)) {
                return true;
            }
        }
        return false;
    }

    private static Long earliest(Long current, long candidate) {
        return current == null || candidate < current ? candidate : current;
    }

    private static Long diff(Long a, Long b) {
        return a == null || b == null ? null : a - b;
    }

    // ---- the fact

    /** Inferred swaps: orchestrator changes that no swap trace within the window explains. */
    public int inferredSwaps() {
        return orchestratorChanges - matchedChanges;
    }

    /**
     * The session's fact at this point.
     *
     * @param endReason null while live
     * @param endedAt the close time, or the last event time for a timeout; null while live or when
     *     the input ended with the session open
     */
    public SessionFact toFact(
            String status, long emittedAt, String endReason, Long endedAt, SessionConfig config) {
        SessionFact f = new SessionFact();
        f.status = status;
        f.emittedAt = emittedAt;
        f.version = version;
        f.sessionId = sessionId;
        f.streamId = streamId;
        f.requestId = requestId;
        f.pipeline = pipeline;
        f.model = model;
        f.gateway = gateway;
        f.orchestratorAddress = firstOrchestratorAddress;
        f.orchestratorUrl = firstOrchestratorUrl;
        f.paymentSessionId = paymentSessionId;
        f.manifestId = manifestId;

        f.requested = requestAt != null;
        f.startedAt = requestAt != null ? requestAt : firstEventAt;
        f.endedAt = endedAt;
        f.lastEventAt = lastEventAt;
        f.endReason = endReason;
        if (f.requested) {
            if (fewProcessedAt != null) {
                f.startupOutcome = "success";
            } else if (noOrchestrators) {
                f.startupOutcome = "excused";
                f.excuseReason = "no_orchestrators";
            } else if (anyError && allErrorsExcusable) {
                f.startupOutcome = "excused";
                f.excuseReason = "excusable_error";
            } else {
                f.startupOutcome = "unexcused";
            }
        }

        f.segments = segments;
        f.confirmedSwaps = confirmedSwaps;
        f.inferredSwaps = inferredSwaps();
        f.swapped = f.confirmedSwaps > 0 || f.inferredSwaps > 0;
        f.loadingOnly = statusSamples > 0 && !anyActiveState;
        f.zeroOutputFps = statusSamples > 0 && !anyPositiveFps;
        f.outputFailed = f.loadingOnly || f.zeroOutputFps;
        f.effectiveFailed =
                "unexcused".equals(f.startupOutcome)
                        || f.outputFailed
                        || SessionTracker.END_ORCHESTRATOR_LOST.equals(endReason);

        f.startupMs = diff(firstProcessedAt, requestAt);
        f.ptffMs = diff(fewProcessedAt, requestAt);
        f.e2eLatencyMs = diff(firstProcessedAt, firstSendIngestAt);
        f.e2ePtsLatencyMs = ptsLatencyCount == 0 ? null : ptsLatencySumS / ptsLatencyCount * 1000;
        f.runnerStartupMs = diff(runnerFirstProcessedAt, runnerFirstIngestAt);
        f.promptUpdates = promptUpdates;
        Double p50 = Sketches.quantile(promptUpdateSketch, 0.5);
        f.promptUpdateMsP50 = p50 == null ? null : Math.round(p50);
        f.promptUpdateMsMax = promptUpdates == 0 ? null : promptUpdateMaxMs;

        f.outputFpsMean = outputFpsCount == 0 ? null : outputFpsSum / outputFpsCount;
        f.outputFpsP5 = Sketches.quantile(outputFpsSketch, 0.05);
        f.outputFpsP50 = Sketches.quantile(outputFpsSketch, 0.5);
        f.inputFps = inputFpsCount == 0 ? null : inputFpsSum / inputFpsCount;
        f.realtimeRatio =
                f.outputFpsMean == null || f.inputFps == null || f.inputFps == 0
                        ? null
                        : Math.min(1.0, f.outputFpsMean / f.inputFps);
        f.jitterCoefficient =
                frameIntervalCount < 3 || frameIntervalMean == 0
                        ? null
                        : Math.sqrt(frameIntervalM2 / frameIntervalCount) / frameIntervalMean;
        f.networkJitterMsMean =
                networkJitterCount == 0 ? null : networkJitterSum / networkJitterCount;
        f.networkJitterMsP95 = Sketches.quantile(networkJitterSketch, 0.95);
        f.packetLossPct = packetLossCount == 0 ? null : packetLossSum / packetLossCount;
        f.uploadBpsMean = ingestMs == 0 ? null : bytesReceived * 8000.0 / ingestMs;
        f.uploadBpsPeak = uploadPeakBps;
        f.downloadBpsMean = ingestMs == 0 ? null : bytesSent * 8000.0 / ingestMs;
        f.downloadBpsPeak = downloadPeakBps;
        f.onlineS = statusSamples == 0 ? null : onlineMs / 1000.0;
        f.statusSamples = statusSamples;
        long spanEnd = endedAt != null ? endedAt : lastEventAt;
        long expected = Math.max(0, spanEnd - f.startedAt) / config.statusCadence().toMillis();
        f.statusSamplesExpected = (int) Math.min(Integer.MAX_VALUE, expected);
        f.healthCoverage = expected == 0 ? null : Math.min(1.0, statusSamples / (double) expected);
        f.restarts = statusSamples == 0 ? null : (int) restarts;
        f.errors = errors;
        f.excusableErrors = excusableErrors;
        f.payments = payments;
        f.paymentsWei =
                paymentsWei.signum() == 0 ? "0" : paymentsWei.stripTrailingZeros().toPlainString();
        return f;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof SessionState)) {
            return false;
        }
        SessionState s = (SessionState) o;
        return Objects.equals(sessionId, s.sessionId)
                && Objects.equals(streamId, s.streamId)
                && Objects.equals(requestId, s.requestId)
                && Objects.equals(pipeline, s.pipeline)
                && Objects.equals(model, s.model)
                && Objects.equals(gateway, s.gateway)
                && Objects.equals(firstOrchestratorAddress, s.firstOrchestratorAddress)
                && Objects.equals(firstOrchestratorUrl, s.firstOrchestratorUrl)
                && Objects.equals(currentOrchestrator, s.currentOrchestrator)
                && Objects.equals(paymentSessionId, s.paymentSessionId)
                && Objects.equals(manifestId, s.manifestId)
                && firstEventAt == s.firstEventAt
                && lastEventAt == s.lastEventAt
                && Objects.equals(requestAt, s.requestAt)
                && Objects.equals(firstSendIngestAt, s.firstSendIngestAt)
                && Objects.equals(firstProcessedAt, s.firstProcessedAt)
                && Objects.equals(fewProcessedAt, s.fewProcessedAt)
                && Objects.equals(runnerFirstIngestAt, s.runnerFirstIngestAt)
                && Objects.equals(runnerFirstProcessedAt, s.runnerFirstProcessedAt)
                && Objects.equals(closedAt, s.closedAt)
                && noOrchestrators == s.noOrchestrators
                && anyError == s.anyError
                && allErrorsExcusable == s.allErrorsExcusable
                && errors == s.errors
                && excusableErrors == s.excusableErrors
                && orchestratorLost == s.orchestratorLost
                && Objects.equals(orchestratorLostAt, s.orchestratorLostAt)
                && Objects.equals(silentSince, s.silentSince)
                && segments == s.segments
                && orchestratorChanges == s.orchestratorChanges
                && matchedChanges == s.matchedChanges
                && confirmedSwaps == s.confirmedSwaps
                && Arrays.equals(unmatchedChanges, s.unmatchedChanges)
                && Arrays.equals(unusedSwaps, s.unusedSwaps)
                && statusSamples == s.statusSamples
                && anyActiveState == s.anyActiveState
                && anyPositiveFps == s.anyPositiveFps
                && outputFpsCount == s.outputFpsCount
                && outputFpsSum == s.outputFpsSum
                && Arrays.equals(outputFpsSketch, s.outputFpsSketch)
                && inputFpsCount == s.inputFpsCount
                && inputFpsSum == s.inputFpsSum
                && frameIntervalCount == s.frameIntervalCount
                && frameIntervalMean == s.frameIntervalMean
                && frameIntervalM2 == s.frameIntervalM2
                && onlineMs == s.onlineMs
                && Objects.equals(previousStatusAt, s.previousStatusAt)
                && Objects.equals(previousState, s.previousState)
                && Objects.equals(previousParamsHash, s.previousParamsHash)
                && Arrays.equals(pendingPromptUpdates, s.pendingPromptUpdates)
                && promptUpdates == s.promptUpdates
                && promptUpdateMaxMs == s.promptUpdateMaxMs
                && Arrays.equals(promptUpdateSketch, s.promptUpdateSketch)
                && previousRestartCount == s.previousRestartCount
                && restarts == s.restarts
                && Objects.equals(previousIngestAt, s.previousIngestAt)
                && previousBytesReceived == s.previousBytesReceived
                && previousBytesSent == s.previousBytesSent
                && bytesReceived == s.bytesReceived
                && bytesSent == s.bytesSent
                && ingestMs == s.ingestMs
                && Objects.equals(uploadPeakBps, s.uploadPeakBps)
                && Objects.equals(downloadPeakBps, s.downloadPeakBps)
                && networkJitterCount == s.networkJitterCount
                && networkJitterSum == s.networkJitterSum
                && Arrays.equals(networkJitterSketch, s.networkJitterSketch)
                && packetLossCount == s.packetLossCount
                && packetLossSum == s.packetLossSum
                && ptsLatencyCount == s.ptsLatencyCount
                && ptsLatencySumS == s.ptsLatencySumS
                && payments == s.payments
                && Objects.equals(paymentsWei, s.paymentsWei)
                && version == s.version
                && Objects.equals(lastFactAt, s.lastFactAt)
                && Objects.equals(idleTimerAt, s.idleTimerAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sessionId, lastEventAt, statusSamples, version);
    }

    @Override
    public String toString() {
        return "SessionState{"
                + sessionId
                + " last="
                + lastEventAt
                + " segments="
                + segments
                + " status="
                + statusSamples
                + " v"
                + version
                + "}";
    }
}
