package org.livepeer.naap.functions.metrics;

import com.datadoghq.sketch.ddsketch.DDSketch;
import java.util.ArrayList;
import java.util.List;
import org.livepeer.naap.functions.sessions.Sketches;
import org.livepeer.naap.schemas.output.MetricsRow;
import org.livepeer.naap.schemas.output.SessionFact;

/**
 * The session side of the windowed metrics (METRICS.md, "Windowed metrics"): what one ended session
 * contributes to the window of its request, and how windows merge and are finished.
 *
 * <p>A requested session counts, in the window of its request ({@code started_at}), for the
 * orchestrator of its first segment (the one the gateway chose for the request), attributed to its
 * canonical address, model and GPU, and in the network-wide roll-up of its pipeline and model. A
 * session whose orchestrator is not attributed (none at all, or no snapshot named it) counts only
 * in the roll-up. Sessions that were never requested are outside every denominator and count
 * nowhere.
 *
 * <p>Every figure is computed from additive support fields (counts, sums, DDSketches), so windows
 * merge exactly: {@link #merge} then {@link #finish} of sixty minutes gives the hour.
 */
public final class Demand {
    private Demand() {}

    /**
     * The contributions of a final fact: an orchestrator-scope row (when attributed) and a
     * network-scope row, each with {@code windowStart} set to the request time (the window is
     * assigned downstream); none for a live update or a session never requested.
     */
    public static List<MetricsRow> contributions(SessionFact f) {
        List<MetricsRow> out = new ArrayList<>();
        if (!SessionFact.STATUS_FINAL.equals(f.status) || !f.requested || f.startedAt == null) {
            return out;
        }
        if (f.canonicalAddress != null) {
            MetricsRow o = one(f);
            o.scope = MetricsRow.SCOPE_ORCHESTRATOR;
            o.orchestratorAddress = f.canonicalAddress;
            o.gpuId = f.gpuId;
            o.gpuName = f.gpuName;
            out.add(o);
        }
        MetricsRow n = one(f);
        n.scope = MetricsRow.SCOPE_NETWORK;
        out.add(n);
        return out;
    }

    /**
     * The key of a row: its scope, orchestrator, model and GPU. The pipeline is carried, not keyed
     * (a model belongs to one pipeline, and a capability snapshot without hardware does not say
     * which): the first known one stands.
     */
    public static String keyOf(MetricsRow r) {
        return r.scope + "|" + nz(r.orchestratorAddress) + "|" + nz(r.model) + "|" + nz(r.gpuId);
    }

    private static MetricsRow one(SessionFact f) {
        MetricsRow r = new MetricsRow();
        r.windowStart = f.startedAt;
        r.pipeline = f.pipeline;
        r.model = f.model;
        r.requested = 1;
        if ("success".equals(f.startupOutcome)) {
            r.startupSuccess = 1;
        } else if ("excused".equals(f.startupOutcome)) {
            r.excused = 1;
            if ("no_orchestrators".equals(f.excuseReason)) {
                r.noOrchestrator = 1;
            }
        } else if ("unexcused".equals(f.startupOutcome)) {
            r.unexcused = 1;
        }
        r.swapped = f.swapped ? 1 : 0;
        r.outputFailed = f.outputFailed ? 1 : 0;
        r.effectiveFailed = f.effectiveFailed ? 1 : 0;
        r.orchestratorLost = "orchestrator_lost".equals(f.endReason) ? 1 : 0;
        r.ptffSketch = sketchOf(f.ptffMs);
        r.startupSketch = sketchOf(f.startupMs);
        r.e2eSketch = sketchOf(f.e2eLatencyMs);
        r.promptUpdateSketch = f.promptUpdateMsP50 == null ? null : sketchOf(f.promptUpdateMsP50);
        if (f.e2eLatencyMs != null) {
            r.e2eSum = f.e2eLatencyMs;
            r.e2eCount = 1;
        }
        r.statusReceived = f.statusSamples;
        r.statusExpected = f.statusSamplesExpected == null ? 0 : f.statusSamplesExpected;
        return r;
    }

    private static byte[] sketchOf(Long value) {
        return value == null ? null : Sketches.add(null, value);
    }

    /** Adds {@code other}'s support fields to {@code into}'s. */
    public static void merge(MetricsRow into, MetricsRow other) {
        into.requested += other.requested;
        into.startupSuccess += other.startupSuccess;
        into.excused += other.excused;
        into.unexcused += other.unexcused;
        into.noOrchestrator += other.noOrchestrator;
        into.swapped += other.swapped;
        into.outputFailed += other.outputFailed;
        into.effectiveFailed += other.effectiveFailed;
        into.orchestratorLost += other.orchestratorLost;
        into.ptffSketch = mergeSketches(into.ptffSketch, other.ptffSketch);
        into.startupSketch = mergeSketches(into.startupSketch, other.startupSketch);
        into.e2eSketch = mergeSketches(into.e2eSketch, other.e2eSketch);
        into.promptUpdateSketch = mergeSketches(into.promptUpdateSketch, other.promptUpdateSketch);
        into.e2eSum += other.e2eSum;
        into.e2eCount += other.e2eCount;
        if (other.activeSessionsMax != null) {
            into.activeSessionsMax =
                    into.activeSessionsMax == null
                            ? other.activeSessionsMax
                            : Math.max(into.activeSessionsMax, other.activeSessionsMax);
        }
        into.uploadBits += other.uploadBits;
        into.downloadBits += other.downloadBits;
        into.ingestMs += other.ingestMs;
        into.uploadBpsPeak = max(into.uploadBpsPeak, other.uploadBpsPeak);
        into.downloadBpsPeak = max(into.downloadBpsPeak, other.downloadBpsPeak);
        into.earnedWei += other.earnedWei;
        into.offeredSeconds += other.offeredSeconds;
        into.busySeconds += other.busySeconds;
        into.usefulSeconds += other.usefulSeconds;
        into.statusReceived += other.statusReceived;
        into.statusExpected += other.statusExpected;
        into.fpsCount += other.fpsCount;
        into.fpsSum += other.fpsSum;
        into.fpsSketch = mergeSketches(into.fpsSketch, other.fpsSketch);
        into.intervalCount += other.intervalCount;
        into.intervalSum += other.intervalSum;
        into.intervalSumSquares += other.intervalSumSquares;
        if (into.gpuName == null) {
            into.gpuName = other.gpuName;
        }
        if (into.pipeline == null) {
            into.pipeline = other.pipeline;
        }
    }

    private static byte[] mergeSketches(byte[] a, byte[] b) {
        if (b == null) {
            return a;
        }
        if (a == null) {
            return b;
        }
        DDSketch merged = Sketches.decode(a);
        merged.mergeWith(Sketches.decode(b));
        return Sketches.encode(merged);
    }

    /**
     * Computes the figures from the support fields: rates over {@code requested} (null when no
     * session was requested), clamped to [0, 1]; percentiles from the sketches (null when empty).
     */
    public static void finish(MetricsRow r) {
        r.startupSuccessRate = rate(r.startupSuccess, r.requested);
        r.failureRate = rate(r.effectiveFailed, r.requested);
        r.swapRate = rate(r.swapped, r.requested);
        r.ptffMsP50 = Sketches.quantile(r.ptffSketch, 0.50);
        r.ptffMsP95 = Sketches.quantile(r.ptffSketch, 0.95);
        r.ptffMsP99 = Sketches.quantile(r.ptffSketch, 0.99);
        r.startupMsP50 = Sketches.quantile(r.startupSketch, 0.50);
        r.startupMsP95 = Sketches.quantile(r.startupSketch, 0.95);
        r.startupMsP99 = Sketches.quantile(r.startupSketch, 0.99);
        r.e2eLatencyMsP50 = Sketches.quantile(r.e2eSketch, 0.50);
        r.e2eLatencyMsP95 = Sketches.quantile(r.e2eSketch, 0.95);
        r.e2eLatencyMsP99 = Sketches.quantile(r.e2eSketch, 0.99);
        r.e2eLatencyMsMean = r.e2eCount == 0 ? null : r.e2eSum / r.e2eCount;
        r.promptUpdateMsP50 = Sketches.quantile(r.promptUpdateSketch, 0.50);
        r.promptUpdateMsP95 = Sketches.quantile(r.promptUpdateSketch, 0.95);
        r.promptUpdateMsP99 = Sketches.quantile(r.promptUpdateSketch, 0.99);
        r.outputFpsMean = r.fpsCount == 0 ? null : r.fpsSum / r.fpsCount;
        r.outputFpsP5 = Sketches.quantile(r.fpsSketch, 0.05);
        r.outputFpsP50 = Sketches.quantile(r.fpsSketch, 0.50);
        r.jitterCoefficient = jitter(r);
        r.uploadBpsMean = r.ingestMs <= 0 ? null : r.uploadBits * 1000.0 / r.ingestMs;
        r.downloadBpsMean = r.ingestMs <= 0 ? null : r.downloadBits * 1000.0 / r.ingestMs;
        r.earningsWeiPerHour = r.busySeconds <= 0 ? null : r.earnedWei / (r.busySeconds / 3600.0);
        long windowSeconds = (r.windowEnd - r.windowStart) / 1000;
        r.activeSessionsMean = windowSeconds <= 0 ? null : r.busySeconds / windowSeconds;
        r.gpuUtilization = r.offeredSeconds <= 0 ? null : clamp(r.busySeconds / r.offeredSeconds);
        r.gpuEfficiency = r.busySeconds <= 0 ? null : clamp(r.usefulSeconds / r.busySeconds);
        r.cue = r.offeredSeconds <= 0 ? null : clamp(r.usefulSeconds / r.offeredSeconds);
        r.healthCoverage =
                r.statusExpected == 0
                        ? null
                        : Math.min(1.0, (double) r.statusReceived / r.statusExpected);
    }

    /**
     * The coefficient of variation (population standard deviation over mean) of the window's frame
     * intervals, from their count, sum and sum of squares; null under 3 intervals.
     */
    public static Double jitter(MetricsRow r) {
        if (r.intervalCount < 3 || r.intervalSum <= 0) {
            return null;
        }
        double mean = r.intervalSum / r.intervalCount;
        double variance = Math.max(0.0, r.intervalSumSquares / r.intervalCount - mean * mean);
        return Math.sqrt(variance) / mean;
    }

    /**
     * The contributions of one status sample: to its orchestrator's key (when resolved) and to the
     * network roll-up, with {@code windowStart} set to the sample's time.
     */
    public static List<MetricsRow> contributions(
            QualitySample q, Attribution.Resolution resolution) {
        List<MetricsRow> out = new ArrayList<>();
        if (q.fps == null && q.frameInterval == null && q.onlineMs == 0 && q.ingestMs == 0) {
            return out;
        }
        if (resolution.address() != null) {
            MetricsRow o = sample(q);
            o.scope = MetricsRow.SCOPE_ORCHESTRATOR;
            o.orchestratorAddress = resolution.address();
            o.gpuId = resolution.gpuId();
            o.gpuName = resolution.gpuName();
            out.add(o);
        }
        MetricsRow n = sample(q);
        n.scope = MetricsRow.SCOPE_NETWORK;
        out.add(n);
        return out;
    }

    private static MetricsRow sample(QualitySample q) {
        MetricsRow r = new MetricsRow();
        r.windowStart = q.eventTime;
        // Only a status sample (not an ingest one) shows the session running on the orchestrator.
        r.sessionId = q.ingestMs > 0 ? null : q.sessionId;
        r.pipeline = q.pipeline;
        r.model = q.model;
        if (q.fps != null) {
            r.fpsCount = 1;
            r.fpsSum = q.fps;
            r.fpsSketch = Sketches.add(null, q.fps);
        }
        if (q.ingestMs > 0) {
            r.uploadBits = q.uploadBits;
            r.downloadBits = q.downloadBits;
            r.ingestMs = q.ingestMs;
            r.uploadBpsPeak = q.uploadBits * 1000.0 / q.ingestMs;
            r.downloadBpsPeak = q.downloadBits * 1000.0 / q.ingestMs;
        }
        r.busySeconds = q.onlineMs / 1000.0;
        r.usefulSeconds = r.busySeconds * (q.realtimeRatio == null ? 0.0 : q.realtimeRatio);
        if (q.frameInterval != null) {
            r.intervalCount = 1;
            r.intervalSum = q.frameInterval;
            r.intervalSumSquares = q.frameInterval * q.frameInterval;
        }
        return r;
    }

    private static Double max(Double a, Double b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return Math.max(a, b);
    }

    private static double clamp(double v) {
        return Math.min(1.0, Math.max(0.0, v));
    }

    private static Double rate(long count, long of) {
        return of == 0 ? null : Math.min(1.0, Math.max(0.0, (double) count / of));
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
