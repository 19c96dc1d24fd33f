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
    void statusSampleBeatsItsGatewayAndLeavesTheOrchestratorToBeResolved() {
        TelemetryEvent e = event("ai_stream_status", "status", GATEWAY, HOT, URI);
        e.sessionId = SESSION;

        Heartbeat orchestrator =
                beat(
                        null,
                        "orchestrator",
                        "ai_stream_status",
                        "status",
                        "ai_stream_status@" + GATEWAY,
                        SESSION,
                        null);
        orchestrator.address = "0xbbbb000000000000000000000000000000000002";
        orchestrator.uri = "https://orch-1.example:8935";
        assertThat(Heartbeats.of(e))
                .containsExactly(
                        beat(
                                GATEWAY,
                                "gateway",
                                "ai_stream_status",
                                "status",
                                "ai_stream_status",
                                SESSION,
                                null),
                        orchestrator);
    }

    @Test
    void statusNamingOnlyAUriCarriesTheUri() {
        TelemetryEvent e = event("ai_stream_status", "status", GATEWAY, URI);

        List<Heartbeat> beats = Heartbeats.of(e);

        assertThat(beats).extracting(h -> h.nodeId).containsExactly(GATEWAY, null);
        assertThat(beats.get(1).uri).isEqualTo("https://orch-1.example:8935");
        assertThat(beats.get(1).address).isNull();
    }

    @Test
    void capabilitiesBindEachEntrysAddressUriAndHotWallet() {
        TelemetryEvent e =
                event(
                        "network_capabilities",
                        null,
                        GATEWAY,
                        OTHER,
                        "orchestrator_uri:https://orch-3.example:8935");
        e.payload =
                "[{\"address\":\"0xCCCC000000000000000000000000000000000003\","
                        + "\"local_address\":\"0xBBBB000000000000000000000000000000000002\","
                        + "\"orch_uri\":\"https://orch-3.example:8935\"},"
                        + "{\"orch_uri\":\" https://orch-4.example:8935 \"},"
                        + "{\"capabilities\":{}}]";

        List<Heartbeat> beats = Heartbeats.of(e);

        assertThat(beats).extracting(h -> h.nodeId).containsExactly(GATEWAY, OTHER, null);
        Heartbeat bound = beats.get(1);
        assertThat(bound.authoritative).isTrue();
        assertThat(bound.address).isEqualTo("0xcccc000000000000000000000000000000000003");
        assertThat(bound.uri).isEqualTo("https://orch-3.example:8935");
        assertThat(bound.hotWallet).isEqualTo("0xbbbb000000000000000000000000000000000002");
        assertThat(bound.source).isEqualTo("network_capabilities@" + GATEWAY);
        Heartbeat uriOnly = beats.get(2);
        assertThat(uriOnly.authoritative).isFalse();
        assertThat(uriOnly.uri).isEqualTo("https://orch-4.example:8935");
    }

    @Test
    void closeTraceTellsTheSessionsGatewayAndOrchestratorItEnded() {
        TelemetryEvent e = event("stream_trace", "gateway_ingest_stream_closed", GATEWAY, HOT, URI);
        e.sessionId = SESSION;

        List<Heartbeat> beats = Heartbeats.of(e);

        assertThat(beats).extracting(h -> h.nodeId).containsExactly(GATEWAY, GATEWAY, null);
        assertThat(beats).extracting(Heartbeat::alive).containsExactly(true, false, false);
        assertThat(beats.get(1).sessionEnd()).isTrue();
        assertThat(beats.get(2).sessionEnd()).isTrue();
        assertThat(beats.get(2).nodeKind).isEqualTo("orchestrator");
        assertThat(beats).extracting(h -> h.sessionId).containsOnly(SESSION);
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
        Heartbeat expected =
                beat(OTHER, "orchestrator", "job-processed", null, "job-processed", null, null);
        expected.address = "0xcccc000000000000000000000000000000000003";
        assertThat(Heartbeats.of(event("job-processed", null, OTHER))).containsExactly(expected);
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
    void flatMapEmitsTheSameHeartbeats() throws Exception {
        TelemetryEvent e = event("network_capabilities", null, GATEWAY, HOT, OTHER);
        e.payload = "[{\"address\":\"0xcccc000000000000000000000000000000000003\"}]";
        List<Heartbeat> out = new ArrayList<>();
        Heartbeats function = new Heartbeats();
        function.open(null);
        function.flatMap(
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
        assertSerializedAsPojoWithoutKryo(OrchestratorIdentity.Binding.class);
        assertSerializedAsPojoWithoutKryo(NodeTransition.class);
    }
}
