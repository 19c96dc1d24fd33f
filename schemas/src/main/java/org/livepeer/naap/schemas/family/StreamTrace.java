package org.livepeer.naap.schemas.family;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * {@code stream_trace}: one step of a stream's life ({@code gateway_receive_stream_request}, {@code
 * orchestrator_swap}...). Required: {@code type}.
 *
 * @param type the subtype
 * @param timestamp the node's own time in epoch ms; null on {@code orchestrator_swap}
 */
public record StreamTrace(
        String type,
        Long timestamp,
        String streamId,
        String requestId,
        String pipelineId,
        String pipeline,
        OrchestratorInfo orchestratorInfo,
        String message)
        implements SessionPayload {

    static StreamTrace read(JsonNode data) {
        String p = Read.ROOT;
        Read.requireObject(data, p);
        return new StreamTrace(
                Read.requiredText(data, "type", p),
                Read.time(data, "timestamp", p),
                Read.text(data, "stream_id", p),
                Read.text(data, "request_id", p),
                Read.text(data, "pipeline_id", p),
                Read.text(data, "pipeline", p),
                OrchestratorInfo.read(data, p),
                Read.json(data, "message"));
    }

    @Override
    public String subtype() {
        return type;
    }

    @Override
    public List<String> nodeIds() {
        return OrchestratorInfo.nodeIds(orchestratorInfo);
    }
}
