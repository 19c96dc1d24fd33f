package org.livepeer.naap.functions;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

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

    public Accounting(RuntimeContext context) {
        this.context = context;
        this.group = context.getMetricGroup().addGroup("naap");
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
