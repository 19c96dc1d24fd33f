package org.livepeer.naap.functions.liveness;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.util.Collector;
import org.livepeer.naap.schemas.Addresses;
import org.livepeer.naap.schemas.EventParser;
import org.livepeer.naap.schemas.Family;
import org.livepeer.naap.schemas.NodeIds;
import org.livepeer.naap.schemas.TelemetryEvent;
import org.livepeer.naap.schemas.family.Families;
import org.livepeer.naap.schemas.family.FamilyPayload;
import org.livepeer.naap.schemas.family.InvalidPayloadException;
import org.livepeer.naap.schemas.family.NetworkCapabilities;

/**
 * Turns an event into one {@link Heartbeat} per node it is evidence of (METRICS.md, "Node liveness
 * and abrupt shutdown", and as the generator's {@code NodeTruth} reads them):
 *
 * <ul>
 *   <li>a gateway ({@code gateway:}) in every event it emits, of any family but {@code
 *       unknown_family} (which feeds no metric);
 *   <li>an orchestrator in each {@code network_capabilities} entry (which binds its canonical
 *       address to its URI and hot wallet), in {@code ai_stream_status} samples (which name its URI
 *       and, often, its hot wallet) and in {@code job-processed} (its address). These carry what
 *       the event says of the orchestrator's identity ({@link Heartbeat#address}, {@link
 *       Heartbeat#uri}, {@link Heartbeat#hotWallet}) and are resolved to the canonical {@code
 *       orchestrator:<address>} by {@link OrchestratorIdentity}; a status sample's node id is left
 *       null for it. Traces, payments, discovery results and job events that a gateway sends about
 *       an orchestrator are not heartbeats: a gateway can name an orchestrator that has already
 *       died (the trace of a stream it lost, a stale discovery entry);
 *   <li>a worker ({@code worker:}) in {@code worker-connected} and {@code worker-disconnected}.
 * </ul>
 *
 * <p>Signals: {@link Heartbeat#GRACEFUL} for the worker of a {@code worker-disconnected}; {@link
 * Heartbeat#RESET} for a {@code node_trace} {@code *-reset} on the nodes it names of the matching
 * kind ({@code gateway-reset} for gateways, {@code orchestrator-reset} and {@code node-reset} for
 * orchestrators, {@code transcoder-reset} for workers); {@link Heartbeat#SESSION_END} (an
 * orchestrator notice, not a sign of life, with no node id: {@link OrchestratorIdentity} knows
 * which orchestrator ran the session; and a notice to the gateway that sent it) for the close trace
 * of a session. The session id rides on status samples for the orchestrator and on every session
 * event for its gateway: it tells which sessions were active on a node that dies.
 */
public class Heartbeats extends RichFlatMapFunction<TelemetryEvent, Heartbeat> {
    private static final long serialVersionUID = 1L;

    private transient ObjectMapper mapper;

    /** The trace that ends a session ({@code SessionState}'s close). */
    static final String SESSION_CLOSED = "gateway_ingest_stream_closed";

    private static final Set<String> WORKER_FAMILIES =
            Set.of(
                    Family.WORKER_CONNECTED.wireName(),
                    Family.WORKER_DISCONNECTED.wireName(),
                    Family.NODE_TRACE.wireName());

    @Override
    public void open(OpenContext openContext) {
        mapper = EventParser.newObjectMapper();
    }

    @Override
    public void flatMap(TelemetryEvent event, Collector<Heartbeat> out) {
        for (Heartbeat h : of(event, mapper)) {
            out.collect(h);
        }
    }

    /**
     * The heartbeats of {@code e}: gateways and workers in the order of its node ids, then
     * orchestrators.
     */
    static List<Heartbeat> of(TelemetryEvent e) {
        return of(e, EventParser.newObjectMapper());
    }

    /** The heartbeats of {@code e}; {@code mapper} decodes capability snapshots. */
    public static List<Heartbeat> of(TelemetryEvent e, ObjectMapper mapper) {
        List<Heartbeat> out = new ArrayList<>();
        if (e.nodeIds == null || e.family == null || Family.UNKNOWN.wireName().equals(e.family)) {
            return out;
        }
        String gateway = null;
        for (String id : e.nodeIds) {
            if (id.startsWith(NodeIds.GATEWAY)) {
                gateway = id;
                break;
            }
        }
        String relayed = gateway == null ? e.family : e.family + "@" + gateway;
        boolean workerFamily = WORKER_FAMILIES.contains(e.family);
        for (String id : e.nodeIds) {
            if (id.startsWith(NodeIds.GATEWAY)) {
                String session = Family.ofType(e.family).sessionBearing() ? e.sessionId : null;
                out.add(beat(e, id, Heartbeat.GATEWAY, e.family, session, resetOf(e, "gateway")));
                if (session != null && closes(e)) {
                    out.add(
                            beat(
                                    e,
                                    id,
                                    Heartbeat.GATEWAY,
                                    e.family,
                                    session,
                                    Heartbeat.SESSION_END));
                }
            } else if (workerFamily && id.startsWith(NodeIds.WORKER)) {
                String signal =
                        Family.WORKER_DISCONNECTED.wireName().equals(e.family)
                                ? Heartbeat.GRACEFUL
                                : resetOf(e, "worker");
                out.add(beat(e, id, Heartbeat.WORKER, relayed, null, signal));
            }
        }
        orchestrators(e, relayed, mapper, out);
        return out;
    }

    private static void orchestrators(
            TelemetryEvent e, String relayed, ObjectMapper mapper, List<Heartbeat> out) {
        switch (Family.ofType(e.family)) {
            case NETWORK_CAPABILITIES -> capabilities(e, relayed, mapper, out);
            case AI_STREAM_STATUS -> {
                String address = idValue(e, NodeIds.ORCHESTRATOR);
                String uri = idValue(e, NodeIds.ORCHESTRATOR_URI);
                if (address != null || uri != null) {
                    Heartbeat h = beat(e, null, Heartbeat.ORCHESTRATOR, relayed, e.sessionId, null);
                    h.address = address;
                    h.uri = uri;
                    out.add(h);
                }
            }
            case JOB_PROCESSED, NODE_TRACE -> {
                String address = idValue(e, NodeIds.ORCHESTRATOR);
                if (address != null) {
                    Heartbeat h =
                            beat(
                                    e,
                                    NodeIds.ORCHESTRATOR + address,
                                    Heartbeat.ORCHESTRATOR,
                                    relayed,
                                    null,
                                    resetOf(e, "orchestrator"));
                    h.address = address;
                    out.add(h);
                }
            }
            case STREAM_TRACE -> {
                if (closes(e)) {
                    out.add(
                            beat(
                                    e,
                                    null,
                                    Heartbeat.ORCHESTRATOR,
                                    e.family,
                                    e.sessionId,
                                    Heartbeat.SESSION_END));
                }
            }
            default -> {}
        }
    }

    /**
     * One heartbeat per entry that names its orchestrator. An entry with an address binds it to its
     * URI and hot wallet ({@link Heartbeat#authoritative}); one with only a URI is resolved like a
     * status sample.
     */
    private static void capabilities(
            TelemetryEvent e, String relayed, ObjectMapper mapper, List<Heartbeat> out) {
        FamilyPayload payload;
        try {
            payload = Families.decode(mapper, e);
        } catch (InvalidPayloadException x) {
            return;
        }
        if (!(payload instanceof NetworkCapabilities caps)) {
            return;
        }
        for (NetworkCapabilities.Orchestrator o : caps.orchestrators()) {
            String address = Addresses.normalize(o.address());
            String uri = trimmed(o.orchUri());
            if (address == null && uri == null) {
                continue;
            }
            Heartbeat h =
                    beat(
                            e,
                            address == null ? null : NodeIds.ORCHESTRATOR + address,
                            Heartbeat.ORCHESTRATOR,
                            relayed,
                            null,
                            null);
            h.address = address;
            h.uri = uri;
            h.hotWallet = Addresses.normalize(o.localAddress());
            h.authoritative = address != null;
            out.add(h);
        }
    }

    private static boolean closes(TelemetryEvent e) {
        return Family.STREAM_TRACE.wireName().equals(e.family)
                && SESSION_CLOSED.equals(e.subtype)
                && e.sessionId != null;
    }

    /** The value of the first node id of {@code e} with {@code prefix}, else null. */
    private static String idValue(TelemetryEvent e, String prefix) {
        for (String id : e.nodeIds) {
            if (id.startsWith(prefix)) {
                return id.substring(prefix.length());
            }
        }
        return null;
    }

    private static String trimmed(String s) {
        if (s == null) {
            return null;
        }
        String t = s.trim();
        return t.isEmpty() ? null : t;
    }

    /** {@link Heartbeat#RESET} when {@code e} is a reset of a node of {@code kind}, else null. */
    private static String resetOf(TelemetryEvent e, String kind) {
        if (!Family.NODE_TRACE.wireName().equals(e.family) || e.subtype == null) {
            return null;
        }
        boolean matches =
                switch (e.subtype) {
                    case "gateway-reset" -> kind.equals("gateway");
                    case "orchestrator-reset", "node-reset" -> kind.equals("orchestrator");
                    case "transcoder-reset" -> kind.equals("worker");
                    default -> false;
                };
        return matches ? Heartbeat.RESET : null;
    }

    private static Heartbeat beat(
            TelemetryEvent e,
            String id,
            String kind,
            String source,
            String sessionId,
            String signal) {
        return new Heartbeat(id, kind, e.eventTime, e.family, e.subtype, source, sessionId, signal);
    }
}
