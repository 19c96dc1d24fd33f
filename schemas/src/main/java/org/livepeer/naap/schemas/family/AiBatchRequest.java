package org.livepeer.naap.schemas.family;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.livepeer.naap.schemas.NodeIds;

/**
 * {@code ai_batch_request}: a batch AI job at the gateway. Required: {@code type}.
 *
 * @param type {@code ai_batch_request_received} or {@code ai_batch_request_completed}
 */
public record AiBatchRequest(
        String type,
        String requestId,
        String pipeline,
        String modelId,
        Boolean success,
        Long tries,
        Double durationMs,
        String orchUrl,
        Double latencyScore,
        Double pricePerUnit,
        String errorType,
        String error)
        implements FamilyPayload {

    static AiBatchRequest read(JsonNode data) {
        String p = Read.ROOT;
        Read.requireObject(data, p);
        return new AiBatchRequest(
                Read.requiredText(data, "type", p),
                Read.text(data, "request_id", p),
                Read.text(data, "pipeline", p),
                Read.text(data, "model_id", p),
                Read.bool(data, "success", p),
                Read.lng(data, "tries", p),
                Read.dbl(data, "duration_ms", p),
                Read.text(data, "orch_url", p),
                Read.dbl(data, "latency_score", p),
                Read.dbl(data, "price_per_unit", p),
                Read.text(data, "error_type", p),
                Read.json(data, "error"));
    }

    @Override
    public String subtype() {
        return type;
    }

    @Override
    public List<String> nodeIds() {
        return NodeIds.of(NodeIds.orchestratorUri(orchUrl));
    }
}
