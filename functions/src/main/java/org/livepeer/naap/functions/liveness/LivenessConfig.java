package org.livepeer.naap.functions.liveness;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * The knobs of {@link LivenessDetector}. All durations are event time except {@code stateTtl}, a
 * processing-time backstop for when the watermark stalls.
 *
 * @param minTimeout the least silence before a node is declared down ({@code liveness.min-timeout},
 *     default 30 s)
 * @param factor a node is down when silent for {@code factor} times its typical gap ({@code
 *     liveness.factor}, default 3)
 * @param initialTimeout the silence allowed while no cadence is learned yet (a snapshot source seen
 *     once), and the most any one source is allowed: default 3 min, three times the slowest
 *     periodic heartbeat (a gateway's {@code network_capabilities} every 60 s), so that a node
 *     first seen in such a snapshot is not declared down before its second one
 * @param forgetAfter a node down, or a node that is never declared down on silence (a worker) and
 *     is silent, for this long after its last event is forgotten and its state cleared (default 1
 *     h); a later event makes it {@code UP} again
 * @param activeSessionWindow a session counts as active on a node if it named the node within this
 *     much before the node's last event (default 30 s: three status gaps; a stream whose samples
 *     stopped longer ago was cut by something else, such as its gateway going silent)
 * @param stateTtl the processing-time TTL on every state, behind the event-time timers (default 1
 *     day, longer than any timeout plus {@code forgetAfter})
 * @param identityWait how long an orchestrator heartbeat that names only a URI or hot wallet not
 *     yet seen in any {@code network_capabilities} entry waits for one to give its canonical
 *     address ({@code liveness.identity-wait}, default 2 min: every gateway sends a snapshot every
 *     60 s); after that the orchestrator is known by its URI
 */
public record LivenessConfig(
        Duration minTimeout,
        double factor,
        Duration initialTimeout,
        Duration forgetAfter,
        Duration activeSessionWindow,
        Duration stateTtl,
        Duration identityWait)
        implements Serializable {

    public static final Duration DEFAULT_MIN_TIMEOUT = Duration.ofSeconds(30);
    public static final double DEFAULT_FACTOR = 3.0;
    public static final Duration DEFAULT_INITIAL_TIMEOUT = Duration.ofMinutes(3);
    public static final Duration DEFAULT_FORGET_AFTER = Duration.ofHours(1);
    public static final Duration DEFAULT_ACTIVE_SESSION_WINDOW = Duration.ofSeconds(30);
    public static final Duration DEFAULT_STATE_TTL = Duration.ofDays(1);
    public static final Duration DEFAULT_IDENTITY_WAIT = Duration.ofMinutes(2);

    public LivenessConfig {
        requirePositive(minTimeout, "liveness.min-timeout");
        requirePositive(initialTimeout, "liveness.initial-timeout");
        requirePositive(forgetAfter, "liveness.forget-after");
        requirePositive(activeSessionWindow, "liveness.active-session-window");
        requirePositive(stateTtl, "liveness.state-ttl");
        requirePositive(identityWait, "liveness.identity-wait");
        if (!(factor >= 1.0)) {
            throw new IllegalArgumentException("liveness.factor must be at least 1: " + factor);
        }
    }

    public static LivenessConfig defaults() {
        return new LivenessConfig(
                DEFAULT_MIN_TIMEOUT,
                DEFAULT_FACTOR,
                DEFAULT_INITIAL_TIMEOUT,
                DEFAULT_FORGET_AFTER,
                DEFAULT_ACTIVE_SESSION_WINDOW,
                DEFAULT_STATE_TTL,
                DEFAULT_IDENTITY_WAIT);
    }

    /**
     * The silence allowed for a source whose typical gap is {@code gapMs}: {@code max(minTimeout,
     * factor x gap)}, at most {@code initialTimeout}. The cap keeps a gap that only measures
     * missing data (a relay that was itself down for minutes, events that lost their gateway) from
     * stretching a node's timeout without bound.
     */
    long timeoutFor(long gapMs) {
        long t = Math.max(minTimeout.toMillis(), (long) Math.ceil(factor * gapMs));
        return Math.min(t, Math.max(initialTimeout.toMillis(), minTimeout.toMillis()));
    }

    /** The period of the slowest periodic heartbeat: {@code initialTimeout / factor}. */
    long slowestPeriod() {
        return (long) (initialTimeout.toMillis() / factor);
    }

    private static void requirePositive(Duration d, String option) {
        Objects.requireNonNull(d, option);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(option + " must be positive: " + d);
        }
    }
}
