package org.livepeer.naap.functions.liveness;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import org.livepeer.naap.schemas.TelemetryEvent;
import org.livepeer.naap.schemas.output.NodeTransition;

/** Which events are heartbeats of which node, and the types' serialization. */
class HeartbeatsTest extends LivenessTestBase {
    private static final String HOT = "orchestrator:0xbbbb000000000000000000000000000000000002";
    private static final String URI = "orchestrator_uri:https://orch-1.example:8935";
    private static final String OTHER = "orchestrator:0xcccc000000000000000000000000000000000003";
    private static final String SESSION = "stream-a|req-1";

    private static TelemetryEvent event(String family, String subtype, String... nodeIds) {
        TelemetryEvent e = new TelemetryEvent();
        e.eventId = "ev-1";
        e.family = family;
        e.type = family;
        e.subtype = subtype;
        e.eventTime = T0;
        e.nodeIds = nodeIds;
        return e;
    }

    private static Heartbeat beat(
            String id,
            String kind,
            String family,
            String subtype,
            String source,
            String session,
            String signal) {
        return new Heartbeat(id, kind, T0, family, subtype, source, session, signal);
    }

    @Test
    void statusSampleBeatsItsGatewayAndOrchestratorAddressWithTheSession() {
        TelemetryEvent e = event("ai_stream_status", "status", GATEWAY, HOT, URI);
        e.sessionId = SESSION;

        assertThat(Heartbeats.of(e))
                .containsExactly(
                        beat(
                                GATEWAY,
                                "gateway",
                                "ai_stream_status",
                                "status",
                                "ai_stream_status",
                                null,
                                null),
                        beat(
                                HOT,
                                "orchestrator",
                                "ai_stream_status",
                                "status",
                                "ai_stream_status@" + GATEWAY,
                                SESSION,
                                null));
    }

    @Test
    void uriStandsForTheOrchestratorOnlyWhenNoAddressIsNamed() {
        TelemetryEvent e = event("ai_stream_status", "status", GATEWAY, URI);

        assertThat(Heartbeats.of(e)).extracting(h -> h.nodeId).containsExactly(GATEWAY, URI);
    }

    @Test
    void capabilitiesBeatEveryOrchestratorTheyList() {
        TelemetryEvent e =
                event(
                        "network_capabilities",
                        null,
                        GATEWAY,
                        HOT,
                        OTHER,
                        URI,
                        "orchestrator_uri:https://orch-3.example:8935");

        assertThat(Heartbeats.of(e)).extracting(h -> h.nodeId).containsExactly(GATEWAY, HOT, OTHER);
    }

    @Test
    void tracesAndDiscoveryBeatOnlyTheirGateway() {
        assertThat(Heartbeats.of(event("stream_trace", "orchestrator_swap", GATEWAY, HOT, URI)))
                .extracting(h -> h.nodeId)
                .containsExactly(GATEWAY);
        assertThat(Heartbeats.of(event("discovery_results", null, GATEWAY, HOT, URI)))
                .extracting(h -> h.nodeId)
                .containsExactly(GATEWAY);
    }

    @Test
    void jobProcessedBeatsItsOrchestrator() {
        assertThat(Heartbeats.of(event("job-processed", null, OTHER)))
                .containsExactly(
                        beat(
                                OTHER,
                                "orchestrator",
                                "job-processed",
                                null,
                                "job-processed",
                                null,
                                null));
    }

    @Test
    void workerConnectionEventsBeatTheWorkerAndDisconnectIsGraceful() {
        assertThat(Heartbeats.of(event("worker-connected", null, ORCH, WORKER)))
                .containsExactly(
                        beat(
                                WORKER,
                                "worker",
                                "worker-connected",
                                null,
                                "worker-connected",
                                null,
                                null));
        assertThat(Heartbeats.of(event("worker-disconnected", null, ORCH, WORKER)))
                .containsExactly(
                        beat(
                                WORKER,
                                "worker",
                                "worker-disconnected",
                                null,
                                "worker-disconnected",
                                null,
                                Heartbeat.GRACEFUL));
    }

    @Test
    void resetSignalsOnlyTheNodeKindThatRestarted() {
        assertThat(Heartbeats.of(event("node_trace", "gateway-reset", GATEWAY)))
                .containsExactly(
                        beat(
                                GATEWAY,
                                "gateway",
                                "node_trace",
                                "gateway-reset",
                                "node_trace",
                                null,
                                Heartbeat.RESET));
        assertThat(Heartbeats.of(event("node_trace", "orchestrator-reset", GATEWAY)))
                .extracting(h -> h.signal)
                .containsExactly((String) null);
    }

    @Test
    void unknownFamilyAndUnnamedEventsBeatNothing() {
        assertThat(Heartbeats.of(event("unknown_family", null, GATEWAY))).isEmpty();
        assertThat(Heartbeats.of(event("stream_trace", "x"))).isEmpty();
        TelemetryEvent none = event("stream_trace", "x");
        none.nodeIds = null;
        assertThat(Heartbeats.of(none)).isEmpty();
    }

    @Test
    void flatMapEmitsTheSameHeartbeats() {
        TelemetryEvent e = event("network_capabilities", null, GATEWAY, HOT, OTHER);
        List<Heartbeat> out = new ArrayList<>();
        new Heartbeats()
                .flatMap(
                        e,
                        new Collector<>() {
                            @Override
                            public void collect(Heartbeat h) {
                                out.add(h);
                            }

                            @Override
                            public void close() {}
                        });

        assertThat(out).isEqualTo(Heartbeats.of(e));
    }

    @Test
    void heartbeatStateAndOutputArePojos() {
        assertSerializedAsPojoWithoutKryo(Heartbeat.class);
        assertSerializedAsPojoWithoutKryo(NodeLiveness.class);
        assertSerializedAsPojoWithoutKryo(SourceCadence.class);
        assertSerializedAsPojoWithoutKryo(NodeTransition.class);
    }
}
