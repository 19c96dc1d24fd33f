package org.livepeer.naap.functions.liveness;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;
import org.livepeer.naap.schemas.Family;
import org.livepeer.naap.schemas.NodeIds;
import org.livepeer.naap.schemas.TelemetryEvent;

/**
 * Turns an event into one {@link Heartbeat} per node it is evidence of (METRICS.md, "Node liveness
 * and abrupt shutdown", and as the generator's {@code NodeTruth} reads them):
 *
 * <ul>
 *   <li>a gateway ({@code gateway:}) in every event it emits, of any family but {@code
 *       unknown_family} (which feeds no metric);
 *   <li>an orchestrator in {@code network_capabilities} (each entry), {@code ai_stream_status} (the
 *       status samples that name it) and {@code job-processed}: by {@code orchestrator:<address>},
 *       or by {@code orchestrator_uri:<url>} only when the event names no address. Traces,
 *       payments, discovery results and job events that a gateway sends about an orchestrator are
 *       not heartbeats: a gateway can name an orchestrator that has already died (the trace of a
 *       stream it lost, a stale discovery entry);
 *   <li>a worker ({@code worker:}) in {@code worker-connected} and {@code worker-disconnected}.
 * </ul>
 *
 * <p>Signals: {@link Heartbeat#GRACEFUL} for the worker of a {@code worker-disconnected}; {@link
 * Heartbeat#RESET} for a {@code node_trace} {@code *-reset} on the nodes it names of the matching
 * kind ({@code gateway-reset} for gateways, {@code orchestrator-reset} and {@code node-reset} for
 * orchestrators, {@code transcoder-reset} for workers). The session id rides on orchestrator
 * heartbeats only: it tells which sessions were active on a node that dies.
 *
 * <p>Known gap: status samples name the orchestrator's hot wallet ({@code
 * orchestrator_info.address}), not its canonical address, so until ids are canonicalized upstream
 * (hot wallet and URI to the {@code address} of its {@code network_capabilities} entry) they are
 * heartbeats of a node id of their own.
 */
public class Heartbeats implements FlatMapFunction<TelemetryEvent, Heartbeat> {
    private static final long serialVersionUID = 1L;

    private static final Set<String> ORCHESTRATOR_FAMILIES =
            Set.of(
                    Family.NETWORK_CAPABILITIES.wireName(),
                    Family.AI_STREAM_STATUS.wireName(),
                    Family.JOB_PROCESSED.wireName(),
                    Family.NODE_TRACE.wireName());

    private static final Set<String> WORKER_FAMILIES =
            Set.of(
                    Family.WORKER_CONNECTED.wireName(),
                    Family.WORKER_DISCONNECTED.wireName(),
                    Family.NODE_TRACE.wireName());

    @Override
    public void flatMap(TelemetryEvent event, Collector<Heartbeat> out) {
        for (Heartbeat h : of(event)) {
            out.collect(h);
        }
    }

    /** The heartbeats of {@code e}, in the order of its node ids. */
    public static List<Heartbeat> of(TelemetryEvent e) {
        List<Heartbeat> out = new ArrayList<>();
        if (e.nodeIds == null || e.family == null || Family.UNKNOWN.wireName().equals(e.family)) {
            return out;
        }
        String gateway = null;
        boolean namesAddress = false;
        for (String id : e.nodeIds) {
            if (gateway == null && id.startsWith(NodeIds.GATEWAY)) {
                gateway = id;
            }
            namesAddress |= id.startsWith(NodeIds.ORCHESTRATOR);
        }
        String relayed = gateway == null ? e.family : e.family + "@" + gateway;
        boolean orchestratorFamily = ORCHESTRATOR_FAMILIES.contains(e.family);
        boolean workerFamily = WORKER_FAMILIES.contains(e.family);
        for (String id : e.nodeIds) {
            if (id.startsWith(NodeIds.GATEWAY)) {
                out.add(beat(e, id, Heartbeat.GATEWAY, e.family, null, resetOf(e, "gateway")));
            } else if (orchestratorFamily
                    && (id.startsWith(NodeIds.ORCHESTRATOR)
                            || (!namesAddress && id.startsWith(NodeIds.ORCHESTRATOR_URI)))) {
                out.add(
                        beat(
                                e,
                                id,
                                Heartbeat.ORCHESTRATOR,
                                relayed,
                                e.sessionId,
                                resetOf(e, "orchestrator")));
            } else if (workerFamily && id.startsWith(NodeIds.WORKER)) {
                String signal =
                        Family.WORKER_DISCONNECTED.wireName().equals(e.family)
                                ? Heartbeat.GRACEFUL
                                : resetOf(e, "worker");
                out.add(beat(e, id, Heartbeat.WORKER, relayed, null, signal));
            }
        }
        return out;
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
