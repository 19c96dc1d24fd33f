package org.livepeer.naap.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.livepeer.naap.workload.Network.Node;
import org.livepeer.naap.workload.Network.Orchestrator;

/**
 * The node transitions the simulation caused, one row each, as METRICS.md defines them, seen
 * through the events the pipeline can attribute to a node:
 *
 * <ul>
 *   <li>a gateway, in every delivered event whose envelope names its host ({@code gateway} not
 *       empty; Open Pool elements have no host and do not count);
 *   <li>an orchestrator, in its {@code network_capabilities} entries, the status samples whose
 *       {@code orchestrator_info.url} is its URI, and {@code job-processed} with its address;
 *   <li>a worker, in {@code worker-connected} and {@code worker-disconnected}.
 * </ul>
 *
 * <p>{@code UP} is at the first such event, {@code RECOVERED} at the first one after a down, {@code
 * RESTARTED} at a {@code gateway-reset} while up, {@code DOWN_GRACEFUL} at a {@code
 * worker-disconnected}. {@code DOWN_ABRUPT} is at the instant the node died (a gateway going
 * silent, an orchestrator dying, and with it its workers' connections), with {@code last_seen} the
 * event time of its last attributable delivered event and the sessions it cut. Times are event
 * times as the pipeline takes them (the payload timestamp of traces, status and ingest samples,
 * else the envelope time).
 */
final class NodeTruth {
    private static final class State {
        final String kind;
        boolean down;
        long lastSeen = Long.MIN_VALUE;

        State(String kind) {
            this.kind = kind;
        }
    }

    private final Map<String, State> nodes = new LinkedHashMap<>();
    private final Network net;
    private final Consumer<ObjectNode> out;
    private long rows;

    NodeTruth(Network net, Consumer<ObjectNode> out) {
        this.net = net;
        this.out = out;
    }

    long rows() {
        return rows;
    }

    /** One delivered event; true when it caused a transition. */
    boolean accept(Event e) {
        long before = rows;
        if (e.has(Event.UNKNOWN)) {
            return false;
        }
        Network.Gateway g = e.gateway();
        if (g != null && e.shape != Event.OPEN_POOL && !e.gatewayBlank) {
            boolean reset = "node_trace".equals(e.type) && "gateway-reset".equals(e.data.asText());
            heartbeat(g.nodeId(), g.kind(), e.eventTime, reset);
        }
        switch (e.type) {
            case "network_capabilities":
                if (e.data.isArray()) {
                    for (JsonNode o : e.data) {
                        orchestrator(o.path("address").asText(), e.eventTime);
                    }
                } else {
                    orchestrator(e.data.path("address").asText(), e.eventTime);
                }
                break;
            case "ai_stream_status":
                {
                    Orchestrator o =
                            net.byUri(e.data.path("orchestrator_info").path("url").asText());
                    if (o != null) {
                        heartbeat(o.nodeId(), o.kind(), e.eventTime, false);
                    }
                }
                break;
            case "job-processed":
                orchestrator(e.data.path("ethAddress").asText(), e.eventTime);
                break;
            case "worker-connected":
            case "worker-disconnected":
                {
                    String id =
                            "worker:"
                                    + e.data.path("ethAddress").asText().toLowerCase(Locale.ROOT)
                                    + "@"
                                    + e.data.path("connection").asText();
                    heartbeat(id, "worker", e.eventTime, false);
                    if (e.type.equals("worker-disconnected")) {
                        State s = nodes.get(id);
                        s.down = true;
                        emit(id, s, "DOWN_GRACEFUL", e.eventTime, "worker_disconnected", null);
                    }
                }
                break;
            default:
                break;
        }
        return rows != before;
    }

    private void orchestrator(String address, long t) {
        Orchestrator o = net.byAddress(address);
        if (o != null) {
            heartbeat(o.nodeId(), o.kind(), t, false);
        } else if (!address.isEmpty()) {
            heartbeat("orchestrator:" + address.toLowerCase(Locale.ROOT), "orchestrator", t, false);
        }
    }

    private void heartbeat(String id, String kind, long t, boolean reset) {
        State s = nodes.get(id);
        if (s == null) {
            s = new State(kind);
            nodes.put(id, s);
            emit(id, s, "UP", t, "first_seen", null);
        } else if (s.down) {
            s.down = false;
            emit(id, s, "RECOVERED", t, "event_after_down", null);
        } else if (reset) {
            emit(id, s, "RESTARTED", t, "node_trace_reset", null);
        }
        s.lastSeen = Math.max(s.lastSeen, t);
    }

    /** The node died abruptly at {@code at}, cutting {@code sessions}. */
    void died(Node node, long at, String reason, List<String> sessions) {
        State s = nodes.get(node.nodeId());
        if (s == null || s.down) {
            return;
        }
        s.down = true;
        emit(node.nodeId(), s, "DOWN_ABRUPT", at, reason, sessions);
    }

    private void emit(
            String id, State s, String transition, long at, String reason, List<String> sessions) {
        ObjectNode r = Json.obj();
        r.put("node_id", id);
        r.put("node_kind", s.kind);
        r.put("transition", transition);
        r.put("at", at);
        if (transition.startsWith("DOWN")) {
            r.put("last_seen", s.lastSeen);
        } else {
            r.putNull("last_seen");
        }
        if (sessions != null) {
            ArrayNode a = r.putArray("active_sessions");
            sessions.forEach(a::add);
        } else {
            r.putNull("active_sessions");
        }
        r.put("reason", reason);
        rows++;
        out.accept(r);
    }
}
