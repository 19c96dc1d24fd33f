package org.livepeer.naap.schemas.output;

import java.util.Arrays;
import java.util.Objects;

/**
 * One window of metrics (METRICS.md, "Windowed metrics") for one key: a canonical orchestrator x
 * pipeline x model x GPU ({@link #SCOPE_ORCHESTRATOR}), or the network-wide roll-up per pipeline
 * and model ({@link #SCOPE_NETWORK}, no orchestrator or GPU), over a tumbling event-time window of
 * one minute or one hour.
 *
 * <p>Every row carries its additive support fields (counts, sums and serialized DDSketches) beside
 * the figures computed from them, so that rows re-aggregate exactly: the hour is the merge of its
 * minutes. A window's row can be emitted again with a higher {@link #revision} when a session
 * requested in it ends after the row went out (a session counts in the window of its request, and
 * its outcome is known when it ends); the latest revision of a key and window is the row.
 *
 * <p>A Flink POJO; times are epoch milliseconds of event time.
 */
public class MetricsRow {
    public static final String MINUTE = "1m";
    public static final String HOUR = "1h";
    public static final String SCOPE_ORCHESTRATOR = "orchestrator";
    public static final String SCOPE_NETWORK = "network";

    // ---- identity
    /** {@link #MINUTE} or {@link #HOUR}. */
    public String resolution;

    public long windowStart;
    public long windowEnd;

    /** {@link #SCOPE_ORCHESTRATOR} or {@link #SCOPE_NETWORK}. */
    public String scope;

    /** Canonical address (lower case); null in the network roll-up. */
    public String orchestratorAddress;

    public String pipeline;
    public String model;

    /** Null when the hardware does not say which GPU (and in the network roll-up). */
    public String gpuId;

    public String gpuName;

    /** 0 for the first emission of the window, then 1, 2... as late sessions revise it. */
    public int revision;

    /**
     * The event time of the timer that emitted this revision: the window's end plus the settle time
     * for revision 0; just past the watermark a late session found, for a later one.
     */
    public long emittedAt;

    // ---- support: session counts (demand, in the window of the request)
    public long requested;
    public long startupSuccess;
    public long excused;
    public long unexcused;
    public long noOrchestrator;
    public long swapped;
    public long outputFailed;
    public long effectiveFailed;
    public long orchestratorLost;

    // ---- support: sketches of the sessions' measures (DDSketch, 1 % relative accuracy)
    public byte[] ptffSketch;
    public byte[] startupSketch;
    public byte[] e2eSketch;
    public byte[] promptUpdateSketch;
    public double e2eSum;
    public long e2eCount;

    /**
     * GPU time: slot-seconds the orchestrator offered for the key (its advertised capacity, held
     * until its next snapshot), busy (its sessions' ONLINE seconds) and useful (ONLINE seconds x
     * the real-time ratio).
     */
    public double offeredSeconds;

    public double busySeconds;
    public double usefulSeconds;

    /** Ingest: bits uploaded and downloaded, over ingest ms, and the peak interval rates. */
    public long uploadBits;

    public long downloadBits;
    public long ingestMs;
    public Double uploadBpsPeak;
    public Double downloadBpsPeak;

    /**
     * Expected value (wei) of the payments made in the window (a double: a sum, not money owed).
     */
    public double earnedWei;

    /** The requested sessions' status samples received and expected (health coverage). */
    public long statusReceived;

    public long statusExpected;

    // ---- support: status samples (quality, in the windows the samples fall in)
    /** Samples counting toward output fps, their sum and sketch. */
    public long fpsCount;

    public double fpsSum;
    public byte[] fpsSketch;

    /** Output frame intervals (1 / fps of ONLINE samples above 0): count, sum, sum of squares. */
    public long intervalCount;

    public double intervalSum;
    public double intervalSumSquares;

    // ---- figures, computed from the support fields
    public Double startupSuccessRate;
    public Double failureRate;
    public Double swapRate;
    public Double ptffMsP50;
    public Double ptffMsP95;
    public Double ptffMsP99;
    public Double startupMsP50;
    public Double startupMsP95;
    public Double startupMsP99;
    public Double e2eLatencyMsP50;
    public Double e2eLatencyMsP95;
    public Double e2eLatencyMsP99;
    public Double e2eLatencyMsMean;
    public Double promptUpdateMsP50;
    public Double promptUpdateMsP95;
    public Double promptUpdateMsP99;
    public Double outputFpsMean;
    public Double outputFpsP5;
    public Double outputFpsP50;

    /** Coefficient of variation of the frame intervals; null under 3 intervals. */
    public Double jitterCoefficient;

    /** busy / offered, in [0, 1]; null when nothing was offered. */
    public Double gpuUtilization;

    /** useful / busy, in [0, 1]; null when nothing was busy. */
    public Double gpuEfficiency;

    /** CUDA utilization efficiency: utilization x efficiency (useful / offered), in [0, 1]. */
    public Double cue;

    /** earnedWei per busy (ONLINE) hour; null when nothing was busy. */
    public Double earningsWeiPerHour;

    /** The most sessions with a status sample in any one minute of the window (merges as a max). */
    public Long activeSessionsMax;

    /** For a status-sample contribution only: its session (not a column). */
    public String sessionId;

    /** Mean upload and download rates over the window's ingest intervals. */
    public Double uploadBpsMean;

    public Double downloadBpsMean;

    /** Sessions online on average over the window: busy seconds / window seconds. */
    public Double activeSessionsMean;

    /** statusReceived / statusExpected, capped at 1; null when none expected. */
    public Double healthCoverage;

    /** The SLA score (hourly orchestrator rows only, 0 to 100; null when nothing requested). */
    public Double sla;

    public Double slaReliability;
    public Double slaQuality;

    /** Output fps mean 20 % or more below the previous hour's for the same key (hourly rows). */
    public Boolean fpsDegraded;

    public MetricsRow() {}

    /** A copy (the sketches' bytes are never changed in place, so they are shared). */
    public MetricsRow copy() {
        MetricsRow r = new MetricsRow();
        r.resolution = resolution;
        r.windowStart = windowStart;
        r.windowEnd = windowEnd;
        r.scope = scope;
        r.orchestratorAddress = orchestratorAddress;
        r.pipeline = pipeline;
        r.model = model;
        r.gpuId = gpuId;
        r.gpuName = gpuName;
        r.revision = revision;
        r.emittedAt = emittedAt;
        r.requested = requested;
        r.startupSuccess = startupSuccess;
        r.excused = excused;
        r.unexcused = unexcused;
        r.noOrchestrator = noOrchestrator;
        r.swapped = swapped;
        r.outputFailed = outputFailed;
        r.effectiveFailed = effectiveFailed;
        r.orchestratorLost = orchestratorLost;
        r.ptffSketch = ptffSketch;
        r.startupSketch = startupSketch;
        r.e2eSketch = e2eSketch;
        r.promptUpdateSketch = promptUpdateSketch;
        r.e2eSum = e2eSum;
        r.e2eCount = e2eCount;
        r.fpsCount = fpsCount;
        r.fpsSum = fpsSum;
        r.fpsSketch = fpsSketch;
        r.intervalCount = intervalCount;
        r.intervalSum = intervalSum;
        r.intervalSumSquares = intervalSumSquares;
        r.outputFpsMean = outputFpsMean;
        r.outputFpsP5 = outputFpsP5;
        r.outputFpsP50 = outputFpsP50;
        r.jitterCoefficient = jitterCoefficient;
        r.activeSessionsMax = activeSessionsMax;
        r.sessionId = sessionId;
        r.uploadBits = uploadBits;
        r.downloadBits = downloadBits;
        r.ingestMs = ingestMs;
        r.uploadBpsPeak = uploadBpsPeak;
        r.downloadBpsPeak = downloadBpsPeak;
        r.uploadBpsMean = uploadBpsMean;
        r.downloadBpsMean = downloadBpsMean;
        r.earnedWei = earnedWei;
        r.earningsWeiPerHour = earningsWeiPerHour;
        r.activeSessionsMean = activeSessionsMean;
        r.offeredSeconds = offeredSeconds;
        r.busySeconds = busySeconds;
        r.usefulSeconds = usefulSeconds;
        r.gpuUtilization = gpuUtilization;
        r.gpuEfficiency = gpuEfficiency;
        r.cue = cue;
        r.statusReceived = statusReceived;
        r.statusExpected = statusExpected;
        r.healthCoverage = healthCoverage;
        r.sla = sla;
        r.slaReliability = slaReliability;
        r.slaQuality = slaQuality;
        r.fpsDegraded = fpsDegraded;
        r.startupSuccessRate = startupSuccessRate;
        r.failureRate = failureRate;
        r.swapRate = swapRate;
        r.ptffMsP50 = ptffMsP50;
        r.ptffMsP95 = ptffMsP95;
        r.ptffMsP99 = ptffMsP99;
        r.startupMsP50 = startupMsP50;
        r.startupMsP95 = startupMsP95;
        r.startupMsP99 = startupMsP99;
        r.e2eLatencyMsP50 = e2eLatencyMsP50;
        r.e2eLatencyMsP95 = e2eLatencyMsP95;
        r.e2eLatencyMsP99 = e2eLatencyMsP99;
        r.e2eLatencyMsMean = e2eLatencyMsMean;
        r.promptUpdateMsP50 = promptUpdateMsP50;
        r.promptUpdateMsP95 = promptUpdateMsP95;
        r.promptUpdateMsP99 = promptUpdateMsP99;
        return r;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof MetricsRow r)) {
            return false;
        }
        return windowStart == r.windowStart
                && windowEnd == r.windowEnd
                && revision == r.revision
                && emittedAt == r.emittedAt
                && requested == r.requested
                && startupSuccess == r.startupSuccess
                && excused == r.excused
                && unexcused == r.unexcused
                && noOrchestrator == r.noOrchestrator
                && swapped == r.swapped
                && outputFailed == r.outputFailed
                && effectiveFailed == r.effectiveFailed
                && orchestratorLost == r.orchestratorLost
                && Double.compare(e2eSum, r.e2eSum) == 0
                && e2eCount == r.e2eCount
                && fpsCount == r.fpsCount
                && Double.compare(fpsSum, r.fpsSum) == 0
                && Arrays.equals(fpsSketch, r.fpsSketch)
                && intervalCount == r.intervalCount
                && Double.compare(intervalSum, r.intervalSum) == 0
                && Double.compare(intervalSumSquares, r.intervalSumSquares) == 0
                && Objects.equals(outputFpsMean, r.outputFpsMean)
                && Objects.equals(outputFpsP5, r.outputFpsP5)
                && Objects.equals(outputFpsP50, r.outputFpsP50)
                && Objects.equals(jitterCoefficient, r.jitterCoefficient)
                && Objects.equals(activeSessionsMax, r.activeSessionsMax)
                && Objects.equals(sessionId, r.sessionId)
                && uploadBits == r.uploadBits
                && downloadBits == r.downloadBits
                && ingestMs == r.ingestMs
                && Objects.equals(uploadBpsPeak, r.uploadBpsPeak)
                && Objects.equals(downloadBpsPeak, r.downloadBpsPeak)
                && Objects.equals(uploadBpsMean, r.uploadBpsMean)
                && Objects.equals(downloadBpsMean, r.downloadBpsMean)
                && Double.compare(earnedWei, r.earnedWei) == 0
                && Objects.equals(earningsWeiPerHour, r.earningsWeiPerHour)
                && Objects.equals(activeSessionsMean, r.activeSessionsMean)
                && Double.compare(offeredSeconds, r.offeredSeconds) == 0
                && Double.compare(busySeconds, r.busySeconds) == 0
                && Double.compare(usefulSeconds, r.usefulSeconds) == 0
                && Objects.equals(gpuUtilization, r.gpuUtilization)
                && Objects.equals(gpuEfficiency, r.gpuEfficiency)
                && Objects.equals(cue, r.cue)
                && statusReceived == r.statusReceived
                && statusExpected == r.statusExpected
                && Objects.equals(healthCoverage, r.healthCoverage)
                && Objects.equals(sla, r.sla)
                && Objects.equals(slaReliability, r.slaReliability)
                && Objects.equals(slaQuality, r.slaQuality)
                && Objects.equals(fpsDegraded, r.fpsDegraded)
                && Objects.equals(resolution, r.resolution)
                && Objects.equals(scope, r.scope)
                && Objects.equals(orchestratorAddress, r.orchestratorAddress)
                && Objects.equals(pipeline, r.pipeline)
                && Objects.equals(model, r.model)
                && Objects.equals(gpuId, r.gpuId)
                && Objects.equals(gpuName, r.gpuName)
                && Arrays.equals(ptffSketch, r.ptffSketch)
                && Arrays.equals(startupSketch, r.startupSketch)
                && Arrays.equals(e2eSketch, r.e2eSketch)
                && Arrays.equals(promptUpdateSketch, r.promptUpdateSketch)
                && Objects.equals(startupSuccessRate, r.startupSuccessRate)
                && Objects.equals(failureRate, r.failureRate)
                && Objects.equals(swapRate, r.swapRate)
                && Objects.equals(ptffMsP50, r.ptffMsP50)
                && Objects.equals(ptffMsP95, r.ptffMsP95)
                && Objects.equals(ptffMsP99, r.ptffMsP99)
                && Objects.equals(startupMsP50, r.startupMsP50)
                && Objects.equals(startupMsP95, r.startupMsP95)
                && Objects.equals(startupMsP99, r.startupMsP99)
                && Objects.equals(e2eLatencyMsP50, r.e2eLatencyMsP50)
                && Objects.equals(e2eLatencyMsP95, r.e2eLatencyMsP95)
                && Objects.equals(e2eLatencyMsP99, r.e2eLatencyMsP99)
                && Objects.equals(e2eLatencyMsMean, r.e2eLatencyMsMean)
                && Objects.equals(promptUpdateMsP50, r.promptUpdateMsP50)
                && Objects.equals(promptUpdateMsP95, r.promptUpdateMsP95)
                && Objects.equals(promptUpdateMsP99, r.promptUpdateMsP99);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                resolution, windowStart, scope, orchestratorAddress, pipeline, model, gpuId);
    }

    @Override
    public String toString() {
        return "MetricsRow{"
                + resolution
                + " "
                + windowStart
                + " "
                + scope
                + " "
                + orchestratorAddress
                + " "
                + pipeline
                + "/"
                + model
                + " gpu="
                + gpuId
                + " rev="
                + revision
                + " requested="
                + requested
                + " failed="
                + effectiveFailed
                + "}";
    }
}
