package org.livepeer.naap.functions.alerts;

/**
 * One evaluation of one rule for one entity, from the rule evaluators to {@link AlertStateMachine}:
 * whether the condition holds for the window ending at {@code windowEnd}, with the value and
 * evidence. Evaluators send every evaluation that holds and the first that no longer does; the
 * state machine decides FIRING and RESOLVED.
 */
public class AlertSignal {
    public String rule;
    public String entity;
    public boolean holds;
    public Double value;
    public Double threshold;
    public long windowStart;
    public long windowEnd;

    /** A JSON object: what the value was computed from. */
    public String evidence;

    public AlertSignal() {}

    public AlertSignal(
            String rule,
            String entity,
            boolean holds,
            Double value,
            Double threshold,
            long windowStart,
            long windowEnd,
            String evidence) {
        this.rule = rule;
        this.entity = entity;
        this.holds = holds;
        this.value = value;
        this.threshold = threshold;
        this.windowStart = windowStart;
        this.windowEnd = windowEnd;
        this.evidence = evidence;
    }

    /** The key of the state machine: one rule for one entity. */
    public String key() {
        return rule + "|" + entity;
    }

    @Override
    public String toString() {
        return "AlertSignal{"
                + rule
                + " "
                + entity
                + (holds ? " holds" : " clear")
                + " value "
                + value
                + " ["
                + windowStart
                + ", "
                + windowEnd
                + ")}";
    }
}
