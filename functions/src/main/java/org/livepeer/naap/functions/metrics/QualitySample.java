package org.livepeer.naap.functions.metrics;

import java.util.Objects;

/**
 * One status sample of a session as the windowed metrics see it (METRICS.md: a session's status
 * samples count in the windows they fall in, for the orchestrator that produced them): emitted by
 * the session tracker ({@code SessionTracker#QUALITY_SAMPLES}) as it applies the sample. A POJO.
 */
public class QualitySample {
    public String sessionId;

    /** The sample's event time: the window it counts in. */
    public long eventTime;

    /** The orchestrator the sample names ({@code orchestrator_info}): URI and address as sent. */
    public String orchestratorUrl;

    public String orchestratorAddress;

    /** The session's pipeline and model as known after the sample. */
    public String pipeline;

    public String model;

    /**
     * The output fps, when the sample counts toward {@code output_fps} (from the session's first
     * sample above 0 on, later zeros included); else null.
     */
    public Double fps;

    /**
     * The output frame interval {@code 1 / fps} of an {@code ONLINE} sample above 0 fps; else null.
     */
    public Double frameInterval;

    /**
     * The ONLINE time this sample adds to its session (0 unless it and the one before are ONLINE).
     */
    public long onlineMs;

    /** Output fps over input fps at this sample, capped at 1; null when either is unknown. */
    public Double realtimeRatio;

    /**
     * For an ingest sample: the bits received from (upload) and sent to (download) the user since
     * the session's previous ingest sample, over {@link #ingestMs}; 0 for a status sample.
     */
    public long uploadBits;

    public long downloadBits;
    public long ingestMs;

    public QualitySample() {}

    @Override
    public boolean equals(Object o) {
        return o instanceof QualitySample q
                && eventTime == q.eventTime
                && Objects.equals(sessionId, q.sessionId)
                && Objects.equals(orchestratorUrl, q.orchestratorUrl)
                && Objects.equals(orchestratorAddress, q.orchestratorAddress)
                && Objects.equals(pipeline, q.pipeline)
                && Objects.equals(model, q.model)
                && Objects.equals(fps, q.fps)
                && Objects.equals(frameInterval, q.frameInterval)
                && onlineMs == q.onlineMs
                && Objects.equals(realtimeRatio, q.realtimeRatio)
                && uploadBits == q.uploadBits
                && downloadBits == q.downloadBits
                && ingestMs == q.ingestMs;
    }

    @Override
    public int hashCode() {
        return Objects.hash(sessionId, eventTime, orchestratorUrl);
    }
}
