package org.livepeer.naap.functions.alerts;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.livepeer.naap.schemas.output.Alert;

/**
 * Turns rule evaluations into alert records: one {@code FIRING} when a rule's condition has held
 * for its {@code for} duration, one {@code RESOLVED} when it has been clear for its {@code
 * clear-for} duration (or when its entity sent nothing for {@code stale-after}, so that the state
 * of a node that never returns does not live forever), nothing in between. At the end of a bounded
 * input no alert is resolved as stale: it was still firing when the data ended.
 *
 * <p>Input: {@link AlertSignal}s keyed by {@link AlertSignal#key()} (rule and entity), each
 * entity's evaluations in window order. Output: {@link Alert}s. State: one small record per rule
 * and entity while the condition holds or the alert fires, cleared on {@code RESOLVED}, when a
 * pending condition clears, or by the stale timer; nothing is kept for an entity that is fine.
 * Because the state and the position of the input are checkpointed together, a restart neither
 * repeats nor loses a record (with exactly-once sinks). The alert id is derived from rule, entity
 * and the time the condition began, so a replay of the same input gives the same ids.
 *
 * <p>Metrics: the gauge {@code naap.alerts_firing} (alerts firing now; the per-subtask count is
 * kept in operator state, so it survives restarts and rescaling).
 */
public class AlertStateMachine extends KeyedProcessFunction<String, AlertSignal, Alert>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    private final AlertConfig config;

    private transient ValueState<AlertState> state;
    private transient ListState<Long> firingCountState;
    private transient long firingCount;

    public AlertStateMachine(AlertConfig config) {
        this.config = config;
    }

    /** What is known about one rule for one entity; all times are event-time window ends. */
    public static class AlertState {
        /** The window end of the first evaluation of the current run that held. */
        public long holdingSince;

        public boolean firing;
        public String alertId;

        /** The window end of the first clear evaluation while firing; -1 while it holds. */
        public long clearSince = -1;

        /** The window end of the latest evaluation. */
        public long lastEvaluation;

        /** The clear evaluation that began the resolve (reported on RESOLVED). */
        public AlertSignal clearing;

        public AlertState() {}
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("alert", AlertState.class));
        getRuntimeContext()
                .getMetricGroup()
                .addGroup("naap")
                .gauge("alerts_firing", () -> firingCount);
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        firingCountState =
                context.getOperatorStateStore()
                        .getListState(new ListStateDescriptor<>("alerts-firing", Long.class));
        long sum = 0;
        for (Long count : firingCountState.get()) {
            sum += count;
        }
        firingCount = sum;
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        firingCountState.update(List.of(firingCount));
    }

    @Override
    public void processElement(AlertSignal s, Context ctx, Collector<Alert> out) throws Exception {
        AlertRule rule = config.rule(s.rule);
        if (!rule.enabled()) {
            return;
        }
        AlertState st = state.value();
        if (st != null && s.windowEnd < st.lastEvaluation) {
            return; // an older evaluation than one already decided on
        }
        if (s.holds) {
            if (st == null) {
                st = new AlertState();
                st.holdingSince = s.windowEnd;
            } else {
                ctx.timerService().deleteEventTimeTimer(staleAt(st, rule));
            }
            st.clearSince = -1;
            st.clearing = null;
            st.lastEvaluation = s.windowEnd;
            if (!st.firing && s.windowEnd - st.holdingSince >= rule.forDuration().toMillis()) {
                st.firing = true;
                st.alertId = alertId(s.rule, s.entity, st.holdingSince);
                firingCount++;
                out.collect(record(rule, st.alertId, s, Alert.FIRING, s.windowEnd));
            }
            ctx.timerService().registerEventTimeTimer(staleAt(st, rule));
            state.update(st);
            return;
        }
        if (st == null) {
            return;
        }
        if (!st.firing) {
            // Pending and cleared before it fired: forget it.
            ctx.timerService().deleteEventTimeTimer(staleAt(st, rule));
            state.clear();
            return;
        }
        ctx.timerService().deleteEventTimeTimer(staleAt(st, rule));
        st.lastEvaluation = s.windowEnd;
        if (st.clearSince < 0) {
            st.clearSince = s.windowEnd;
            st.clearing = s;
        }
        long resolveAt = st.clearSince + rule.clearFor().toMillis();
        if (s.windowEnd >= resolveAt) {
            resolve(rule, st, st.clearing, resolveAt, out);
            return;
        }
        ctx.timerService().registerEventTimeTimer(resolveAt);
        ctx.timerService().registerEventTimeTimer(staleAt(st, rule));
        state.update(st);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        AlertState st = state.value();
        if (st == null) {
            return;
        }
        String ruleName = ctx.getCurrentKey().substring(0, ctx.getCurrentKey().indexOf('|'));
        AlertRule rule = config.rule(ruleName);
        if (st.firing && st.clearSince >= 0) {
            long resolveAt = st.clearSince + rule.clearFor().toMillis();
            if (timestamp >= resolveAt) {
                resolve(rule, st, st.clearing, resolveAt, out);
                return;
            }
        }
        if (timestamp >= staleAt(st, rule)) {
            if (ctx.timerService().currentWatermark() == Long.MAX_VALUE) {
                // The end of a bounded input, not time passing: what fires at the end of the
                // data is still firing.
                return;
            }
            if (st.firing) {
                String entity = ctx.getCurrentKey().substring(ruleName.length() + 1);
                AlertSignal stale =
                        new AlertSignal(
                                ruleName,
                                entity,
                                false,
                                null,
                                null,
                                st.lastEvaluation,
                                timestamp,
                                new Evidence()
                                        .put("reason", "stale")
                                        .put(
                                                "detail",
                                                "no evaluation for "
                                                        + rule.staleAfter()
                                                        + ": the entity is gone or silent")
                                        .toString());
                resolve(rule, st, stale, timestamp, out);
            } else {
                state.clear();
            }
        }
    }

    private void resolve(
            AlertRule rule, AlertState st, AlertSignal clearing, long at, Collector<Alert> out) {
        out.collect(record(rule, st.alertId, clearing, Alert.RESOLVED, at));
        firingCount--;
        state.clear();
    }

    private static long staleAt(AlertState st, AlertRule rule) {
        return st.lastEvaluation + rule.staleAfter().toMillis();
    }

    private static Alert record(AlertRule rule, String id, AlertSignal s, String state, long at) {
        Alert a = new Alert();
        a.alertId = id;
        a.rule = rule.name();
        a.severity = rule.severity();
        a.entity = s.entity;
        a.value = s.value;
        a.threshold = s.threshold;
        a.windowStart = s.windowStart;
        a.windowEnd = s.windowEnd;
        a.state = state;
        a.evidence = s.evidence;
        a.at = at;
        return a;
    }

    /** The id of the firing of {@code rule} for {@code entity} that began at {@code since}. */
    public static String alertId(String rule, String entity, long since) {
        return UUID.nameUUIDFromBytes(
                        (rule + '|' + entity + '|' + since).getBytes(StandardCharsets.UTF_8))
                .toString();
    }
}
