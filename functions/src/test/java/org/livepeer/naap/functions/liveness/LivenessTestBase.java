package org.livepeer.naap.functions.liveness;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.livepeer.naap.schemas.output.NodeTransition;

/** Named times, nodes, heartbeats and the harness plumbing shared by the liveness tests. */
abstract class LivenessTestBase {
    /** 2026-01-15T13:30:00Z, a time in the range of the real samples. */
    static final long T0 = 1_768_483_800_000L;

    static final long SECOND = 1_000L;
    static final long MINUTE = 60 * SECOND;
    static final long HOUR = 60 * MINUTE;

    /** The defaults: 30 s minimum timeout, factor 3, 3 min initial, 1 h forget, 30 s window. */
    static final LivenessConfig CONFIG = LivenessConfig.defaults();

    static final String GATEWAY = "gateway:gw-1.example";
    static final String GATEWAY_2 = "gateway:gw-2.example";
    static final String ORCH = "orchestrator:0xaaaa000000000000000000000000000000000001";
    static final String WORKER = "worker:0xaaaa000000000000000000000000000000000001@10.0.0.7:50051";

    static final String CAPS_VIA_GW1 = "network_capabilities@" + GATEWAY;
    static final String CAPS_VIA_GW2 = "network_capabilities@" + GATEWAY_2;
    static final String STATUS_VIA_GW1 = "ai_stream_status@" + GATEWAY;

    KeyedOneInputStreamOperatorTestHarness<String, Heartbeat, NodeTransition> detector(
            LivenessConfig config) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, Heartbeat, NodeTransition> h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new LivenessDetector(config)),
                        hb -> hb.nodeId,
                        Types.STRING);
        h.open();
        return h;
    }

    /** The highest watermark each harness has seen from {@link #send}. */
    private static final Map<Object, Long> WATERMARKS = new IdentityHashMap<>();

    /**
     * Sends heartbeats as an ordered input does: each, then the watermark up to its time (never
     * back), so that the detector, which applies heartbeats when the watermark passes them, sees
     * each at once. A heartbeat older than one sent before arrives behind the watermark.
     */
    static void send(
            KeyedOneInputStreamOperatorTestHarness<String, Heartbeat, NodeTransition> h,
            Heartbeat... beats)
            throws Exception {
        for (Heartbeat b : beats) {
            h.processElement(new StreamRecord<>(b, b.eventTime));
            long watermark = Math.max(WATERMARKS.getOrDefault(h, Long.MIN_VALUE), b.eventTime);
            if (watermark > WATERMARKS.getOrDefault(h, Long.MIN_VALUE)) {
                WATERMARKS.put(h, watermark);
                h.processWatermark(watermark);
            }
        }
    }

    /** A gateway's own event (discovery results every 30 s, say). */
    static Heartbeat gateway(long t) {
        return new Heartbeat(
                GATEWAY,
                Heartbeat.GATEWAY,
                t,
                "discovery_results",
                null,
                "discovery_results",
                null,
                null);
    }

    /** A gateway's own capabilities snapshot (every 60 s, say). */
    static Heartbeat gatewayCapabilities(long t) {
        return new Heartbeat(
                GATEWAY,
                Heartbeat.GATEWAY,
                t,
                "network_capabilities",
                null,
                "network_capabilities",
                null,
                null);
    }

    /**
     * The notice OrchestratorIdentity sends the orchestrator when {@code session} left it: no
     * family, source or address, only the node, the time, the session and the signal.
     */
    static Heartbeat sessionEnd(long t, String session) {
        return new Heartbeat(
                ORCH, Heartbeat.ORCHESTRATOR, t, null, null, null, session, Heartbeat.SESSION_END);
    }

    /** The notice OrchestratorIdentity sends a stand-in node id once it is resolved. */
    static Heartbeat aliasResolved(String nodeId, long t) {
        return new Heartbeat(
                nodeId,
                Heartbeat.ORCHESTRATOR,
                t,
                null,
                null,
                null,
                null,
                Heartbeat.ALIAS_RESOLVED);
    }

    static Heartbeat gatewayReset(long t) {
        return new Heartbeat(
                GATEWAY,
                Heartbeat.GATEWAY,
                t,
                "node_trace",
                "gateway-reset",
                "node_trace",
                null,
                Heartbeat.RESET);
    }

    /** The orchestrator in a capabilities snapshot relayed by gateway 1. */
    static Heartbeat caps(long t) {
        return orchestrator(t, CAPS_VIA_GW1);
    }

    static Heartbeat orchestrator(long t, String source) {
        String family = source.substring(0, source.indexOf('@'));
        return new Heartbeat(ORCH, Heartbeat.ORCHESTRATOR, t, family, null, source, null, null);
    }

    /** A status sample of {@code session} naming the orchestrator. */
    static Heartbeat status(long t, String session) {
        return new Heartbeat(
                ORCH,
                Heartbeat.ORCHESTRATOR,
                t,
                "ai_stream_status",
                "status",
                STATUS_VIA_GW1,
                session,
                null);
    }

    static Heartbeat workerConnected(long t) {
        return new Heartbeat(
                WORKER,
                Heartbeat.WORKER,
                t,
                "worker-connected",
                null,
                "worker-connected",
                null,
                null);
    }

    static Heartbeat workerDisconnected(long t) {
        return new Heartbeat(
                WORKER,
                Heartbeat.WORKER,
                t,
                "worker-disconnected",
                null,
                "worker-disconnected",
                null,
                Heartbeat.GRACEFUL);
    }

    static List<NodeTransition> transitions(
            KeyedOneInputStreamOperatorTestHarness<String, Heartbeat, NodeTransition> h) {
        return h.extractOutputValues();
    }

    static List<String> kinds(
            KeyedOneInputStreamOperatorTestHarness<String, Heartbeat, NodeTransition> h) {
        return transitions(h).stream().map(t -> t.transition).collect(Collectors.toList());
    }

    static NodeTransition last(
            KeyedOneInputStreamOperatorTestHarness<String, Heartbeat, NodeTransition> h) {
        List<NodeTransition> all = transitions(h);
        return all.get(all.size() - 1);
    }

    /** The expected transition, worked out by hand. */
    static NodeTransition expected(
            String nodeId,
            String kind,
            String transition,
            long at,
            Long lastSeen,
            Long timeoutMs,
            String[] sessions,
            String reason) {
        NodeTransition t = new NodeTransition();
        t.nodeId = nodeId;
        t.nodeKind = kind;
        t.transition = transition;
        t.at = at;
        t.lastSeen = lastSeen;
        t.timeoutMs = timeoutMs;
        t.activeSessions = sessions;
        t.reason = reason;
        return t;
    }
}
