package org.livepeer.naap.workload;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.stream.Collectors;

/**
 * Which kinds of real-world mess the generator puts into the events, each with its rate (a
 * probability in [0, 1] applied to the items the kind names). Each kind draws from its own random
 * stream, so switching one kind never changes the simulation itself. Except for {@code envelopes}
 * and {@code quirks}, a kind with a positive rate also fires once on one of its first items (at
 * most the 200th), so that even a small run shows it; the count is therefore at most one above the
 * Bernoulli draw. {@code truth/expected.json} reports, per kind, how many items were eligible and
 * how many it was applied to.
 *
 * <table>
 *   <caption>Kinds, what their rate applies to, and default rates ({@link #all()})</caption>
 *   <tr><th>kind</th><th>default</th><th>rate of</th></tr>
 *   <tr><td>{@code envelopes}</td><td>0.3</td><td>events published in a shape other than the
 *       Kafka queue envelope: half event-sink envelopes, half Open Pool batch elements (always
 *       inside an array of 1 to 4)</td></tr>
 *   <tr><td>{@code streamr}</td><td>0.1</td><td>Kafka or event-sink records wrapped in the
 *       Streamr {@code {content, metadata}} wrapper</td></tr>
 *   <tr><td>{@code arrays}</td><td>0.05</td><td>Kafka or event-sink events that open a JSON
 *       array of 2 to 5 events of that shape (closed after 2 s)</td></tr>
 *   <tr><td>{@code duplicates}</td><td>0.01</td><td>records delivered again, an exact copy, 0.2
 *       to 5 s later</td></tr>
 *   <tr><td>{@code reorder}</td><td>0.05</td><td>events delivered 0.2 to 3 s late (bounded out
 *       of order); with the kind on, every event also gets 0 to 40 ms of publish delay</td></tr>
 *   <tr><td>{@code late}</td><td>0.02</td><td>eligible periodic samples ({@code
 *       stream_ingest_metrics}, {@code discovery_results}, {@code network_capabilities}, none
 *       within 150 s of a node death or a session end) delivered 30 to 120 s late</td></tr>
 *   <tr><td>{@code clock_skew}</td><td>0.5</td><td>orchestrators whose runner clock is off by
 *       0.5 to 2.5 s (either way); it shows in runner-clock fields only</td></tr>
 *   <tr><td>{@code drops}</td><td>0.02</td><td>status and ingest samples the producer drops (a
 *       full buffer); a session's first status sample is kept</td></tr>
 *   <tr><td>{@code malformed}</td><td>0.002</td><td>records followed by a truncated copy (never
 *       valid JSON)</td></tr>
 *   <tr><td>{@code oversized}</td><td>0.00002</td><td>records followed by an extra event over 1
 *       MiB (1048576 bytes)</td></tr>
 *   <tr><td>{@code non_object}</td><td>0.001</td><td>records followed by a JSON value that is
 *       not an object ({@code 42}, {@code "x"}, {@code true}, or an array of such)</td></tr>
 *   <tr><td>{@code missing_id}</td><td>0.001</td><td>records followed by a copy of their first
 *       event without its id</td></tr>
 *   <tr><td>{@code unknown_family}</td><td>0.002</td><td>events followed by an event of an
 *       unknown {@code type} with the minimum envelope (accepted as {@code
 *       unknown_family})</td></tr>
 *   <tr><td>{@code quirks}</td><td>0.2</td><td>events that can show one (most gateway events) rendered
 *       with a quirk of EVENTS.md:
 *       numbers as strings, an empty {@code gateway}, face values in ETH, float-second times,
 *       {@code gpu_info} as an array, null hardware or prices, a one-entry capabilities array as
 *       an object</td></tr>
 * </table>
 *
 * <p>Mess that is not optional, because every real event has it: empty {@code pipeline_id}, a model
 * name in {@code pipeline}, an empty {@code orchestrator_info} before selection, hot wallet
 * addresses in lower case in traces and canonical mixed-case addresses in capabilities and
 * payments.
 *
 * @param rates the rate of every kind (absent kinds are 0)
 */
public record MessConfig(Map<MessConfig.Kind, Double> rates) {

    /** The kinds of mess. */
    public enum Kind {
        ENVELOPES("envelopes", 0.3),
        STREAMR("streamr", 0.1),
        ARRAYS("arrays", 0.05),
        DUPLICATES("duplicates", 0.01),
        REORDER("reorder", 0.05),
        LATE("late", 0.02),
        CLOCK_SKEW("clock_skew", 0.5),
        DROPS("drops", 0.02),
        MALFORMED("malformed", 0.002),
        OVERSIZED("oversized", 0.00002),
        NON_OBJECT("non_object", 0.001),
        MISSING_ID("missing_id", 0.001),
        UNKNOWN_FAMILY("unknown_family", 0.002),
        QUIRKS("quirks", 0.2);

        private final String wireName;
        private final double defaultRate;

        Kind(String wireName, double defaultRate) {
            this.wireName = wireName;
            this.defaultRate = defaultRate;
        }

        public String wireName() {
            return wireName;
        }

        public double defaultRate() {
            return defaultRate;
        }

        /**
         * The kind of a wire name.
         *
         * @throws IllegalArgumentException listing the valid kinds, for any other name
         */
        public static Kind fromWireName(String name) {
            String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
            for (Kind k : values()) {
                if (k.wireName.equals(n)) {
                    return k;
                }
            }
            throw new IllegalArgumentException(
                    "unknown mess kind '" + name + "'; valid kinds: " + validNames());
        }

        static String validNames() {
            return Arrays.stream(values()).map(Kind::wireName).collect(Collectors.joining(", "));
        }
    }

    public MessConfig {
        EnumMap<Kind, Double> copy = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) {
            Double r = rates == null ? null : rates.get(k);
            double v = r == null ? 0 : r;
            if (!(v >= 0 && v <= 1)) {
                throw new IllegalArgumentException(
                        "rate of mess kind " + k.wireName() + " must be in [0, 1], not " + r);
            }
            copy.put(k, v);
        }
        rates = Collections.unmodifiableMap(copy);
    }

    /** No mess at all: every event once, in order, in the Kafka queue envelope. */
    public static MessConfig none() {
        return new MessConfig(Map.of());
    }

    /** Every kind at its default rate. */
    public static MessConfig all() {
        EnumMap<Kind, Double> m = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) {
            m.put(k, k.defaultRate());
        }
        return new MessConfig(m);
    }

    /**
     * Parses {@code none}, {@code all}, or a comma-separated list of {@code kind} (at its default
     * rate) and {@code kind=rate}; {@code all} inside a list starts from every kind at its default,
     * so {@code all,drops=0.1,streamr=0} works. Kinds and default rates: envelopes 0.3, streamr
     * 0.1, arrays 0.05, duplicates 0.01, reorder 0.05, late 0.02, clock_skew 0.5, drops 0.02,
     * malformed 0.002, oversized 0.00002, non_object 0.001, missing_id 0.001, unknown_family 0.002,
     * quirks 0.2 (the class documentation says what each rate applies to).
     *
     * @throws IllegalArgumentException for an unknown kind (the message lists the valid kinds) or a
     *     rate outside [0, 1]
     */
    public static MessConfig parse(String list) {
        if (list == null || list.isBlank()) {
            throw new IllegalArgumentException(
                    "empty mess list; use none, all or kind[=rate],... with kinds: "
                            + Kind.validNames());
        }
        EnumMap<Kind, Double> m = new EnumMap<>(Kind.class);
        for (String part : list.split(",")) {
            String p = part.trim();
            if (p.isEmpty() || p.equalsIgnoreCase("none")) {
                continue;
            }
            if (p.equalsIgnoreCase("all")) {
                for (Kind k : Kind.values()) {
                    m.put(k, k.defaultRate());
                }
                continue;
            }
            int eq = p.indexOf('=');
            Kind k = Kind.fromWireName(eq < 0 ? p : p.substring(0, eq));
            double rate = k.defaultRate();
            if (eq >= 0) {
                String num = p.substring(eq + 1).trim();
                try {
                    rate = Double.parseDouble(num);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(
                            "bad rate '" + num + "' for mess kind " + k.wireName());
                }
            }
            m.put(k, rate);
        }
        return new MessConfig(m);
    }

    public double rate(Kind k) {
        return rates.get(k);
    }

    public boolean enabled(Kind k) {
        return rates.get(k) > 0;
    }

    /** This config with {@code k} at {@code rate}. */
    public MessConfig with(Kind k, double rate) {
        EnumMap<Kind, Double> m = new EnumMap<>(rates);
        m.put(k, rate);
        return new MessConfig(m);
    }

    /** The config in the form {@link #parse} reads. */
    public String toSpec() {
        StringJoiner j = new StringJoiner(",");
        rates.forEach(
                (k, v) -> {
                    if (v > 0) {
                        j.add(k.wireName() + "=" + v);
                    }
                });
        String s = j.toString();
        return s.isEmpty() ? "none" : s;
    }

    @Override
    public String toString() {
        return toSpec();
    }
}
