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

    /**
     * Not a sign of life: the session {@link #sessionId} no longer runs on the node (its close
     * trace, or its status samples now name another orchestrator), so the node is no longer
     * expected on that session's status cadence.
     */
    public static final String SESSION_END = "session_end";

    /**
     * Not a sign of life: the node id was a stand-in (an orchestrator known only by its URI) that
     * has since been resolved to its canonical address; its state is dropped without a transition.
     */
    public static final String ALIAS_RESOLVED = "alias_resolved";

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

    /** {@link #GRACEFUL}, {@link #RESET}, {@link #SESSION_END}, {@link #ALIAS_RESOLVED} or null. */
    public String signal;

    /**
     * Orchestrators only, what the event says of the node's identity, for {@link
     * OrchestratorIdentity}: the address it names (canonical in {@code network_capabilities} and
     * {@code job-processed}; a status sample's {@code orchestrator_info.address} is often the hot
     * wallet and goes in {@link #hotWallet}), its service URI and its hot wallet. Lower-cased
     * addresses, the URI as sent; null when not named.
     */
    public String address;

    public String uri;
    public String hotWallet;

    /** True for a {@code network_capabilities} entry: it binds address, URI and hot wallet. */
    public boolean authoritative;

    /** For a {@link WorkerLiveness#OWNER_DOWN} notice, the orchestrator's last sign of life. */
    public Long ownerLastSeen;

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

    public boolean sessionEnd() {
        return SESSION_END.equals(signal);
    }

    public boolean aliasResolved() {
        return ALIAS_RESOLVED.equals(signal);
    }

    /** A sign of life (every heartbeat but the {@link #SESSION_END} and alias notices). */
    public boolean alive() {
        return !sessionEnd() && !aliasResolved();
    }

    /** The same heartbeat for node {@code id}. */
    public Heartbeat withNode(String id) {
        Heartbeat h = copy();
        h.nodeId = id;
        return h;
    }

    /** A field-by-field copy. */
    public Heartbeat copy() {
        Heartbeat h =
                new Heartbeat(
                        nodeId, nodeKind, eventTime, family, subtype, source, sessionId, signal);
        h.address = address;
        h.uri = uri;
        h.hotWallet = hotWallet;
        h.authoritative = authoritative;
        h.ownerLastSeen = ownerLastSeen;
        return h;
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
                && Objects.equals(signal, h.signal)
                && Objects.equals(address, h.address)
                && Objects.equals(uri, h.uri)
                && Objects.equals(hotWallet, h.hotWallet)
                && authoritative == h.authoritative
                && Objects.equals(ownerLastSeen, h.ownerLastSeen);
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
                + (address == null ? "" : " address=" + address)
                + (uri == null ? "" : " uri=" + uri)
                + (hotWallet == null ? "" : " hot=" + hotWallet)
                + "}";
    }
}
