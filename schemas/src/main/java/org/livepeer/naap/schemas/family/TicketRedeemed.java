package org.livepeer.naap.schemas.family;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.List;
import org.livepeer.naap.schemas.NodeIds;

/**
 * {@code ticket-redeemed}: an orchestrator redeemed a winning ticket. No field is required.
 *
 * @param recipient the orchestrator's address
 * @param pricePerPixel wei per pixel
 */
public record TicketRedeemed(
        String recipient,
        String sender,
        Amount faceValue,
        Double winProb,
        BigDecimal pricePerPixel,
        Long creationRound,
        String txHash)
        implements FamilyPayload {

    static TicketRedeemed read(JsonNode data) {
        String p = Read.ROOT;
        Read.requireObject(data, p);
        return new TicketRedeemed(
                Read.text(data, "recipient", p),
                Read.text(data, "sender", p),
                Read.amount(data, "faceValue", p),
                Read.dbl(data, "winProb", p),
                Read.dec(data, "pricePerPixel", p),
                Read.lng(data, "creationRound", p),
                Read.text(data, "txHash", p));
    }

    @Override
    public List<String> nodeIds() {
        return NodeIds.of(NodeIds.orchestrator(recipient));
    }
}
