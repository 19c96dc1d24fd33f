package org.livepeer.naap.functions.alerts;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.livepeer.naap.functions.metrics.Demand;
import org.livepeer.naap.schemas.output.MetricsRow;

/**
 * The alert rules over windowed metrics, per metric key (orchestrator x model x GPU, and the
 * network roll-ups).
 *
 * <p>Input: 1-minute rows and SLA-scored 1-hour rows, keyed by {@link Demand#keyOf}. Each minute,
 * once the minute's row is out ({@code settle} after the minute's end), the 1-minute rules ({@link
 * AlertConfig#MINUTE_RULES}) are evaluated over the rows of their window ending then: {@code
 * StartupFailuresHigh} (unexcused / requested), {@code NoOrchestratorsAvailable} (no-orchestrator
 * sessions), {@code SwapRateHigh} (swapped / requested), {@code E2eLatencyHigh} (e2e mean), {@code
 * JitterHigh} (jitter coefficient). The evaluation goes on minute by minute while the key has rows
 * in the longest window, so a key that goes quiet clears. Each 1-hour row (its first revision) is
 * evaluated by {@code SlaBelowTarget} (sla below the threshold) and {@code FpsDegraded} (output fps
 * mean at least {@code threshold} below the key's previous hour's, METRICS.md's {@code
 * fps_degraded}); a key without an hourly row two hours after its last clears.
 *
 * <p>Output: an {@link AlertSignal} for every evaluation that holds and for the first that no
 * longer does (the state machine needs nothing else). Alerts decide on a window's first revision:
 * later revisions update the rows that later windows read, but never re-decide a window.
 *
 * <p>State per key: the slim rows of the longest window (at most 15 by default), and a small
 * record; all cleared when the key has no rows left and nothing holds.
 */
public class MetricRules extends KeyedProcessFunction<String, MetricsRow, AlertSignal> {
    private static final long serialVersionUID = 1L;
    private static final long MINUTE = 60_000L;
    private static final long HOUR = 3_600_000L;

    private final AlertConfig config;
    private final long settleMs;
    private final long historyMs;

    private transient MapState<Long, MetricsRow> minutes;

    /** Revisions waiting for the evaluation of their time, by emission time and window start. */
    private transient MapState<String, MetricsRow> revisions;

    private transient ValueState<KeyState> keyState;

    /** Per key: what was evaluated last and which rules hold. */
    public static class KeyState {
        /** End of the last evaluated minute; null before the first. */
        public Long lastMinuteEnd;

        /** Start of the last evaluated hour; null before the first. */
        public Long lastHourStart;

        /** The rules whose last evaluation held, a bit each (minute rules, then hour rules). */
        public int holding;

        /** The previous hour's output fps mean, for {@code FpsDegraded}. */
        public Double previousFpsMean;

        public KeyState() {}
    }

    /**
     * @param settleMs how long after a window's end its row comes out (the windowed metrics'
     *     settle)
     */
    public MetricRules(AlertConfig config, long settleMs) {
        this.config = config;
        this.settleMs = settleMs;
        this.historyMs = config.longestMinuteWindow().toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        minutes =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>("minutes", Long.class, MetricsRow.class));
        revisions =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "revisions", String.class, MetricsRow.class));
        keyState =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("alert-rules", KeyState.class));
    }

    @Override
    public void processElement(MetricsRow r, Context ctx, Collector<AlertSignal> out)
            throws Exception {
        KeyState ks = keyState.value();
        if (MetricsRow.HOUR.equals(r.resolution)) {
            if (r.revision > 0
                    || (ks != null
                            && ks.lastHourStart != null
                            && r.windowStart <= ks.lastHourStart)) {
                return;
            }
            ks = ks == null ? new KeyState() : ks;
            evaluateHour(r, ks, ctx.getCurrentKey(), out);
            ks.lastHourStart = r.windowStart;
            keyState.update(ks);
            ctx.timerService().registerEventTimeTimer(r.windowEnd + 2 * HOUR + settleMs);
            return;
        }
        if (r.revision > 0) {
            // A revision updates what later evaluations read; it never re-decides its own window.
            // It waits for the evaluation of its own time: when event time jumps over several
            // minutes at once, an evaluation of an earlier minute must not read it.
            if (minutes.contains(r.windowStart)) {
                MetricsRow pending = slim(r);
                pending.emittedAt = ctx.timestamp() == null ? r.emittedAt : ctx.timestamp();
                revisions.put(pending.emittedAt + "|" + r.windowStart, pending);
                ctx.timerService().registerEventTimeTimer(pending.emittedAt);
            }
            return;
        }
        if (ks != null && ks.lastMinuteEnd != null && r.windowEnd <= ks.lastMinuteEnd) {
            return;
        }
        minutes.put(r.windowStart, slim(r));
        if (ks == null) {
            keyState.update(new KeyState());
        }
        ctx.timerService().registerEventTimeTimer(r.windowEnd + settleMs);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AlertSignal> out)
            throws Exception {
        KeyState ks = keyState.value();
        if (ks == null) {
            return;
        }
        String entity = entity(ctx.getCurrentKey());
        long end = timestamp - settleMs;
        boolean minuteAligned = Math.floorMod(end, MINUTE) == 0;
        boolean minuteRulesHold = (ks.holding & minuteMask()) != 0;
        applyRevisionsUpTo(timestamp);
        if (minuteAligned
                && (ks.lastMinuteEnd == null || end > ks.lastMinuteEnd)
                && (minutes.keys().iterator().hasNext() || minuteRulesHold)) {
            evaluateMinutes(end, ks, entity, out);
            ks.lastMinuteEnd = end;
            prune(end + MINUTE - historyMs);
            if (minutes.keys().iterator().hasNext() || (ks.holding & minuteMask()) != 0) {
                ctx.timerService().registerEventTimeTimer(timestamp + MINUTE);
            }
        }
        if (ks.lastHourStart != null && timestamp >= ks.lastHourStart + 3 * HOUR + settleMs) {
            // No hourly row for two hours: the key is quiet, nothing of it holds any more.
            List<String> hourRules = AlertConfig.HOUR_RULES;
            for (int i = 0; i < hourRules.size(); i++) {
                int bit = 1 << (AlertConfig.MINUTE_RULES.size() + i);
                if ((ks.holding & bit) != 0) {
                    long start = ks.lastHourStart + HOUR;
                    out.collect(
                            new AlertSignal(
                                    hourRules.get(i),
                                    entity,
                                    false,
                                    null,
                                    config.rule(hourRules.get(i)).threshold(),
                                    start,
                                    start + HOUR,
                                    new Evidence().put("reason", "no hourly row").toString()));
                    ks.holding &= ~bit;
                }
            }
            ks.lastHourStart = null;
            ks.previousFpsMean = null;
        }
        if (ks.lastHourStart == null && ks.holding == 0 && !minutes.keys().iterator().hasNext()) {
            keyState.clear();
            revisions.clear();
        } else {
            keyState.update(ks);
        }
    }

    private void evaluateMinutes(long end, KeyState ks, String entity, Collector<AlertSignal> out)
            throws Exception {
        // In the order of their minutes: sums of doubles depend on their order, and the state's
        // iteration order is not the same in every run.
        java.util.TreeMap<Long, MetricsRow> byMinute = new java.util.TreeMap<>();
        for (Map.Entry<Long, MetricsRow> e : minutes.entries()) {
            byMinute.put(e.getKey(), e.getValue());
        }
        List<String> rules = AlertConfig.MINUTE_RULES;
        for (int i = 0; i < rules.size(); i++) {
            AlertRule rule = config.rule(rules.get(i));
            if (!rule.enabled()) {
                continue;
            }
            long start = end - rule.window().toMillis();
            MetricsRow sum = new MetricsRow();
            for (MetricsRow row : byMinute.subMap(start, end).values()) {
                add(sum, row);
            }
            AlertSignal s = evaluate(rule, sum, entity, start, end);
            emit(s, 1 << i, ks, out);
        }
    }

    private AlertSignal evaluate(
            AlertRule rule, MetricsRow sum, String entity, long start, long end) {
        long volume;
        Double value;
        Evidence evidence = new Evidence();
        switch (rule.name()) {
            case AlertConfig.STARTUP_FAILURES_HIGH -> {
                volume = sum.requested;
                value = ratio(sum.unexcused, sum.requested);
                evidence.put("requested", sum.requested).put("unexcused", sum.unexcused);
            }
            case AlertConfig.NO_ORCHESTRATORS_AVAILABLE -> {
                volume = sum.noOrchestrator;
                value = (double) sum.noOrchestrator;
                evidence.put("requested", sum.requested).put("no_orchestrator", sum.noOrchestrator);
            }
            case AlertConfig.SWAP_RATE_HIGH -> {
                volume = sum.requested;
                value = ratio(sum.swapped, sum.requested);
                evidence.put("requested", sum.requested).put("swapped", sum.swapped);
            }
            case AlertConfig.E2E_LATENCY_HIGH -> {
                volume = sum.e2eCount;
                value = sum.e2eCount == 0 ? null : sum.e2eSum / sum.e2eCount;
                evidence.put("e2e_count", sum.e2eCount).put("e2e_sum_ms", sum.e2eSum);
            }
            case AlertConfig.JITTER_HIGH -> {
                volume = sum.intervalCount;
                value = Demand.jitter(sum);
                evidence.put("interval_count", sum.intervalCount)
                        .put("interval_sum", sum.intervalSum)
                        .put("interval_sum_squares", sum.intervalSumSquares);
            }
            default -> throw new IllegalStateException("not a minute rule: " + rule.name());
        }
        boolean holds = value != null && volume >= rule.minVolume() && value > rule.threshold();
        return new AlertSignal(
                rule.name(),
                entity,
                holds,
                value,
                rule.threshold(),
                start,
                end,
                evidence.put("window_minutes", rule.window().toMinutes()).toString());
    }

    private void evaluateHour(
            MetricsRow r, KeyState ks, String entity, Collector<AlertSignal> out) {
        int base = AlertConfig.MINUTE_RULES.size();
        AlertRule sla = config.rule(AlertConfig.SLA_BELOW_TARGET);
        if (sla.enabled()) {
            boolean holds =
                    r.sla != null && r.requested >= sla.minVolume() && r.sla < sla.threshold();
            emit(
                    new AlertSignal(
                            sla.name(),
                            entity,
                            holds,
                            r.sla,
                            sla.threshold(),
                            r.windowStart,
                            r.windowEnd,
                            new Evidence()
                                    .put("requested", r.requested)
                                    .put("failure_rate", r.failureRate)
                                    .put("sla_reliability", r.slaReliability)
                                    .put("sla_quality", r.slaQuality)
                                    .toString()),
                    1 << base,
                    ks,
                    out);
        }
        AlertRule fps = config.rule(AlertConfig.FPS_DEGRADED);
        Double previous =
                ks.lastHourStart != null && ks.lastHourStart == r.windowStart - HOUR
                        ? ks.previousFpsMean
                        : null;
        if (fps.enabled()) {
            Double drop =
                    previous == null || previous <= 0 || r.outputFpsMean == null
                            ? null
                            : 1.0 - r.outputFpsMean / previous;
            boolean holds = drop != null && drop >= fps.threshold();
            emit(
                    new AlertSignal(
                            fps.name(),
                            entity,
                            holds,
                            drop,
                            fps.threshold(),
                            r.windowStart,
                            r.windowEnd,
                            new Evidence()
                                    .put("output_fps_mean", r.outputFpsMean)
                                    .put("previous_hour_fps_mean", previous)
                                    .put("fps_samples", r.fpsCount)
                                    .toString()),
                    1 << (base + 1),
                    ks,
                    out);
        }
        ks.previousFpsMean = r.outputFpsMean;
    }

    /** Sends an evaluation that holds, or the first that no longer does. */
    private static void emit(AlertSignal s, int bit, KeyState ks, Collector<AlertSignal> out) {
        if (s.holds) {
            ks.holding |= bit;
            out.collect(s);
        } else if ((ks.holding & bit) != 0) {
            ks.holding &= ~bit;
            out.collect(s);
        }
    }

    /** Applies the revisions that came out at or before {@code time}. */
    private void applyRevisionsUpTo(long time) throws Exception {
        List<String> applied = new ArrayList<>();
        for (Map.Entry<String, MetricsRow> e : revisions.entries()) {
            MetricsRow r = e.getValue();
            if (r.emittedAt <= time) {
                MetricsRow held = minutes.get(r.windowStart);
                if (held != null && held.revision < r.revision) {
                    minutes.put(r.windowStart, r);
                }
                applied.add(e.getKey());
            }
        }
        for (String key : applied) {
            revisions.remove(key);
        }
    }

    private void prune(long keepFrom) throws Exception {
        Iterator<Long> it = minutes.keys().iterator();
        List<Long> old = new ArrayList<>();
        while (it.hasNext()) {
            long start = it.next();
            if (start < keepFrom) {
                old.add(start);
            }
        }
        for (Long start : old) {
            minutes.remove(start);
        }
    }

    private static int minuteMask() {
        return (1 << AlertConfig.MINUTE_RULES.size()) - 1;
    }

    private static Double ratio(long part, long whole) {
        return whole == 0 ? null : (double) part / whole;
    }

    /** The fields the minute rules read, and nothing else (state stays small). */
    static MetricsRow slim(MetricsRow r) {
        MetricsRow s = new MetricsRow();
        add(s, r);
        s.windowStart = r.windowStart;
        s.windowEnd = r.windowEnd;
        s.revision = r.revision;
        return s;
    }

    private static void add(MetricsRow into, MetricsRow r) {
        into.requested += r.requested;
        into.unexcused += r.unexcused;
        into.noOrchestrator += r.noOrchestrator;
        into.swapped += r.swapped;
        into.e2eSum += r.e2eSum;
        into.e2eCount += r.e2eCount;
        into.intervalCount += r.intervalCount;
        into.intervalSum += r.intervalSum;
        into.intervalSumSquares += r.intervalSumSquares;
    }

    /**
     * A metric key as an alert entity: {@code orchestrator:0xabc model=m gpu=g}, {@code network
     * model=m}.
     */
    public static String entity(String key) {
        String[] p = key.split("\\|", -1);
        StringBuilder b = new StringBuilder(p[0]);
        if (p.length > 1 && !p[1].isEmpty()) {
            b.append(':').append(p[1]);
        }
        if (p.length > 2 && !p[2].isEmpty()) {
            b.append(" model=").append(p[2]);
        }
        if (p.length > 3 && !p[3].isEmpty()) {
            b.append(" gpu=").append(p[3]);
        }
        return b.toString();
    }
}
