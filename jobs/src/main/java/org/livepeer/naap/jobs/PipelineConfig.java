package org.livepeer.naap.jobs;

import java.io.Serializable;
import java.time.Duration;
import org.livepeer.naap.functions.alerts.AlertConfig;
import org.livepeer.naap.functions.liveness.LivenessConfig;
import org.livepeer.naap.functions.sessions.SessionConfig;
import org.livepeer.naap.schemas.ParserConfig;

/**
 * The knobs of the pipeline itself (not of its connectors).
 *
 * @param parser limits of the parser
 * @param outOfOrderness how far behind the newest event time an event may arrive and still be in
 *     order (watermark bound)
 * @param idleness after how long without input a source split stops holding the watermark back
 * @param allowedLateness how far behind the watermark an event may arrive before it counts as late
 * @param dedupRetention how long (event time) an event id is remembered to recognize redeliveries
 * @param sessions the session tracker's timeouts and intervals
 * @param liveness node liveness timeouts
 * @param silenceGrace live inputs only (null for bounded ones): after this much wall-clock silence
 *     event time follows the wall clock, so timeouts still fire when every producer is silent
 * @param alerts the alert rules' thresholds and durations
 */
public record PipelineConfig(
        ParserConfig parser,
        Duration outOfOrderness,
        Duration idleness,
        Duration allowedLateness,
        Duration dedupRetention,
        SessionConfig sessions,
        LivenessConfig liveness,
        Duration silenceGrace,
        AlertConfig alerts)
        implements Serializable {

    /** The settings with the default alert rules. */
    public PipelineConfig(
            ParserConfig parser,
            Duration outOfOrderness,
            Duration idleness,
            Duration allowedLateness,
            Duration dedupRetention,
            SessionConfig sessions,
            LivenessConfig liveness,
            Duration silenceGrace) {
        this(
                parser,
                outOfOrderness,
                idleness,
                allowedLateness,
                dedupRetention,
                sessions,
                liveness,
                silenceGrace,
                AlertConfig.defaults());
    }

    public static PipelineConfig defaults() {
        return new PipelineConfig(
                ParserConfig.defaults(),
                Duration.ofSeconds(10),
                Duration.ofSeconds(30),
                Duration.ZERO,
                Duration.ofHours(1),
                SessionConfig.defaults(),
                LivenessConfig.defaults(),
                null);
    }

    /** The same settings for a live, unbounded input. */
    public PipelineConfig live(Duration grace) {
        return new PipelineConfig(
                parser,
                outOfOrderness,
                idleness,
                allowedLateness,
                dedupRetention,
                sessions,
                liveness,
                grace,
                alerts);
    }

    /** The same settings with other alert rules. */
    public PipelineConfig withAlerts(AlertConfig rules) {
        return new PipelineConfig(
                parser,
                outOfOrderness,
                idleness,
                allowedLateness,
                dedupRetention,
                sessions,
                liveness,
                silenceGrace,
                rules);
    }
}
