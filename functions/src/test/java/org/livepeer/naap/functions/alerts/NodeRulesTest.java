package org.livepeer.naap.functions.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.util.Collector;
import org.apache.flink.util.TimeUtils;
import org.junit.jupiter.api.Test;
import org.livepeer.naap.schemas.output.NodeTransition;

/** A node's DOWN_ABRUPT holds NodeDownAbrupt; its next sign of life clears it. */
class NodeRulesTest {
    private static final long T0 = 1_768_478_400_000L;

    private static NodeTransition t(String transition, long at, Long lastSeen) {
        NodeTransition t = new NodeTransition();
        t.nodeId = "orchestrator:0xabc";
        t.nodeKind = "orchestrator";
        t.transition = transition;
        t.at = at;
        t.lastSeen = lastSeen;
        t.timeoutMs = NodeTransition.DOWN_ABRUPT.equals(transition) ? 45_000L : null;
        t.activeSessions =
                NodeTransition.DOWN_ABRUPT.equals(transition) ? new String[] {"s|1"} : null;
        t.reason = "silent";
        return t;
    }

    private static List<AlertSignal> run(AlertConfig config, NodeTransition... ts) {
        List<AlertSignal> out = new ArrayList<>();
        NodeRules rules = new NodeRules(config);
        Collector<AlertSignal> c =
                new Collector<>() {
                    @Override
                    public void collect(AlertSignal s) {
                        out.add(s);
                    }

                    @Override
                    public void close() {}
                };
        for (NodeTransition t : ts) {
            rules.flatMap(t, c);
        }
        return out;
    }

    @Test
    void downAbruptHoldsAndRecoveryClears() {
        List<AlertSignal> s =
                run(
                        AlertConfig.defaults(),
                        t("UP", T0, null),
                        t("DOWN_ABRUPT", T0 + 60_000, T0 + 10_000),
                        t("RECOVERED", T0 + 120_000, T0 + 10_000));
        assertThat(s).extracting(x -> x.holds).containsExactly(true, false);
        AlertSignal down = s.get(0);
        assertThat(down.entity).isEqualTo("orchestrator:0xabc");
        assertThat(down.value).isEqualTo(50.0); // 50 s of silence before it was declared down
        assertThat(down.threshold).isEqualTo(45.0);
        assertThat(down.windowStart).isEqualTo(T0 + 10_000);
        assertThat(down.windowEnd).isEqualTo(T0 + 60_000);
        assertThat(down.evidence)
                .isEqualTo(
                        "{\"node_kind\":\"orchestrator\",\"transition\":\"DOWN_ABRUPT\","
                                + "\"last_seen\":\"2026-01-15T12:00:10Z\",\"reason\":\"silent\","
                                + "\"timeout_ms\":45000,\"active_sessions\":[\"s|1\"]}");
        assertThat(s.get(1).windowEnd).isEqualTo(T0 + 120_000);
    }

    @Test
    void disabledSendsNothing() {
        AlertConfig off =
                AlertConfig.defaults()
                        .with("NodeDownAbrupt.enabled=false", TimeUtils::parseDuration);
        assertThat(run(off, t("DOWN_ABRUPT", T0 + 60_000, T0))).isEmpty();
    }

    @Test
    void settingsAreCheckedWithClearMessages() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> AlertConfig.defaults().with("Nope.for=1m", TimeUtils::parseDuration))
                .hasMessageContaining("no rule named Nope");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () ->
                                AlertConfig.defaults()
                                        .with("JitterHigh.colour=red", TimeUtils::parseDuration))
                .hasMessageContaining("unknown setting 'colour'");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () ->
                                AlertConfig.defaults()
                                        .with("JitterHigh.window=90s", TimeUtils::parseDuration))
                .hasMessageContaining("whole number of minutes");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () ->
                                AlertConfig.defaults()
                                        .with("JitterHigh.severity=loud", TimeUtils::parseDuration))
                .hasMessageContaining("critical, warning or info");
    }
}
