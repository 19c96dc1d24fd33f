package org.livepeer.naap.schemas.output;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One finished non-live job as one node reports it: a batch AI request or an LLM request at the
 * gateway, a bring-your-own-container job at the gateway or the orchestrator, or a transcoding
 * segment or batch AI job that an orchestrator processed ({@code job-processed}). The families
 * report these with different field names and units; this row gives them one shape (duration in ms,
 * success, real-time ratio, fees in wei), so that jobs of every kind can be counted and compared in
 * one table, {@code naap.jobs}, whose column names are the snake_case forms of these fields. Which
 * events become rows, and how each column is read per kind, is documented on {@code
 * org.livepeer.naap.functions.metrics.Jobs}.
 *
 * <p>One job can have more than one row: the gateway and the orchestrator each report a
 * bring-your-own-container job, and a batch AI job has a gateway row ({@link #KIND_BATCH_AI}) and,
 * when it succeeded, an orchestrator row ({@link #KIND_BATCH_AI_ORCHESTRATOR}); {@link #kind} and
 * {@link #stage} tell them apart, and {@link #requestId} joins them.
 *
 * <p>Unknown is null, never 0. Addresses are lower-cased. Times are epoch milliseconds.
 */
public class JobRow {
    /** {@code ai_batch_request_completed} at the gateway. */
    public static final String KIND_BATCH_AI = "batch_ai";

    /** {@code llm_request_completed} or {@code llm_stream_completed} at the gateway. */
    public static final String KIND_LLM = "llm";

    /** {@code job_gateway} or {@code job_orchestrator}: a bring-your-own-container job. */
    public static final String KIND_BYOC = "byoc";

    /** {@code job-processed} of a transcoding segment, at the orchestrator. */
    public static final String KIND_TRANSCODE = "transcode";

    /** {@code job-processed} of a batch AI job, at the orchestrator. */
    public static final String KIND_BATCH_AI_ORCHESTRATOR = "batch_ai_orchestrator";

    /** The envelope id of the event. */
    public String eventId;

    /** The event time, as in {@code naap.raw_events}. */
    public long eventTime;

    /** The event's family wire name, e.g. {@code ai_batch_request}, {@code job-processed}. */
    public String family;

    /** One of the {@code KIND_*} constants. */
    public String kind;

    /**
     * Which report of the job this is: the event's subtype where the family has one ({@code
     * ai_batch_request_completed}, {@code llm_stream_completed}), else its family ({@code
     * job_gateway}, {@code job_orchestrator}, {@code job-processed}).
     */
    public String stage;

    /** The job's request id; null for transcoding, which has none. */
    public String requestId;

    /** The envelope {@code gateway} host; null when empty. */
    public String gateway;

    /** The orchestrator's service URL, when the event names it. */
    public String orchestratorUrl;

    /** The orchestrator's Ethereum address (lower case), when the event names it. */
    public String orchestratorAddress;

    /** The pipeline, e.g. {@code text-to-image}, {@code llm}, a container's capability. */
    public String pipeline;

    /** The model id. */
    public String model;

    /** Whether the job succeeded. */
    public Boolean success;

    /** How long the job took, in milliseconds. */
    public Double durationMs;

    /**
     * Transcoding only, as the orchestrator sends it: segment length over processing time, a whole
     * number (4 in the capture of a 4167 ms segment processed in 845 ms). Null for other kinds,
     * whose events carry no media duration to compare with.
     */
    public Double realtimeRatio;

    /** Fees for the job in wei ({@link WeiDecimal}). */
    public BigDecimal feesWei;

    /** Compute units the orchestrator charged for (pixels for transcoding). */
    public Long computeUnits;

    /** LLM {@code total_tokens}: prompt plus completion tokens. */
    public Long tokens;

    /** LLM time to first token, ms. */
    public Double ttftMs;

    /** LLM tokens per second. */
    public Double tokensPerSecond;

    /** The error the job reported; null when none. */
    public String error;

    public JobRow() {}

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof JobRow)) {
            return false;
        }
        JobRow j = (JobRow) o;
        return eventTime == j.eventTime
                && Objects.equals(eventId, j.eventId)
                && Objects.equals(family, j.family)
                && Objects.equals(kind, j.kind)
                && Objects.equals(stage, j.stage)
                && Objects.equals(requestId, j.requestId)
                && Objects.equals(gateway, j.gateway)
                && Objects.equals(orchestratorUrl, j.orchestratorUrl)
                && Objects.equals(orchestratorAddress, j.orchestratorAddress)
                && Objects.equals(pipeline, j.pipeline)
                && Objects.equals(model, j.model)
                && Objects.equals(success, j.success)
                && Objects.equals(durationMs, j.durationMs)
                && Objects.equals(realtimeRatio, j.realtimeRatio)
                && Objects.equals(feesWei, j.feesWei)
                && Objects.equals(computeUnits, j.computeUnits)
                && Objects.equals(tokens, j.tokens)
                && Objects.equals(ttftMs, j.ttftMs)
                && Objects.equals(tokensPerSecond, j.tokensPerSecond)
                && Objects.equals(error, j.error);
    }

    @Override
    public int hashCode() {
        return Objects.hash(eventId, eventTime, kind);
    }

    @Override
    public String toString() {
        return "JobRow{"
                + kind
                + "/"
                + stage
                + " "
                + eventId
                + " t="
                + eventTime
                + " request="
                + requestId
                + " success="
                + success
                + " duration_ms="
                + durationMs
                + "}";
    }
}
