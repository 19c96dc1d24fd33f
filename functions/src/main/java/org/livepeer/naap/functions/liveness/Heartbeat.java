package org.livepeer.naap.functions.liveness;

import java.util.Objects;

/**
 * One sign of life of one node, made by {@link Heartbeats} from a telemetry event; the input of
 * {@link LivenessDetector}, keyed by {@link #nodeId}. A Flink POJO.
 */
public class Heartbeat {
    public static final String GATEWAY = "gateway";
    public static final String ORCHESTRATOR = "orchestrator";
    public static final String WORKER = "worker";

    /** The node left on purpose ({@code worker-disconnected}). */
    public static final String GRACEFUL = "graceful";

    /** The node's process (re)started ({@code node_trace} {@code *-reset}). */
    public static final String RESET = "reset";

    /** {@code kind:id}, as in {@code TelemetryEvent.nodeIds}. */
    public String nodeId;

    /** {@link #GATEWAY}, {@link #ORCHESTRATOR} or {@link #WORKER}. */
    public String nodeKind;

    public long eventTime;

    public String family;
    public String subtype;

    /**
     * The stream of events this heartbeat belongs to: its family, and for an event a gateway
     * published about another node, that gateway ({@code network_capabilities@gateway:gw-1}). Each
     * source is periodic on its own; the cadence is learned per source.
     */
    public String source;

    /** The session that named the node (orchestrators only), else null. */
    public String sessionId;

    /** {@link #GRACEFUL}, {@link #RESET} or null. */
    public String signal;

    public Heartbeat() {}

    public Heartbeat(
            String nodeId,
            String nodeKind,
            long eventTime,
            String family,
            String subtype,
            String source,
            String sessionId,
            String signal) {
        this.nodeId = nodeId;
        this.nodeKind = nodeKind;
        this.eventTime = eventTime;
        this.family = family;
        this.subtype = subtype;
        this.source = source;
        this.sessionId = sessionId;
        this.signal = signal;
    }

    public boolean graceful() {
        return GRACEFUL.equals(signal);
    }

    public boolean reset() {
        return RESET.equals(signal);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Heartbeat)) {
            return false;
        }
        Heartbeat h = (Heartbeat) o;
        return eventTime == h.eventTime
                && Objects.equals(nodeId, h.nodeId)
                && Objects.equals(nodeKind, h.nodeKind)
                && Objects.equals(family, h.family)
                && Objects.equals(subtype, h.subtype)
                && Objects.equals(source, h.source)
                && Objects.equals(sessionId, h.sessionId)
                && Objects.equals(signal, h.signal);
    }

    @Override
    public int hashCode() {
        return Objects.hash(nodeId, eventTime, source, sessionId, signal);
    }

    @Override
    public String toString() {
        return "Heartbeat{"
                + nodeId
                + " t="
                + eventTime
                + " "
                + source
                + (sessionId == null ? "" : " session=" + sessionId)
                + (signal == null ? "" : " " + signal)
                + "}";
    }
}
