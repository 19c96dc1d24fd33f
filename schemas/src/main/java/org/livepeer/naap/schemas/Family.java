package org.livepeer.naap.schemas;

import java.util.HashMap;
import java.util.Map;

/** The event families of EVENTS.md, by their wire {@code type}. */
public enum Family {
    STREAM_TRACE("stream_trace", true),
    AI_STREAM_STATUS("ai_stream_status", true),
    AI_STREAM_EVENTS("ai_stream_events", true),
    STREAM_INGEST_METRICS("stream_ingest_metrics", true),
    DISCOVERY_RESULTS("discovery_results", false),
    CREATE_NEW_PAYMENT("create_new_payment", false),
    CREATE_SIGNED_TICKET("create_signed_ticket", false),
    NETWORK_CAPABILITIES("network_capabilities", false),
    AI_BATCH_REQUEST("ai_batch_request", false),
    AI_LLM_REQUEST("ai_llm_request", false),
    JOB_GATEWAY("job_gateway", false),
    JOB_ORCHESTRATOR("job_orchestrator", false),
    JOB_AUTH("job_auth", false),
    JOB_PAYMENT("job_payment", false),
    WORKER_LIFECYCLE("worker_lifecycle", false),
    NODE_TRACE("node_trace", false),
    WORKER_CONNECTED("worker-connected", false),
    WORKER_DISCONNECTED("worker-disconnected", false),
    JOB_RECEIVED("job-received", false),
    JOB_PROCESSED("job-processed", false),
    TICKET_REDEEMED("ticket-redeemed", false),
    /** Any other {@code type} with the minimum envelope: archived, feeds no metric. */
    UNKNOWN("unknown_family", false);

    private static final Map<String, Family> BY_WIRE_NAME = new HashMap<>();

    static {
        for (Family f : values()) {
            if (f != UNKNOWN) {
                BY_WIRE_NAME.put(f.wireName, f);
            }
        }
    }

    private final String wireName;
    private final boolean sessionBearing;

    Family(String wireName, boolean sessionBearing) {
        this.wireName = wireName;
        this.sessionBearing = sessionBearing;
    }

    /** The {@code type} string producers send; {@code unknown_family} for {@link #UNKNOWN}. */
    public String wireName() {
        return wireName;
    }

    /** True for the families that carry {@code stream_id}/{@code request_id} and form sessions. */
    public boolean sessionBearing() {
        return sessionBearing;
    }

    /**
     * True for the families whose payload carries the node's own {@code timestamp}, which is the
     * event time when sane (stream_trace, ai_stream_status, stream_ingest_metrics).
     */
    public boolean hasPayloadTime() {
        return this == STREAM_TRACE || this == AI_STREAM_STATUS || this == STREAM_INGEST_METRICS;
    }

    /**
     * True for the families only a gateway emits, so that a Streamr publisher id on them names the
     * gateway. ({@code node_trace} names its node in its payload: the parser treats {@code
     * gateway-reset} the same way.)
     */
    public boolean gatewayEmitted() {
        switch (this) {
            case STREAM_TRACE:
            case AI_STREAM_STATUS:
            case AI_STREAM_EVENTS:
            case STREAM_INGEST_METRICS:
            case DISCOVERY_RESULTS:
            case CREATE_NEW_PAYMENT:
            case NETWORK_CAPABILITIES:
            case AI_BATCH_REQUEST:
            case AI_LLM_REQUEST:
            case JOB_GATEWAY:
                return true;
            default:
                return false;
        }
    }

    /** The family of a wire {@code type}; {@link #UNKNOWN} for anything else (never null). */
    public static Family ofType(String type) {
        Family f = type == null ? null : BY_WIRE_NAME.get(type);
        return f == null ? UNKNOWN : f;
    }
}
