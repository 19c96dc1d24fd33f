package org.livepeer.naap.functions.sessions;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * The knobs of the session tracker and the payment router. All durations are event time except
 * {@code stateTtl}, a processing-time backstop for when the watermark stalls.
 *
 * @param idleTimeout a session with no event for this long ends as {@code timed_out} ({@code
 *     session.idle-timeout}, default 60 s)
 * @param updateInterval the least event time between two live updates of one session ({@code
 *     session.update-interval}, default 10 s)
 * @param statusCadence the usual gap between status samples (10 s): the unit of {@code
 *     health_coverage} and, times 3, the cap of one {@code online_s} gap
 * @param swapWindow an {@code orchestrator_swap} trace within this much of an orchestrator change
 *     explains it (default 30 s); changes with none are inferred swaps
 * @param retainAfterEnd how long an ended session's tombstone absorbs its stragglers, and how far
 *     behind the watermark an unseen session may still open (default 10 min)
 * @param stateTtl the processing-time TTL on every state, behind the event-time timers (default 1
 *     day, longer than any session's silence)
 * @param paymentMappingIdle the payment router forgets a learned {@code sessionID+orchestrator ->
 *     requestID} mapping after this much event time without a payment (default 5 min; live payments
 *     come every ~20 s)
 * @param paymentWait how long a payment waits for its mapping (router) or its session (tracker)
 *     before it is unmatched (default 2 min)
 * @param maxWaitingPayments the most payments one key holds while waiting (default 100); more are
 *     unmatched at once
 * @param closeGrace how long after its close trace a session still takes events (default 5 s): the
 *     gateway publishes the stream's last error (often the excusable {@code whip disconnected}) at
 *     the same moment as the close, without a node timestamp of its own, so it can sort just after
 *     the close
 * @param orchestratorVerdictWait how long after its idle timeout a silent session that ran on an
 *     orchestrator waits for node liveness to say whether that orchestrator died (default 30 s): an
 *     orchestrator dying under its streams is declared down about one capabilities period after its
 *     last sign of life, which can be later than the streams' idle timeout. The session's end time
 *     is its last event either way; only its final fact comes later
 */
public record SessionConfig(
        Duration idleTimeout,
        Duration updateInterval,
        Duration statusCadence,
        Duration swapWindow,
        Duration retainAfterEnd,
        Duration stateTtl,
        Duration paymentMappingIdle,
        Duration paymentWait,
        int maxWaitingPayments,
        Duration closeGrace,
        Duration orchestratorVerdictWait)
        implements Serializable {

    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_UPDATE_INTERVAL = Duration.ofSeconds(10);
    public static final Duration DEFAULT_STATUS_CADENCE = Duration.ofSeconds(10);
    public static final Duration DEFAULT_SWAP_WINDOW = Duration.ofSeconds(30);
    public static final Duration DEFAULT_STATE_TTL = Duration.ofDays(1);
    public static final Duration DEFAULT_PAYMENT_MAPPING_IDLE = Duration.ofMinutes(5);
    public static final Duration DEFAULT_PAYMENT_WAIT = Duration.ofMinutes(2);
    public static final int DEFAULT_MAX_WAITING_PAYMENTS = 100;
    public static final Duration DEFAULT_CLOSE_GRACE = Duration.ofSeconds(5);
    public static final Duration DEFAULT_RETAIN_AFTER_END = Duration.ofMinutes(10);
    public static final Duration DEFAULT_ORCHESTRATOR_VERDICT_WAIT = Duration.ofSeconds(30);

    public SessionConfig {
        Objects.requireNonNull(idleTimeout, "session.idle-timeout");
        Objects.requireNonNull(updateInterval, "session.update-interval");
        Objects.requireNonNull(statusCadence, "session.status-cadence");
        Objects.requireNonNull(swapWindow, "session.swap-window");
        Objects.requireNonNull(retainAfterEnd, "session.retain-after-end");
        Objects.requireNonNull(stateTtl, "session.state-ttl");
        Objects.requireNonNull(paymentMappingIdle, "session.payment-mapping-idle");
        Objects.requireNonNull(paymentWait, "session.payment-wait");
        requirePositive(idleTimeout, "session.idle-timeout");
        requirePositive(statusCadence, "session.status-cadence");
        requirePositive(stateTtl, "session.state-ttl");
        requirePositive(paymentMappingIdle, "session.payment-mapping-idle");
        Objects.requireNonNull(closeGrace, "session.close-grace");
        if (closeGrace.isNegative()) {
            throw new IllegalArgumentException("session.close-grace must not be negative");
        }
        Objects.requireNonNull(orchestratorVerdictWait, "session.orchestrator-verdict-wait");
        if (orchestratorVerdictWait.isNegative()) {
            throw new IllegalArgumentException(
                    "session.orchestrator-verdict-wait must not be negative");
        }
        if (maxWaitingPayments < 0) {
            throw new IllegalArgumentException("session.max-waiting-payments must be >= 0");
        }
    }

    /** The defaults of METRICS.md. */
    public static SessionConfig defaults() {
        return withIdleTimeout(DEFAULT_IDLE_TIMEOUT);
    }

    /**
     * The defaults with another idle timeout. Ended sessions are remembered for 10 minutes: long
     * enough that a partition lagging minutes behind the others still finds a session it has not
     * seen as new (rather than late), and a straggler of one that ended finds its tombstone.
     */
    public static SessionConfig withIdleTimeout(Duration idleTimeout) {
        return new SessionConfig(
                idleTimeout,
                DEFAULT_UPDATE_INTERVAL,
                DEFAULT_STATUS_CADENCE,
                DEFAULT_SWAP_WINDOW,
                DEFAULT_RETAIN_AFTER_END,
                DEFAULT_STATE_TTL,
                DEFAULT_PAYMENT_MAPPING_IDLE,
                DEFAULT_PAYMENT_WAIT,
                DEFAULT_MAX_WAITING_PAYMENTS,
                DEFAULT_CLOSE_GRACE,
                DEFAULT_ORCHESTRATOR_VERDICT_WAIT);
    }

    /** The same settings with another close grace. */
    public SessionConfig withCloseGrace(Duration grace) {
        return new SessionConfig(
                idleTimeout,
                updateInterval,
                statusCadence,
                swapWindow,
                retainAfterEnd,
                stateTtl,
                paymentMappingIdle,
                paymentWait,
                maxWaitingPayments,
                grace,
                orchestratorVerdictWait);
    }

    private static void requirePositive(Duration d, String option) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(option + " must be positive, got " + d);
        }
    }
}
