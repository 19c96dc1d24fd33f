package org.livepeer.naap.schemas.output;

import java.util.Objects;

/**
 * One alert record (METRICS.md, "Alerts"): {@code FIRING} once when a rule's condition has held for
 * its {@code for} duration, {@code RESOLVED} once when it clears. Both records of one firing carry
 * the same {@code alertId}. Times are epoch milliseconds of event time.
 */
public class Alert {
    public static final String FIRING = "FIRING";
    public static final String RESOLVED = "RESOLVED";

    /** Stable per firing: the same rule, entity and start always give the same id. */
    public String alertId;

    /** The rule's name, e.g. {@code NodeDownAbrupt}. */
    public String rule;

    /** {@code critical}, {@code warning} or {@code info}. */
    public String severity;

    /** What the alert is about: a node id, a metric key, or {@code intake}. */
    public String entity;

    /** The measured value that decided (for RESOLVED: the value when it cleared; may be null). */
    public Double value;

    /** The rule's threshold (null for rules that are a flag, e.g. {@code FpsDegraded}). */
    public Double threshold;

    /** The evaluated window; a node transition's time for both ends of node rules. */
    public long windowStart;

    public long windowEnd;

    /** {@link #FIRING} or {@link #RESOLVED}. */
    public String state;

    /** What the value was computed from, as a JSON object (counts, session ids, last seen). */
    public String evidence;

    /** When the state was entered, in event time. */
    public long at;

    public Alert() {}

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Alert)) {
            return false;
        }
        Alert a = (Alert) o;
        return windowStart == a.windowStart
                && windowEnd == a.windowEnd
                && at == a.at
                && Objects.equals(alertId, a.alertId)
                && Objects.equals(rule, a.rule)
                && Objects.equals(severity, a.severity)
                && Objects.equals(entity, a.entity)
                && Objects.equals(value, a.value)
                && Objects.equals(threshold, a.threshold)
                && Objects.equals(state, a.state)
                && Objects.equals(evidence, a.evidence);
    }

    @Override
    public int hashCode() {
        return Objects.hash(alertId, state, at);
    }

    @Override
    public String toString() {
        return "Alert{" + rule + " " + state + " " + entity + " at " + at + " value " + value + "}";
    }
}
