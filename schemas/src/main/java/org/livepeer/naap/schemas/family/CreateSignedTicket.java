package org.livepeer.naap.schemas.family;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.livepeer.naap.schemas.NodeIds;

/**
 * {@code create_signed_ticket}: the remote signer's record of one live payment. No field is
 * required. Times are epoch ms ({@code current_time} is RFC 3339, {@code current_time_unix} ms).
 *
 * @param sessionBalance wei string
 * @param computedFee wei string
 */
public record CreateSignedTicket(
        String sessionId,
        String sessionStatus,
        String app,
        String pipeline,
        String requestId,
        String orchAddress,
        String orchUrl,
        String manifestId,
        String pmSessionId,
        Long currentTime,
        Long previousTime,
        Long currentTimeUnix,
        Long previousTimeUnix,
        Double billableSecs,
        Long pixels,
        Amount sessionBalance,
        Amount computedFee,
        Amount cost,
        Long sequenceNumber,
        Long numTickets,
        String authId)
        implements FamilyPayload {

    static CreateSignedTicket read(JsonNode data) {
        String p = Read.ROOT;
        Read.requireObject(data, p);
        return new CreateSignedTicket(
                Read.text(data, "session_id", p),
                Read.text(data, "session_status", p),
                Read.text(data, "app", p),
                Read.text(data, "pipeline", p),
                Read.text(data, "request_id", p),
                Read.text(data, "orch_address", p),
                Read.text(data, "orch_url", p),
                Read.text(data, "manifest_id", p),
                Read.text(data, "pm_session_id", p),
                Read.time(data, "current_time", p),
                Read.time(data, "previous_time", p),
                Read.time(data, "current_time_unix", p),
                Read.time(data, "previous_time_unix", p),
                Read.dbl(data, "billable_secs", p),
                Read.lng(data, "pixels", p),
                Read.amount(data, "session_balance", p),
                Read.amount(data, "computed_fee", p),
                Read.amount(data, "cost", p),
                Read.lng(data, "sequence_number", p),
                Read.lng(data, "num_tickets", p),
                Read.text(data, "auth_id", p));
    }

    @Override
    public List<String> nodeIds() {
        return NodeIds.of(NodeIds.orchestrator(orchAddress), NodeIds.orchestratorUri(orchUrl));
    }
}
