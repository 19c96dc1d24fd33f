package org.livepeer.naap.schemas.family;

/** The payload of a session-bearing family: it names its stream and request. */
public sealed interface SessionPayload extends FamilyPayload
        permits StreamTrace, AiStreamStatus, AiStreamEvent, StreamIngestMetrics {

    /** {@code stream_id}; null when absent or empty. */
    String streamId();

    /** {@code request_id}; null when absent or empty. */
    String requestId();
}
