package org.livepeer.naap.functions;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.FunctionInitializationContext;

/**
 * Counts every input record into exactly one class, twice over: as Flink metrics (group {@code
 * naap}, for a Prometheus reporter to scrape) and as accumulators (for the run summary that the
 * embedded runner prints and writes to {@code summary.json}).
 *
 * <p>Accumulator names are the summary keys: {@code records_in}, {@code accepted}, {@code
 * rejected}, {@code duplicates}, {@code late}, and per dimension {@code accepted_by_family.<f>} and
 * {@code rejected_by_reason.<r>}.
 *
 * <p>Metric names are the same, in the group {@code naap}; a count split by a dimension is the
 * counter of its name without the {@code _by_<dimension>} suffix in the key-value group of the
 * dimension ({@code rejected_by_reason} x {@code too_large} is the counter {@code rejected} in
 * {@code naap.reason.too_large}), so that a Prometheus reporter gets the value as a label: {@code
 * flink_taskmanager_job_task_operator_naap_reason_rejected{reason="too_large",...}} (Flink puts the
 * key, never the value, into the metric name).
 */
public final class Accounting {
    public static final String RECORDS_IN = "records_in";
    public static final String ACCEPTED = "accepted";
    public static final String REJECTED = "rejected";
    public static final String DUPLICATES = "duplicates";
    public static final String LATE = "late";
    public static final String ACCEPTED_BY_FAMILY = "accepted_by_family";
    public static final String REJECTED_BY_REASON = "rejected_by_reason";

    private final RuntimeContext context;
    private final MetricGroup group;
    private final Map<String, Counter> counters = new HashMap<>();
    private final Map<String, LongCounter> accumulators = new HashMap<>();
    private final Totals totals;

    /** Counts of this attempt only: a restart begins again at zero (diagnostic counts). */
    public Accounting(RuntimeContext context) {
        this(context, null);
    }

    /**
     * Counts that survive restarts: each accumulator starts at the total the last checkpoint held
     * (see {@link Totals}), so the figures of a run that failed and restored are those of a run
     * that did not.
     */
    public Accounting(RuntimeContext context, Totals totals) {
        this.context = context;
        this.group = context.getMetricGroup().addGroup("naap");
        this.totals = totals;
        if (totals != null) {
            totals.restored.forEach((name, value) -> accumulator(name).add(value));
        }
    }

    /**
     * The accumulator totals of one operator subtask as of the last checkpoint, kept in operator
     * state. Accumulators are per attempt: after a restore from a checkpoint a job replays the
     * records after it, and without these its accumulators would hold only what the last attempt
     * counted. A checkpoint stores each subtask's totals as list entries, taken at the same moment
     * as the input position; on restore each subtask adds the entries it gets to its accumulators,
     * so the sum over subtasks (what a job's result reports) is exact, also after rescaling.
     */
    public static final class Totals {
        private static final ListStateDescriptor<Tuple2<String, Long>> DESCRIPTOR =
                new ListStateDescriptor<>(
                        "naap-accounting-totals", Types.TUPLE(Types.STRING, Types.LONG));

        private final ListState<Tuple2<String, Long>> state;
        private final Map<String, Long> restored = new HashMap<>();
        private final Map<String, Long> current = new HashMap<>();

        private Totals(ListState<Tuple2<String, Long>> state) {
            this.state = state;
        }

        /** Call from {@code initializeState}. */
        public static Totals restore(FunctionInitializationContext context) throws Exception {
            Totals t = new Totals(context.getOperatorStateStore().getListState(DESCRIPTOR));
            if (context.isRestored()) {
                for (Tuple2<String, Long> entry : t.state.get()) {
                    t.restored.merge(entry.f0, entry.f1, Long::sum);
                }
            }
            t.current.putAll(t.restored);
            return t;
        }

        /** Call from {@code snapshotState}. */
        public void snapshot() throws Exception {
            List<Tuple2<String, Long>> entries = new ArrayList<>();
            current.forEach((name, value) -> entries.add(Tuple2.of(name, value)));
            state.update(entries);
        }

        void add(String name) {
            current.merge(name, 1L, Long::sum);
        }
    }

    /**
     * Registers plain counts at 0, so that a scraper sees them before their first event (a series
     * that appears only at its first increment hides the increment from rates).
     */
    public void declare(String... names) {
        for (String name : names) {
            counters.computeIfAbsent(name, group::counter);
            accumulator(name);
        }
    }

    /** Adds one to a plain count. */
    public void count(String name) {
        counters.computeIfAbsent(name, group::counter).inc();
        accumulator(name).add(1L);
        if (totals != null) {
            totals.add(name);
        }
    }

    /**
     * Adds one to a count split by a dimension, e.g. {@code rejected_by_reason} x {@code
     * too_large}.
     */
    public void count(String name, String dimension, String value) {
        String key = name + '.' + value;
        counters.computeIfAbsent(
                        key, k -> group.addGroup(dimension, value).counter(metricName(name)))
                .inc();
        accumulator(key).add(1L);
        if (totals != null) {
            totals.add(key);
        }
    }

    /**
     * Registers a gauge in the group {@code naap} (no accumulator: a gauge is a level, not a sum;
     * see {@link CheckpointedCount}).
     */
    public void gauge(String name, Gauge<Long> gauge) {
        group.gauge(name, gauge);
    }

    /** The metric name of a split count: {@code rejected_by_reason} gives {@code rejected}. */
    static String metricName(String name) {
        int by = name.indexOf("_by_");
        return by < 0 ? name : name.substring(0, by);
    }

    private LongCounter accumulator(String name) {
        LongCounter counter = accumulators.get(name);
        if (counter == null) {
            counter = context.getLongCounter(name);
            accumulators.put(name, counter);
        }
        return counter;
    }
}
