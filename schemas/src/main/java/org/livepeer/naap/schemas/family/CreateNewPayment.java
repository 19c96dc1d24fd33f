package org.livepeer.naap.schemas.family;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.List;
import org.livepeer.naap.schemas.NodeIds;

/**
 * {@code create_new_payment}: a gateway's ticket batch to an orchestrator. All values arrive as
 * strings. Required: {@code faceValue} and {@code winProb} (without them the payment has no value).
 *
 * @param requestId {@code requestID}: empty (null) for live AI after the first payment
 * @param recipient the orchestrator's address (EIP-55 mixed case)
 * @param orchestrator the orchestrator's service URL
 * @param faceValue {@code "2402400000000000 WEI"} or {@code "0.0034 ETH"}, with its wei value
 * @param price {@code "1635.021 wei/pixel"}, with its value in wei per unit
 */
public record CreateNewPayment(
        String sessionId,
        String manifestId,
        String requestId,
        String sender,
        String recipient,
        String orchestrator,
        Amount faceValue,
        Double winProb,
        Amount price,
        Long numTickets,
        String capability,
        String clientIp)
        implements FamilyPayload {

    static CreateNewPayment read(JsonNode data) {
        String p = Read.ROOT;
        Read.requireObject(data, p);
        Amount faceValue = Amount.of(Read.requiredValue(data, "faceValue", p));
        Read.requiredValue(data, "winProb", p);
        return new CreateNewPayment(
                Read.text(data, "sessionID", p),
                Read.text(data, "manifestID", p),
                Read.text(data, "requestID", p),
                Read.text(data, "sender", p),
                Read.text(data, "recipient", p),
                Read.text(data, "orchestrator", p),
                faceValue,
                Read.dbl(data, "winProb", p),
                Read.amount(data, "price", p),
                Read.lng(data, "numTickets", p),
                Read.text(data, "capability", p),
                Read.text(data, "clientIP", p));
    }

    /** Face value times win probability, in wei; null when either is unknown. */
    public BigDecimal expectedValueWei() {
        if (faceValue == null || faceValue.wei() == null || winProb == null) {
            return null;
        }
        return faceValue.wei().multiply(BigDecimal.valueOf(winProb));
    }

    @Override
    public List<String> nodeIds() {
        return NodeIds.of(NodeIds.orchestrator(recipient), NodeIds.orchestratorUri(orchestrator));
    }
}
