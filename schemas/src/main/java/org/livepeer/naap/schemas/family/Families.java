package org.livepeer.naap.schemas.family;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.livepeer.naap.schemas.Family;
import org.livepeer.naap.schemas.Reasons;
import org.livepeer.naap.schemas.TelemetryEvent;

/**
 * Decodes a family payload into its typed record. The parser validates every payload with this same
 * decoding, so an accepted event always decodes, and what is validated is exactly what is read.
 */
public final class Families {
    private Families() {}

    /**
     * The typed payload of an accepted event.
     *
     * @param mapper the task's {@link ObjectMapper}, to read {@link TelemetryEvent#payload}
     * @throws InvalidPayloadException if the payload is not JSON or not valid for its family (never
     *     for an event the parser accepted)
     */
    public static FamilyPayload decode(ObjectMapper mapper, TelemetryEvent event) {
        JsonNode payload = null;
        if (event.payload != null) {
            try {
                payload = mapper.readTree(event.payload);
            } catch (JsonProcessingException e) {
                throw new InvalidPayloadException(
                        Reasons.MALFORMED_JSON, "payload is not JSON: " + e.getOriginalMessage());
            }
        }
        return decode(Family.ofType(event.family), payload);
    }

    /**
     * The typed payload of {@code family}.
     *
     * @param payload the payload ({@code data}, {@code payload} or {@code Payload}); null when
     *     absent
     * @throws InvalidPayloadException when a required field is missing or a field has the wrong
     *     JSON type; its {@link InvalidPayloadException#reason()} is the rejection reason class
     */
    public static FamilyPayload decode(Family family, JsonNode payload) {
        switch (family) {
            case STREAM_TRACE:
                return StreamTrace.read(payload);
            case AI_STREAM_STATUS:
                return AiStreamStatus.read(payload);
            case AI_STREAM_EVENTS:
                return AiStreamEvent.read(payload);
            case STREAM_INGEST_METRICS:
                return StreamIngestMetrics.read(payload);
            case DISCOVERY_RESULTS:
                return DiscoveryResults.read(payload);
            case CREATE_NEW_PAYMENT:
                return CreateNewPayment.read(payload);
            case CREATE_SIGNED_TICKET:
                return CreateSignedTicket.read(payload);
            case NETWORK_CAPABILITIES:
                return NetworkCapabilities.read(payload);
            case AI_BATCH_REQUEST:
                return AiBatchRequest.read(payload);
            case AI_LLM_REQUEST:
                return AiLlmRequest.read(payload);
            case JOB_GATEWAY:
            case JOB_ORCHESTRATOR:
            case JOB_AUTH:
            case JOB_PAYMENT:
            case WORKER_LIFECYCLE:
                return ByocJob.read(payload);
            case NODE_TRACE:
                return NodeTrace.read(payload);
            case WORKER_CONNECTED:
            case WORKER_DISCONNECTED:
                return WorkerConnection.read(payload);
            case JOB_RECEIVED:
                return JobReceived.read(payload);
            case JOB_PROCESSED:
                return JobProcessed.read(payload);
            case TICKET_REDEEMED:
                return TicketRedeemed.read(payload);
            case UNKNOWN:
            default:
                return new UnknownPayload(payload == null ? null : payload.toString());
        }
    }
}
