package org.livepeer.naap.schemas.output;

import java.util.Arrays;
import java.util.Objects;

/**
 * One change of a node's liveness (METRICS.md, "Node liveness and abrupt shutdown"), emitted once:
 * {@code UP} (first seen), {@code DOWN_ABRUPT} (silent past its timeout with no graceful signal),
 * {@code DOWN_GRACEFUL} (an explicit leave, e.g. {@code worker-disconnected}), {@code RECOVERED}
 * (an event after a down), {@code RESTARTED} (a {@code node_trace} {@code *-reset} while up). Times
 * are epoch milliseconds of event time.
 */
public class NodeTransition {
    public static final String UP = "UP";
    public static final String DOWN_ABRUPT = "DOWN_ABRUPT";
    public static final String DOWN_GRACEFUL = "DOWN_GRACEFUL";
    public static final String RECOVERED = "RECOVERED";
    public static final String RESTARTED = "RESTARTED";

    /** {@code kind:id}, as in {@code TelemetryEvent.nodeIds}. */
    public String nodeId;

    /** {@code orchestrator}, {@code gateway} or {@code worker}. */
    public String nodeKind;

    public String transition;

    /** When the transition happened: the event that caused it, or the timeout's expiry. */
    public long at;

    /** The node's last event before this transition (null for {@code UP}). */
    public Long lastSeen;

    /** The silence allowed before {@code DOWN_ABRUPT}, at the time of the transition. */
    public Long timeoutMs;

    /** For {@code DOWN_ABRUPT}: the sessions active on the node when it fell silent. */
    public String[] activeSessions;

    /**
     * Why: the signal or rule that caused it (e.g. {@code worker-disconnected}, {@code silent}).
     */
    public String reason;

    public NodeTransition() {}

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof NodeTransition)) {
            return false;
        }
        NodeTransition t = (NodeTransition) o;
        return at == t.at
                && Objects.equals(nodeId, t.nodeId)
                && Objects.equals(nodeKind, t.nodeKind)
                && Objects.equals(transition, t.transition)
                && Objects.equals(lastSeen, t.lastSeen)
                && Objects.equals(timeoutMs, t.timeoutMs)
                && Arrays.equals(activeSessions, t.activeSessions)
                && Objects.equals(reason, t.reason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(nodeId, transition, at);
    }

    @Override
    public String toString() {
        return "NodeTransition{"
                + nodeId
                + " "
                + transition
                + " at "
                + at
                + (reason == null ? "" : " (" + reason + ")")
                + "}";
    }
}
