package org.livepeer.naap.schemas.output;

import java.util.Objects;

/**
 * One stream session as the session tracker sees it: a live update while it is open ({@code status}
 * {@code live}) or its final fact when it ends ({@code status} {@code final}). Field meanings and
 * clocks are those of METRICS.md ("Session", "Per-session measures"); the output names are the
 * snake_case forms of these fields (for example {@code startupMs} is {@code startup_ms}). Unknown
 * is null, never 0. Times are epoch milliseconds.
 */
public class SessionFact {
    public static final String STATUS_LIVE = "live";
    public static final String STATUS_FINAL = "final";

    /** {@code live} or {@code final}. */
    public String status;

    /** The event time at which this fact was emitted (the watermark or the triggering event). */
    public long emittedAt;

    /** How many facts this session has emitted before this one (0 for the first). */
    public int version;

    // ---- identity
    public String sessionId;
    public String streamId;
    public String requestId;
    public String pipeline;
    public String model;
    public String gateway;

    /**
     * The orchestrator address the first segment's traces and samples carry (lower case): often the
     * orchestrator's hot wallet, not its canonical address (see {@link #canonicalAddress}).
     */
    public String orchestratorAddress;

    public String orchestratorUrl;

    // ---- attribution (set after the tracker, from capability snapshots)

    /** The first segment's orchestrator's canonical address (lower case), when attributed. */
    public String canonicalAddress;

    /** The GPU that served the session's model, when the orchestrator's hardware names one. */
    public String gpuId;

    public String gpuName;

    /**
     * {@code resolved}, {@code hardware_less}, {@code stale}, {@code ambiguous} or {@code
     * unresolved}; null before attribution.
     */
    public String attribution;

    public String paymentSessionId;
    public String manifestId;

    // ---- lifecycle
    public Long startedAt;
    public Long endedAt;
    public Long lastEventAt;
    public boolean requested;

    /** {@code success}, {@code excused}, {@code unexcused}; null when not requested. */
    public String startupOutcome;

    /** {@code no_orchestrators} or {@code excusable_error} when excused; else null. */
    public String excuseReason;

    /**
     * {@code closed}, {@code timed_out}, {@code orchestrator_lost}, {@code open}; null while live.
     */
    public String endReason;

    public int segments;
    public int confirmedSwaps;
    public int inferredSwaps;
    public boolean swapped;
    public boolean loadingOnly;
    public boolean zeroOutputFps;
    public boolean outputFailed;
    public boolean effectiveFailed;

    // ---- measures
    public Long startupMs;
    public Long ptffMs;
    public Long e2eLatencyMs;
    public Double e2ePtsLatencyMs;
    public Long runnerStartupMs;
    public int promptUpdates;
    public Long promptUpdateMsP50;
    public Long promptUpdateMsMax;
    public Double outputFpsMean;
    public Double outputFpsP5;
    public Double outputFpsP50;
    public Double inputFps;
    public Double realtimeRatio;
    public Double jitterCoefficient;
    public Double networkJitterMsMean;
    public Double networkJitterMsP95;
    public Double packetLossPct;
    public Double uploadBpsMean;
    public Double uploadBpsPeak;
    public Double downloadBpsMean;
    public Double downloadBpsPeak;
    public Double onlineS;
    public int statusSamples;
    public Integer statusSamplesExpected;
    public Double healthCoverage;
    public Integer restarts;
    public int errors;
    public int excusableErrors;
    public int payments;

    /** Expected value of the session's payments in wei, as a decimal string (exceeds a double). */
    public String paymentsWei;

    public SessionFact() {}

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof SessionFact)) {
            return false;
        }
        SessionFact f = (SessionFact) o;
        return emittedAt == f.emittedAt
                && version == f.version
                && requested == f.requested
                && segments == f.segments
                && confirmedSwaps == f.confirmedSwaps
                && inferredSwaps == f.inferredSwaps
                && swapped == f.swapped
                && loadingOnly == f.loadingOnly
                && zeroOutputFps == f.zeroOutputFps
                && outputFailed == f.outputFailed
                && effectiveFailed == f.effectiveFailed
                && promptUpdates == f.promptUpdates
                && statusSamples == f.statusSamples
                && errors == f.errors
                && excusableErrors == f.excusableErrors
                && payments == f.payments
                && Objects.equals(status, f.status)
                && Objects.equals(sessionId, f.sessionId)
                && Objects.equals(streamId, f.streamId)
                && Objects.equals(requestId, f.requestId)
                && Objects.equals(pipeline, f.pipeline)
                && Objects.equals(model, f.model)
                && Objects.equals(gateway, f.gateway)
                && Objects.equals(orchestratorAddress, f.orchestratorAddress)
                && Objects.equals(orchestratorUrl, f.orchestratorUrl)
                && Objects.equals(canonicalAddress, f.canonicalAddress)
                && Objects.equals(gpuId, f.gpuId)
                && Objects.equals(gpuName, f.gpuName)
                && Objects.equals(attribution, f.attribution)
                && Objects.equals(paymentSessionId, f.paymentSessionId)
                && Objects.equals(manifestId, f.manifestId)
                && Objects.equals(startedAt, f.startedAt)
                && Objects.equals(endedAt, f.endedAt)
                && Objects.equals(lastEventAt, f.lastEventAt)
                && Objects.equals(startupOutcome, f.startupOutcome)
                && Objects.equals(excuseReason, f.excuseReason)
                && Objects.equals(endReason, f.endReason)
                && Objects.equals(startupMs, f.startupMs)
                && Objects.equals(ptffMs, f.ptffMs)
                && Objects.equals(e2eLatencyMs, f.e2eLatencyMs)
                && Objects.equals(e2ePtsLatencyMs, f.e2ePtsLatencyMs)
                && Objects.equals(runnerStartupMs, f.runnerStartupMs)
                && Objects.equals(promptUpdateMsP50, f.promptUpdateMsP50)
                && Objects.equals(promptUpdateMsMax, f.promptUpdateMsMax)
                && Objects.equals(outputFpsMean, f.outputFpsMean)
                && Objects.equals(outputFpsP5, f.outputFpsP5)
                && Objects.equals(outputFpsP50, f.outputFpsP50)
                && Objects.equals(inputFps, f.inputFps)
                && Objects.equals(realtimeRatio, f.realtimeRatio)
                && Objects.equals(jitterCoefficient, f.jitterCoefficient)
                && Objects.equals(networkJitterMsMean, f.networkJitterMsMean)
                && Objects.equals(networkJitterMsP95, f.networkJitterMsP95)
                && Objects.equals(packetLossPct, f.packetLossPct)
                && Objects.equals(uploadBpsMean, f.uploadBpsMean)
                && Objects.equals(uploadBpsPeak, f.uploadBpsPeak)
                && Objects.equals(downloadBpsMean, f.downloadBpsMean)
                && Objects.equals(downloadBpsPeak, f.downloadBpsPeak)
                && Objects.equals(onlineS, f.onlineS)
                && Objects.equals(statusSamplesExpected, f.statusSamplesExpected)
                && Objects.equals(healthCoverage, f.healthCoverage)
                && Objects.equals(restarts, f.restarts)
                && Objects.equals(paymentsWei, f.paymentsWei);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sessionId, status, version, emittedAt);
    }

    @Override
    public String toString() {
        return "SessionFact{"
                + sessionId
                + " "
                + status
                + " v"
                + version
                + " outcome="
                + startupOutcome
                + " end="
                + endReason
                + " segments="
                + segments
                + "}";
    }
}
