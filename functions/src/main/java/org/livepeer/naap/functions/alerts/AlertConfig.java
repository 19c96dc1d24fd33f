package org.livepeer.naap.functions.alerts;

import java.io.Serializable;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Every alert rule's settings, by rule name; {@link #defaults()} are METRICS.md's. Settings are
 * changed one at a time with {@link #with(String, Function)}: {@code Rule.setting=value}.
 */
public record AlertConfig(Map<String, AlertRule> rules) implements Serializable {
    public static final String NODE_DOWN_ABRUPT = "NodeDownAbrupt";
    public static final String STARTUP_FAILURES_HIGH = "StartupFailuresHigh";
    public static final String NO_ORCHESTRATORS_AVAILABLE = "NoOrchestratorsAvailable";
    public static final String SLA_BELOW_TARGET = "SlaBelowTarget";
    public static final String FPS_DEGRADED = "FpsDegraded";
    public static final String SWAP_RATE_HIGH = "SwapRateHigh";
    public static final String E2E_LATENCY_HIGH = "E2eLatencyHigh";
    public static final String JITTER_HIGH = "JitterHigh";
    public static final String TELEMETRY_REJECTED_HIGH = "TelemetryRejectedHigh";

    /** The rules evaluated over 1-minute metric rows, in a fixed order (a bit each in state). */
    public static final List<String> MINUTE_RULES =
            List.of(
                    STARTUP_FAILURES_HIGH,
                    NO_ORCHESTRATORS_AVAILABLE,
                    SWAP_RATE_HIGH,
                    E2E_LATENCY_HIGH,
                    JITTER_HIGH);

    /** The rules evaluated over 1-hour metric rows. */
    public static final List<String> HOUR_RULES = List.of(SLA_BELOW_TARGET, FPS_DEGRADED);

    public AlertConfig {
        rules = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(rules)); // in order
    }

    /** METRICS.md's defaults. */
    public static AlertConfig defaults() {
        Map<String, AlertRule> r = new LinkedHashMap<>();
        Duration zero = Duration.ZERO;
        Duration m1 = Duration.ofMinutes(1);
        Duration m5 = Duration.ofMinutes(5);
        Duration m15 = Duration.ofMinutes(15);
        Duration h1 = Duration.ofHours(1);
        put(r, new AlertRule(NODE_DOWN_ABRUPT, "critical", true, 0, 0, zero, zero, zero, h1));
        put(r, new AlertRule(STARTUP_FAILURES_HIGH, "critical", true, 0.05, 20, m5, zero, m5, h1));
        put(r, new AlertRule(NO_ORCHESTRATORS_AVAILABLE, "warning", true, 0, 1, m1, zero, m5, h1));
        put(
                r,
                new AlertRule(
                        SLA_BELOW_TARGET,
                        "warning",
                        true,
                        95,
                        10,
                        h1,
                        zero,
                        zero,
                        Duration.ofHours(3)));
        put(
                r,
                new AlertRule(
                        FPS_DEGRADED,
                        "warning",
                        true,
                        0.2,
                        0,
                        h1,
                        zero,
                        zero,
                        Duration.ofHours(3)));
        put(r, new AlertRule(SWAP_RATE_HIGH, "warning", true, 0.10, 20, m15, zero, m15, h1));
        put(r, new AlertRule(E2E_LATENCY_HIGH, "warning", true, 3000, 1, m5, zero, m5, h1));
        put(r, new AlertRule(JITTER_HIGH, "info", true, 0.1, 3, m5, zero, m5, h1));
        put(r, new AlertRule(TELEMETRY_REJECTED_HIGH, "warning", true, 0.01, 1, m5, zero, m5, h1));
        return new AlertConfig(r);
    }

    private static void put(Map<String, AlertRule> rules, AlertRule rule) {
        rules.put(rule.name(), rule);
    }

    /** The rule of that name. */
    public AlertRule rule(String name) {
        AlertRule rule = rules.get(name);
        if (rule == null) {
            throw new IllegalArgumentException("no alert rule " + name);
        }
        return rule;
    }

    /** The longest window of the 1-minute rules: how much history a metric key keeps. */
    public Duration longestMinuteWindow() {
        Duration longest = Duration.ofMinutes(1);
        for (String name : MINUTE_RULES) {
            Duration w = rule(name).window();
            if (w.compareTo(longest) > 0) {
                longest = w;
            }
        }
        return longest;
    }

    /**
     * The same settings with one changed: {@code Rule.setting=value}, e.g. {@code
     * StartupFailuresHigh.threshold=0.1} or {@code JitterHigh.enabled=false}.
     *
     * @param duration parses durations ({@code 5m}, {@code 30s})
     * @throws IllegalArgumentException naming what is wrong and what is allowed
     */
    public AlertConfig with(String setting, Function<String, Duration> duration) {
        int eq = setting.indexOf('=');
        int dot = setting.indexOf('.');
        if (eq < 0 || dot < 0 || dot > eq) {
            throw new IllegalArgumentException(
                    "--alert takes Rule.setting=value (e.g. StartupFailuresHigh.threshold=0.1), got "
                            + setting);
        }
        String name = setting.substring(0, dot);
        if (!rules.containsKey(name)) {
            throw new IllegalArgumentException(
                    "--alert: no rule named " + name + "; the rules are " + rules.keySet());
        }
        Map<String, AlertRule> changed = new LinkedHashMap<>(rules);
        changed.put(
                name,
                rules.get(name)
                        .with(setting.substring(dot + 1, eq), setting.substring(eq + 1), duration));
        if (rule(name).window().isZero() != changed.get(name).window().isZero()
                || (HOUR_RULES.contains(name)
                        && !changed.get(name).window().equals(Duration.ofHours(1)))
                || (MINUTE_RULES.contains(name) || TELEMETRY_REJECTED_HIGH.equals(name))
                        && changed.get(name).window().toMillis() % 60_000 != 0) {
            throw new IllegalArgumentException(
                    "--alert "
                            + setting
                            + ": the window of "
                            + name
                            + " must be a whole number of minutes (node and hourly rules have"
                            + " fixed windows)");
        }
        return new AlertConfig(changed);
    }
}
