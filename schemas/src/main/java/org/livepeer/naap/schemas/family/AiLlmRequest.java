package org.livepeer.naap.schemas.family;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.livepeer.naap.schemas.NodeIds;

/**
 * {@code ai_llm_request}: an LLM job at the gateway. Required: {@code type}.
 *
 * @param type {@code llm_request_completed} or {@code llm_stream_completed}
 */
public record AiLlmRequest(
        String type,
        String requestId,
        String model,
        String orchUrl,
        Long promptTokens,
        Long completionTokens,
        Long totalTokens,
        Double totalDurationMs,
        Double tokensPerSecond,
        Double ttftMs,
        String finishReason,
        String error)
        implements FamilyPayload {

    static AiLlmRequest read(JsonNode data) {
        String p = Read.ROOT;
        Read.requireObject(data, p);
        return new AiLlmRequest(
                Read.requiredText(data, "type", p),
                Read.text(data, "request_id", p),
                Read.text(data, "model", p),
                Read.text(data, "orch_url", p),
                Read.lng(data, "prompt_tokens", p),
                Read.lng(data, "completion_tokens", p),
                Read.lng(data, "total_tokens", p),
                Read.dbl(data, "total_duration_ms", p),
                Read.dbl(data, "tokens_per_second", p),
                Read.dbl(data, "ttft_ms", p),
                Read.text(data, "finish_reason", p),
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
