package org.livepeer.naap.functions.liveness;

import java.util.Objects;
import org.livepeer.naap.schemas.output.NodeTransition;

/** The liveness of one node (state of {@link LivenessDetector}). A Flink POJO. */
public class NodeLiveness {
    public String nodeKind;

    /** {@code UP}, {@code DOWN_ABRUPT} or {@code DOWN_GRACEFUL} (NodeTransition constants). */
    public String status;

    /** The latest event time seen; never moves back. */
    public long lastSeen;

    /** When down: the time of the down transition; later heartbeats at or before it are late. */
    public long downAt;

    /** When up: the time the node is declared down if nothing comes (LivenessDetector#deadline). */
    public long deadline;

    /** The one pending event-time timer (deadline when up, forget time when down); 0 when none. */
    public long timerAt;

    /** When the sessions and sources were last pruned. */
    public long prunedAt;

    public NodeLiveness() {}

    boolean up() {
        return NodeTransition.UP.equals(status);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof NodeLiveness)) {
            return false;
        }
        NodeLiveness n = (NodeLiveness) o;
        return lastSeen == n.lastSeen
                && downAt == n.downAt
                && deadline == n.deadline
                && timerAt == n.timerAt
                && prunedAt == n.prunedAt
                && Objects.equals(nodeKind, n.nodeKind)
                && Objects.equals(status, n.status);
    }

    @Override
    public int hashCode() {
        return Objects.hash(nodeKind, status, lastSeen, deadline, timerAt);
    }

    @Override
    public String toString() {
        return "NodeLiveness{"
                + status
                + " lastSeen="
                + lastSeen
                + " deadline="
                + deadline
                + " timerAt="
                + timerAt
                + "}";
    }
}
