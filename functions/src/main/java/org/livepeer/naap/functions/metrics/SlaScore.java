package org.livepeer.naap.functions.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.livepeer.naap.functions.sessions.Sketches;
import org.livepeer.naap.schemas.output.MetricsRow;

/**
 * The SLA score of every hourly orchestrator row, and {@code fps_degraded} (METRICS.md, "SLA
 * score"):
 *
 * <pre>
 * sla = 100 x coverage x (0.7 x reliability + 0.3 x quality)
 * reliability = 0.4 x startup_success_rate + 0.2 x (1 - swap_rate) + 0.4 x (1 - failure_rate)
 * quality     = 0.6 x latency + 0.4 x fps
 * latency     = 0.6 x ptff_score + 0.4 x e2e_score
 * </pre>
 *
 * <p>Scores compare the row with the network benchmark of the same pipeline and model over the
 * previous seven days: the merged network-wide hourly rows of the hours before the row's (their
 * sketches, held in state for seven days). A latency scores 1 at or below the benchmark's p50 and 0
 * at or above its p90, linearly between, on the row's p50 (PTFF and e2e latency); fps scores 1 at
 * or above the benchmark's p50 and 0 at or below its p10, on the row's output fps p50. A component
 * with too little evidence shrinks toward a neutral 0.5: the reliability components by the row's
 * requested sessions out of {@link #MIN_SESSIONS}, the latency and fps scores also by the
 * benchmark's sessions (samples, for fps) out of {@code benchmarkFloor}; a score without a value is
 * 0.5. Coverage is the row's {@code health_coverage} (1 when no sample was expected). Null when
 * nothing was requested.
 *
 * <p>{@code fps_degraded}: the row's output fps mean is 20 % or more below the previous hour's for
 * the same key (null when either is unknown).
 *
 * <p>Key: the model, which names its pipeline ({@link #keySelector}). Rows are held until the
 * watermark passes their hour's emission time and then applied in hour order, network rows before
 * orchestrator rows, so a replay scores the same; a revision that comes later is scored at once.
 * State (processing-time TTL of 8 days behind the pruning): {@code sla-buffer}; {@code
 * sla-benchmark}, the latest network row per hour, dropped after seven days; {@code
 * sla-previous-fps}, each orchestrator key's latest hourly fps mean, dropped after two hours.
 */
public class SlaScore extends KeyedProcessFunction<String, MetricsRow, MetricsRow> {
    private static final long serialVersionUID = 1L;

    static final int MIN_SESSIONS = 10;
    static final long BENCHMARK_MS = Duration.ofDays(7).toMillis();
    private static final long HOUR = WindowedMetrics.HOUR_MS;

    private final long settleMs;
    private final long benchmarkFloor;

    private transient MapState<Long, List<MetricsRow>> buffer;
    private transient MapState<Long, MetricsRow> benchmark;
    private transient MapState<String, MetricsRow> previous;

    /**
     * @param settleMs when after its end an hour's rows go out (their timers' time)
     * @param benchmarkFloor the benchmark's sessions (or samples) below which a score shrinks
     */
    public SlaScore(long settleMs, long benchmarkFloor) {
        this.settleMs = settleMs;
        this.benchmarkFloor = benchmarkFloor;
    }

    /** Hourly rows by model (a model belongs to one pipeline: see {@link Demand#keyOf}). */
    public static KeySelector<MetricsRow, String> keySelector() {
        return r -> r.model == null ? "" : r.model;
    }

    @Override
    public void open(OpenContext openContext) {
        StateTtlConfig ttl =
                StateTtlConfig.newBuilder(Duration.ofDays(8))
                        .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                        .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                        .build();
        TypeInformation<MetricsRow> row = TypeInformation.of(MetricsRow.class);
        MapStateDescriptor<Long, List<MetricsRow>> b =
                new MapStateDescriptor<>("sla-buffer", Types.LONG, Types.LIST(row));
        MapStateDescriptor<Long, MetricsRow> bench =
                new MapStateDescriptor<>("sla-benchmark", Types.LONG, row);
        MapStateDescriptor<String, MetricsRow> prev =
                new MapStateDescriptor<>("sla-previous-fps", Types.STRING, row);
        b.enableTimeToLive(ttl);
        bench.enableTimeToLive(ttl);
        prev.enableTimeToLive(ttl);
        buffer = getRuntimeContext().getMapState(b);
        benchmark = getRuntimeContext().getMapState(bench);
        previous = getRuntimeContext().getMapState(prev);
    }

    @Override
    public void processElement(MetricsRow r, Context ctx, Collector<MetricsRow> out)
            throws Exception {
        long due = r.windowEnd + settleMs;
        if (due <= ctx.timerService().currentWatermark()) {
            apply(r, out);
            return;
        }
        List<MetricsRow> held = buffer.get(due);
        if (held == null) {
            held = new ArrayList<>();
        }
        held.add(r);
        // Cleared by the timer at this time.
        buffer.put(due, held);
        ctx.timerService().registerEventTimeTimer(due);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<MetricsRow> out)
            throws Exception {
        List<MetricsRow> due = buffer.get(timestamp);
        if (due == null) {
            return;
        }
        buffer.remove(timestamp);
        due.sort(
                Comparator.comparing((MetricsRow r) -> !MetricsRow.SCOPE_NETWORK.equals(r.scope))
                        .thenComparing(Demand::keyOf)
                        .thenComparingInt(r -> r.revision));
        for (MetricsRow r : due) {
            apply(r, out);
        }
        if (ctx.timerService().currentWatermark() == Long.MAX_VALUE && buffer.isEmpty()) {
            // The end of a bounded input: nothing more to score.
            benchmark.clear();
            previous.clear();
        }
    }

    private void apply(MetricsRow r, Collector<MetricsRow> out) throws Exception {
        if (MetricsRow.SCOPE_NETWORK.equals(r.scope)) {
            MetricsRow held = benchmark.get(r.windowStart);
            if (held == null || held.revision <= r.revision) {
                benchmark.put(r.windowStart, r);
            }
            prune(r.windowStart);
            out.collect(r);
            return;
        }
        score(r);
        degraded(r);
        out.collect(r);
    }

    /** Sets {@code sla}, {@code slaReliability} and {@code slaQuality} of an orchestrator row. */
    void score(MetricsRow r) throws Exception {
        if (r.requested == 0) {
            r.sla = null;
            r.slaReliability = null;
            r.slaQuality = null;
            return;
        }
        MetricsRow bench = new MetricsRow();
        for (Map.Entry<Long, MetricsRow> e : benchmark.entries()) {
            long hour = e.getKey();
            if (hour < r.windowStart && hour >= r.windowStart - BENCHMARK_MS) {
                Demand.merge(bench, e.getValue());
            }
        }
        double evidence = Math.min(1.0, (double) r.requested / MIN_SESSIONS);
        double reliability =
                0.4 * shrink(nz(r.startupSuccessRate), evidence)
                        + 0.2 * shrink(1 - nz(r.swapRate), evidence)
                        + 0.4 * shrink(1 - nz(r.failureRate), evidence);
        double benchSessions = Math.min(1.0, (double) bench.requested / benchmarkFloor);
        double benchSamples = Math.min(1.0, (double) bench.fpsCount / benchmarkFloor);
        double ptff =
                shrink(
                        lowerIsBetter(r.ptffMsP50, bench.ptffSketch),
                        Math.min(evidence, benchSessions));
        double e2e =
                shrink(
                        lowerIsBetter(r.e2eLatencyMsP50, bench.e2eSketch),
                        Math.min(evidence, benchSessions));
        double fps =
                shrink(
                        higherIsBetter(r.outputFpsP50, bench.fpsSketch),
                        Math.min(evidence, benchSamples));
        double latency = 0.6 * ptff + 0.4 * e2e;
        double quality = 0.6 * latency + 0.4 * fps;
        double coverage = r.healthCoverage == null ? 1.0 : r.healthCoverage;
        r.slaReliability = reliability;
        r.slaQuality = quality;
        r.sla = 100 * coverage * (0.7 * reliability + 0.3 * quality);
    }

    /** 1 at or below the benchmark's p50, 0 at or above its p90, linear between; else 0.5. */
    static double lowerIsBetter(Double value, byte[] benchmark) {
        Double p50 = Sketches.quantile(benchmark, 0.50);
        Double p90 = Sketches.quantile(benchmark, 0.90);
        if (value == null || p50 == null || p90 == null) {
            return 0.5;
        }
        if (value <= p50) {
            return 1.0;
        }
        if (value >= p90 || p90 <= p50) {
            return 0.0;
        }
        return (p90 - value) / (p90 - p50);
    }

    /** 1 at or above the benchmark's p50, 0 at or below its p10, linear between; else 0.5. */
    static double higherIsBetter(Double value, byte[] benchmark) {
        Double p10 = Sketches.quantile(benchmark, 0.10);
        Double p50 = Sketches.quantile(benchmark, 0.50);
        if (value == null || p10 == null || p50 == null) {
            return 0.5;
        }
        if (value >= p50) {
            return 1.0;
        }
        if (value <= p10 || p50 <= p10) {
            return 0.0;
        }
        return (value - p10) / (p50 - p10);
    }

    /** {@code score} moved toward 0.5 by the missing share of evidence {@code 1 - weight}. */
    static double shrink(double score, double weight) {
        return weight * score + (1 - weight) * 0.5;
    }

    private static double nz(Double v) {
        return v == null ? 0.0 : v;
    }

    /** Sets {@code fpsDegraded} against the key's previous hour, and remembers this hour's. */
    private void degraded(MetricsRow r) throws Exception {
        String key = Demand.keyOf(r);
        MetricsRow prev = previous.get(key);
        r.fpsDegraded = null;
        if (prev != null
                && prev.windowStart == r.windowStart - HOUR
                && prev.outputFpsMean != null
                && r.outputFpsMean != null) {
            r.fpsDegraded = r.outputFpsMean <= 0.8 * prev.outputFpsMean;
        }
        if (prev == null || prev.windowStart <= r.windowStart) {
            if (prev == null || prev.windowStart < r.windowStart) {
                // Only the previous hour's mean is needed: keep the fields that say it.
                MetricsRow keep = new MetricsRow();
                keep.windowStart = r.windowStart;
                keep.outputFpsMean = r.outputFpsMean;
                previous.put(key, keep);
            } else if (Objects.equals(prev.windowStart, r.windowStart)) {
                prev.outputFpsMean = r.outputFpsMean;
                previous.put(key, prev);
            }
        }
    }

    /** Drops benchmark hours older than seven days and previous-fps entries older than 2 hours. */
    private void prune(long now) throws Exception {
        Iterator<Map.Entry<Long, MetricsRow>> it = benchmark.iterator();
        while (it.hasNext()) {
            if (it.next().getKey() < now - BENCHMARK_MS) {
                it.remove();
            }
        }
        Iterator<Map.Entry<String, MetricsRow>> p = previous.iterator();
        while (p.hasNext()) {
            if (p.next().getValue().windowStart < now - 2 * HOUR) {
                p.remove();
            }
        }
    }
}
