package org.livepeer.naap.functions.alerts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The {@code TelemetryRejectedHigh} rule: records rejected over records received, per minute of
 * ingest time, over the rule's window, evaluated at the end of each minute while any count is in
 * the window. The entity is {@code intake}.
 *
 * <p>Input: {@link IntakeTally}s (event time = their minute), all under one key. Output: an {@link
 * AlertSignal} for each evaluation that holds and the first that no longer does. State: the minutes
 * of one window and whether the rule holds, cleared when both are empty.
 */
public class IntakeRule extends KeyedProcessFunction<String, IntakeTally, AlertSignal> {
    private static final long serialVersionUID = 1L;
    public static final String ENTITY = "intake";
    private static final long MINUTE = 60_000L;

    private final AlertRule rule;

    private transient MapState<Long, IntakeTally> minutes;
    private transient ValueState<Boolean> holding;

    public IntakeRule(AlertConfig config) {
        this.rule = config.rule(AlertConfig.TELEMETRY_REJECTED_HIGH);
    }

    @Override
    public void open(OpenContext openContext) {
        minutes =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "intake-minutes", Long.class, IntakeTally.class));
        holding =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("intake-holding", Boolean.class));
    }

    @Override
    public void processElement(IntakeTally t, Context ctx, Collector<AlertSignal> out)
            throws Exception {
        if (!rule.enabled()) {
            return;
        }
        IntakeTally sum = minutes.get(t.minute);
        if (sum == null) {
            sum = new IntakeTally(t.minute, 0, 0);
        }
        sum.received += t.received;
        sum.rejected += t.rejected;
        minutes.put(t.minute, sum);
        ctx.timerService().registerEventTimeTimer(t.minute + MINUTE);
    }

    @Override
    public void onTimer(long end, OnTimerContext ctx, Collector<AlertSignal> out) throws Exception {
        long start = end - rule.window().toMillis();
        long received = 0;
        long rejected = 0;
        List<Long> old = new ArrayList<>();
        boolean later = false;
        for (Map.Entry<Long, IntakeTally> e : minutes.entries()) {
            long m = e.getKey();
            if (m >= start && m < end) {
                received += e.getValue().received;
                rejected += e.getValue().rejected;
            }
            if (m < end + MINUTE - rule.window().toMillis()) {
                old.add(m);
            } else {
                later = true;
            }
        }
        Double value = received == 0 ? null : (double) rejected / received;
        boolean holds = value != null && received >= rule.minVolume() && value > rule.threshold();
        boolean held = Boolean.TRUE.equals(holding.value());
        if (holds || held) {
            out.collect(
                    new AlertSignal(
                            rule.name(),
                            ENTITY,
                            holds,
                            value,
                            rule.threshold(),
                            start,
                            end,
                            new Evidence()
                                    .put("received", received)
                                    .put("rejected", rejected)
                                    .put("window_minutes", rule.window().toMinutes())
                                    .toString()));
        }
        for (Long m : old) {
            minutes.remove(m);
        }
        if (holds) {
            holding.update(true);
        } else {
            holding.clear();
        }
        if (later || holds) {
            ctx.timerService().registerEventTimeTimer(end + MINUTE);
        }
    }
}
