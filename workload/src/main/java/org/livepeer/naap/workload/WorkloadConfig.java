package org.livepeer.naap.workload;

import java.time.Duration;
import java.time.Instant;

/**
 * Everything that decides a workload: the same config gives byte-identical output.
 *
 * @param seed the root of every random stream
 * @param sessions how many live video sessions arrive, uniformly over the duration (the last minute
 *     excepted)
 * @param orchestrators how many orchestrators (at least 1); orchestrator 1 never dies, so every
 *     session can always be placed
 * @param gateways how many gateways (at least 1); gateway 1 never goes silent
 * @param duration simulated time, at least 2 minutes
 * @param start the simulated instant at which time starts
 * @param mix the session outcome weights
 * @param mess which kinds of mess, at which rates
 */
public record WorkloadConfig(
        long seed,
        int sessions,
        int orchestrators,
        int gateways,
        Duration duration,
        Instant start,
        OutcomeMix mix,
        MessConfig mess) {

    /** The default start of simulated time. */
    public static final Instant DEFAULT_START = Instant.parse("2026-01-15T12:00:00Z");

    public WorkloadConfig {
        if (sessions < 0) {
            throw new IllegalArgumentException("sessions must be >= 0, not " + sessions);
        }
        if (orchestrators < 1) {
            throw new IllegalArgumentException("orchestrators must be >= 1, not " + orchestrators);
        }
        if (gateways < 1) {
            throw new IllegalArgumentException("gateways must be >= 1, not " + gateways);
        }
        if (duration == null || duration.compareTo(Duration.ofMinutes(2)) < 0) {
            throw new IllegalArgumentException(
                    "duration must be at least 2 minutes, not " + duration);
        }
        if (start == null) {
            throw new IllegalArgumentException("start is required");
        }
        if (mix == null) {
            throw new IllegalArgumentException("mix is required");
        }
        if (mess == null) {
            throw new IllegalArgumentException("mess is required");
        }
    }

    /**
     * A realistic hour: 1000 sessions, 12 orchestrators, 3 gateways, every mess kind at its default
     * rate (about 80,000 events).
     */
    public static WorkloadConfig defaults() {
        return new WorkloadConfig(
                42L,
                1000,
                12,
                3,
                Duration.ofHours(1),
                DEFAULT_START,
                OutcomeMix.defaults(),
                MessConfig.all());
    }

    /**
     * The small network {@code ./naap run} uses by default: 6 simulated minutes, 40 sessions (every
     * outcome at least once), 6 orchestrators, 3 gateways, every mess kind on; a few thousand
     * events, generated in well under a second.
     */
    public static WorkloadConfig embedded() {
        return new WorkloadConfig(
                5L,
                40,
                6,
                3,
                Duration.ofMinutes(6),
                DEFAULT_START,
                OutcomeMix.defaults(),
                MessConfig.all());
    }

    public WorkloadConfig withSeed(long s) {
        return new WorkloadConfig(s, sessions, orchestrators, gateways, duration, start, mix, mess);
    }

    public WorkloadConfig withSessions(int n) {
        return new WorkloadConfig(seed, n, orchestrators, gateways, duration, start, mix, mess);
    }

    public WorkloadConfig withOrchestrators(int n) {
        return new WorkloadConfig(seed, sessions, n, gateways, duration, start, mix, mess);
    }

    public WorkloadConfig withGateways(int n) {
        return new WorkloadConfig(seed, sessions, orchestrators, n, duration, start, mix, mess);
    }

    public WorkloadConfig withDuration(Duration d) {
        return new WorkloadConfig(seed, sessions, orchestrators, gateways, d, start, mix, mess);
    }

    public WorkloadConfig withStart(Instant s) {
        return new WorkloadConfig(seed, sessions, orchestrators, gateways, duration, s, mix, mess);
    }

    public WorkloadConfig withMix(OutcomeMix m) {
        return new WorkloadConfig(
                seed, sessions, orchestrators, gateways, duration, start, m, mess);
    }

    public WorkloadConfig withMess(MessConfig m) {
        return new WorkloadConfig(seed, sessions, orchestrators, gateways, duration, start, mix, m);
    }

    /** Simulated start, epoch ms. */
    long startMs() {
        return start.toEpochMilli();
    }

    /** Simulated end, epoch ms. */
    long endMs() {
        return start.toEpochMilli() + duration.toMillis();
    }
}
