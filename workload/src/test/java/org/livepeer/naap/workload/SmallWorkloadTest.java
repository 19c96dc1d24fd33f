package org.livepeer.naap.workload;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The small workloads: the embedded default of {@code ./naap run}, and a one-node network. */
class SmallWorkloadTest {

    @Test
    void embeddedWorkloadShowsEveryOutcomeAndEveryMessKindInAFewThousandEvents() {
        Generated g = Generated.embedded();
        Set<String> outcomes = new TreeSet<>();
        for (ObjectNode r : g.sessions) {
            outcomes.add(r.get("outcome").asText());
        }
        for (Outcome o : Outcome.values()) {
            assertThat(outcomes).contains(o.wireName());
        }
        for (MessConfig.Kind k : MessConfig.Kind.values()) {
            assertThat(g.mess(k.wireName(), "applied")).as(k.wireName()).isPositive();
        }
        assertThat(g.summary.accepted()).isBetween(1_000L, 10_000L);
        Set<String> transitions = new TreeSet<>();
        for (ObjectNode n : g.nodes) {
            transitions.add(n.get("transition").asText());
        }
        assertThat(transitions)
                .containsExactlyInAnyOrder(
                        "UP", "DOWN_ABRUPT", "DOWN_GRACEFUL", "RECOVERED", "RESTARTED");
    }

    @Test
    void oneGatewayAndOneOrchestratorCannotSwapOrDieSoThoseSessionsSucceed() {
        WorkloadConfig c = WorkloadConfig.embedded().withGateways(1).withOrchestrators(1);
        Generated g = Generated.of(c);
        assertThat(g.sessions).hasSize(c.sessions());
        for (ObjectNode r : g.sessions) {
            assertThat(r.get("outcome").asText())
                    .isNotIn(
                            "gateway_silent",
                            "orchestrator_dies",
                            "confirmed_swap",
                            "inferred_swap");
            assertThat(r.get("segments").asInt()).isLessThanOrEqualTo(1);
        }
        assertThat(g.workload.get("incidents").size()).isZero();
        assertThat(g.summary.balanced()).isTrue();
        Records r = Records.of(g.lines);
        assertThat(r.accepted).isEqualTo(g.summary.accepted());
    }

    @Test
    void noSessionsStillSimulatesTheNodes() {
        Generated g = Generated.of(WorkloadConfig.embedded().withSessions(0));
        assertThat(g.sessions).isEmpty();
        assertThat(g.summary.acceptedByFamily())
                .containsKeys(
                        "network_capabilities",
                        "discovery_results",
                        "node_trace",
                        "worker-connected")
                .doesNotContainKeys("stream_trace", "ai_stream_status");
    }
}
