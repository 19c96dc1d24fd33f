package org.livepeer.naap.functions;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * Counts every input record into exactly one class, twice over: as Flink metrics (group {@code
 * naap}, for a Prometheus reporter to scrape) and as accumulators (for the run summary that the
 * embedded runner prints and writes to {@code summary.json}).
 *
 * <p>Accumulator names are the summary keys: {@code records_in}, {@code accepted}, {@code
 * rejected}, {@code duplicates}, {@code late}, and per dimension {@code accepted_by_family.<f>} and
 * {@code rejected_by_reason.<r>}.
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
        counters.computeIfAbsent(key, k -> group.addGroup(dimension, value).counter(name)).inc();
        accumulator(key).add(1L);
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
