package org.livepeer.naap.workload;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The relative weights of the session {@link Outcome}s. The generator draws the classes stratified:
 * with {@code n} sessions each class gets {@code n x weight / total} sessions (largest remainders
 * rounded up), and every class with a positive weight gets at least one session when {@code n} is
 * at least the number of such classes; the classes are then shuffled over the arrivals. The
 * realized counts are in {@code truth/expected.json} ({@code outcomes}).
 *
 * <p>Default weights: success 0.50, no_orchestrators 0.04, unexcused_failure 0.04,
 * excusable_failure 0.05, loading_only 0.03, zero_output_fps 0.03, confirmed_swap 0.05,
 * inferred_swap 0.03, prompt_updates 0.12, orchestrator_dies 0.03, gateway_silent 0.02, left_open
 * 0.06.
 *
 * @param weights non-negative weight per outcome, summing to more than 0; absent outcomes weigh 0
 */
public record OutcomeMix(Map<Outcome, Double> weights) {

    public OutcomeMix {
        EnumMap<Outcome, Double> copy = new EnumMap<>(Outcome.class);
        double total = 0;
        for (Outcome o : Outcome.values()) {
            Double w = weights == null ? null : weights.get(o);
            double v = w == null ? 0 : w;
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException(
                        "outcome weight of " + o.wireName() + " must be >= 0, not " + w);
            }
            copy.put(o, v);
            total += v;
        }
        if (!(total > 0)) {
            throw new IllegalArgumentException("outcome weights must sum to more than 0");
        }
        weights = Collections.unmodifiableMap(copy);
    }

    /** The default mix, in which every outcome appears. */
    public static OutcomeMix defaults() {
        EnumMap<Outcome, Double> w = new EnumMap<>(Outcome.class);
        w.put(Outcome.SUCCESS, 0.50);
        w.put(Outcome.NO_ORCHESTRATORS, 0.04);
        w.put(Outcome.UNEXCUSED_FAILURE, 0.04);
        w.put(Outcome.EXCUSABLE_FAILURE, 0.05);
        w.put(Outcome.LOADING_ONLY, 0.03);
        w.put(Outcome.ZERO_OUTPUT_FPS, 0.03);
        w.put(Outcome.CONFIRMED_SWAP, 0.05);
        w.put(Outcome.INFERRED_SWAP, 0.03);
        w.put(Outcome.PROMPT_UPDATES, 0.12);
        w.put(Outcome.ORCHESTRATOR_DIES, 0.03);
        w.put(Outcome.GATEWAY_SILENT, 0.02);
        w.put(Outcome.LEFT_OPEN, 0.06);
        return new OutcomeMix(w);
    }

    /** Every session has outcome {@code o}. */
    public static OutcomeMix only(Outcome o) {
        return new OutcomeMix(Map.of(o, 1.0));
    }

    /**
     * Parses {@code default}, or {@code outcome=weight,outcome=weight...} (outcomes not listed
     * weigh 0; a bare {@code outcome} weighs 1). Outcome names are those of {@link Outcome}.
     *
     * @throws IllegalArgumentException for an unknown outcome (the message lists the valid ones), a
     *     bad weight, or weights that sum to 0
     */
    public static OutcomeMix parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException(
                    "empty outcome mix; use 'default' or outcome=weight,... with outcomes: "
                            + Outcome.validNames());
        }
        String s = spec.trim();
        if (s.equalsIgnoreCase("default") || s.equalsIgnoreCase("defaults")) {
            return defaults();
        }
        EnumMap<Outcome, Double> w = new EnumMap<>(Outcome.class);
        for (String part : s.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            Outcome o = Outcome.fromWireName(eq < 0 ? p : p.substring(0, eq));
            double v = 1.0;
            if (eq >= 0) {
                String num = p.substring(eq + 1).trim();
                try {
                    v = Double.parseDouble(num);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(
                            "bad weight '" + num + "' for outcome " + o.wireName());
                }
            }
            w.put(o, v);
        }
        return new OutcomeMix(w);
    }

    public double weight(Outcome o) {
        return weights.get(o);
    }

    /** The weight of {@code o} over the sum of all weights. */
    public double fraction(Outcome o) {
        double total = 0;
        for (double v : weights.values()) {
            total += v;
        }
        return weights.get(o) / total;
    }

    /** The mix in the form {@link #parse} reads, outcomes of weight 0 left out. */
    public String toSpec() {
        StringJoiner j = new StringJoiner(",");
        weights.forEach(
                (o, v) -> {
                    if (v > 0) {
                        j.add(o.wireName() + "=" + v);
                    }
                });
        return j.toString();
    }

    @Override
    public String toString() {
        return toSpec();
    }
}
