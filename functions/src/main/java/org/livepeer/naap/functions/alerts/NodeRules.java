package org.livepeer.naap.functions.alerts;

import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;
import org.livepeer.naap.schemas.output.NodeTransition;

/**
 * The {@code NodeDownAbrupt} rule: a node's {@code DOWN_ABRUPT} holds (value: the silence, in
 * seconds, that the detector allowed before declaring it; threshold: its timeout in seconds), its
 * next sign of life ({@code UP}, {@code RECOVERED}, {@code RESTARTED}) or a graceful leave clears.
 * The entity is the node id. Stateless.
 */
public class NodeRules implements FlatMapFunction<NodeTransition, AlertSignal> {
    private static final long serialVersionUID = 1L;

    private final boolean enabled;

    public NodeRules(AlertConfig config) {
        this.enabled = config.rule(AlertConfig.NODE_DOWN_ABRUPT).enabled();
    }

    @Override
    public void flatMap(NodeTransition t, Collector<AlertSignal> out) {
        if (!enabled || NodeTransition.UP.equals(t.transition)) {
            // UP is a node's first sign of life: nothing can be firing for it.
            return;
        }
        boolean down = NodeTransition.DOWN_ABRUPT.equals(t.transition);
        long lastSeen = t.lastSeen == null ? t.at : t.lastSeen;
        Evidence evidence =
                new Evidence()
                        .put("node_kind", t.nodeKind)
                        .put("transition", t.transition)
                        .put("last_seen", java.time.Instant.ofEpochMilli(lastSeen).toString())
                        .put("reason", t.reason);
        if (down) {
            evidence.put("timeout_ms", t.timeoutMs == null ? 0 : t.timeoutMs)
                    .put("active_sessions", t.activeSessions);
        }
        out.collect(
                new AlertSignal(
                        AlertConfig.NODE_DOWN_ABRUPT,
                        t.nodeId,
                        down,
                        down ? (t.at - lastSeen) / 1000.0 : null,
                        down && t.timeoutMs != null ? t.timeoutMs / 1000.0 : null,
                        down ? lastSeen : t.at,
                        t.at,
                        evidence.toString()));
    }
}
