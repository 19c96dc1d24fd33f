package org.livepeer.naap.bridge;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;

/**
 * The bridge's metrics: counters and gauges, written in Prometheus' text format. Small on purpose
 * (no client library): the bridge has a dozen series.
 */
public final class Metrics {
    private interface Family {
        void write(StringBuilder out);
    }

    /** A counter with one label (e.g. reason), one series per value seen. */
    public static final class Labeled {
        private final String label;
        private final ConcurrentMap<String, LongAdder> series = new ConcurrentHashMap<>();

        private Labeled(String label) {
            this.label = label;
        }

        public void increment(String value) {
            series.computeIfAbsent(value, v -> new LongAdder()).increment();
        }

        public long get(String value) {
            LongAdder a = series.get(value);
            return a == null ? 0 : a.sum();
        }

        public long total() {
            return series.values().stream().mapToLong(LongAdder::sum).sum();
        }
    }

    private final List<Family> families = new ArrayList<>();

    /** A counter (name ends in _total). */
    public synchronized LongAdder counter(String name, String help) {
        LongAdder a = new LongAdder();
        families.add(
                out ->
                        header(out, name, help, "counter")
                                .append(name)
                                .append(' ')
                                .append(a.sum())
                                .append('\n'));
        return a;
    }

    /** A counter with one label. */
    public synchronized Labeled labeled(String name, String help, String label) {
        Labeled l = new Labeled(label);
        families.add(
                out -> {
                    header(out, name, help, "counter");
                    Map<String, LongAdder> sorted = new TreeMap<>(l.series);
                    sorted.forEach(
                            (v, a) ->
                                    out.append(name)
                                            .append('{')
                                            .append(l.label)
                                            .append("=\"")
                                            .append(escape(v))
                                            .append("\"} ")
                                            .append(a.sum())
                                            .append('\n'));
                });
        return l;
    }

    /** A counter kept elsewhere (name ends in _total), read when the metrics are scraped. */
    public synchronized void counter(
            String name, String help, java.util.function.LongSupplier value) {
        families.add(
                out ->
                        header(out, name, help, "counter")
                                .append(name)
                                .append(' ')
                                .append(value.getAsLong())
                                .append('\n'));
    }

    /** A gauge read when the metrics are scraped. */
    public synchronized void gauge(String name, String help, DoubleSupplier value) {
        families.add(
                out -> {
                    double v = value.getAsDouble();
                    header(out, name, help, "gauge").append(name).append(' ');
                    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
                        out.append((long) v);
                    } else {
                        out.append(v);
                    }
                    out.append('\n');
                });
    }

    /** Every series in Prometheus' text exposition format (version 0.0.4). */
    public synchronized String prometheus() {
        StringBuilder out = new StringBuilder();
        families.forEach(f -> f.write(out));
        return out.toString();
    }

    private static StringBuilder header(StringBuilder out, String name, String help, String type) {
        return out.append("# HELP ")
                .append(name)
                .append(' ')
                .append(help)
                .append("\n# TYPE ")
                .append(name)
                .append(' ')
                .append(type)
                .append('\n');
    }

    private static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
