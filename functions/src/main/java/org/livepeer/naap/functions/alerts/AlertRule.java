package org.livepeer.naap.functions.alerts;

import java.io.Serializable;
import java.time.Duration;
import java.util.function.Function;

/**
 * One alert rule's settings (METRICS.md, "Alerts"). A rule fires when its condition has held for
 * {@code forDuration} and resolves when it has been false for {@code clearFor} (a resolve condition
 * that keeps a value hovering at the threshold from flapping).
 *
 * @param name the rule, e.g. {@code StartupFailuresHigh}
 * @param severity {@code critical}, {@code warning} or {@code info}
 * @param enabled a disabled rule evaluates nothing and emits nothing
 * @param threshold the value the measure must exceed (or fall below, for {@code SlaBelowTarget})
 * @param minVolume the least evidence (requested sessions, samples, received records) for the
 *     condition to hold at all
 * @param window how far back the measure looks (e.g. 5 minutes of 1-minute rows)
 * @param forDuration how long the condition must hold before {@code FIRING}; zero fires at once
 * @param clearFor how long the condition must be false before {@code RESOLVED}; zero resolves at
 *     once
 * @param staleAfter a firing alert whose entity has sent no evaluation for this long (a node never
 *     seen again, a key gone quiet) is resolved, so that its state does not live forever
 */
public record AlertRule(
        String name,
        String severity,
        boolean enabled,
        double threshold,
        long minVolume,
        Duration window,
        Duration forDuration,
        Duration clearFor,
        Duration staleAfter)
        implements Serializable {

    public AlertRule {
        if (!"critical".equals(severity)
                && !"warning".equals(severity)
                && !"info".equals(severity)) {
            throw new IllegalArgumentException(
                    "alert "
                            + name
                            + ": severity must be critical, warning or info, got "
                            + severity);
        }
        requireNonNegative(name, "window", window);
        requireNonNegative(name, "for", forDuration);
        requireNonNegative(name, "clear-for", clearFor);
        requireNonNegative(name, "stale-after", staleAfter);
        if (staleAfter.isZero()) {
            throw new IllegalArgumentException("alert " + name + ": stale-after must be positive");
        }
        if (minVolume < 0) {
            throw new IllegalArgumentException(
                    "alert " + name + ": min-volume must not be negative, got " + minVolume);
        }
    }

    private static void requireNonNegative(String rule, String field, Duration d) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException(
                    "alert " + rule + ": " + field + " must be zero or positive, got " + d);
        }
    }

    /** This rule with one setting changed; {@code duration} parses durations. */
    AlertRule with(String field, String value, Function<String, Duration> duration) {
        String severity = this.severity;
        boolean enabled = this.enabled;
        double threshold = this.threshold;
        long minVolume = this.minVolume;
        Duration window = this.window;
        Duration forDuration = this.forDuration;
        Duration clearFor = this.clearFor;
        Duration staleAfter = this.staleAfter;
        switch (field) {
            case "severity" -> severity = value;
            case "enabled" -> {
                if (!"true".equals(value) && !"false".equals(value)) {
                    throw new IllegalArgumentException(
                            "alert " + name + ": enabled must be true or false, got " + value);
                }
                enabled = Boolean.parseBoolean(value);
            }
            case "threshold" -> threshold = number(field, value);
            case "min-volume" -> minVolume = (long) number(field, value);
            case "window" -> window = duration.apply(value);
            case "for" -> forDuration = duration.apply(value);
            case "clear-for" -> clearFor = duration.apply(value);
            case "stale-after" -> staleAfter = duration.apply(value);
            default ->
                    throw new IllegalArgumentException(
                            "alert "
                                    + name
                                    + ": unknown setting '"
                                    + field
                                    + "' (use severity, enabled, threshold, min-volume, window,"
                                    + " for, clear-for or stale-after)");
        }
        return new AlertRule(
                name,
                severity,
                enabled,
                threshold,
                minVolume,
                window,
                forDuration,
                clearFor,
                staleAfter);
    }

    private double number(String field, String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "alert " + name + ": " + field + " must be a number, got " + value);
        }
    }
}
