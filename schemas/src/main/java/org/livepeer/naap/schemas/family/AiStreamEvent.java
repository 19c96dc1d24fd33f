package org.livepeer.naap.schemas.family;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * {@code ai_stream_events}: a gateway error or prompt update, or a relayed runner event. Required:
 * {@code type}. Gateway-side events carry no {@code timestamp}; the runner's {@code restart_time}
 * and {@code time} (float epoch seconds) are read as epoch ms.
 *
 * @param type the subtype ({@code error}, {@code params_update}, {@code restart}...)
 * @param params the new prompt and parameters as sent (JSON text unless a string)
 */
public record AiStreamEvent(
        String type,
        String streamId,
        String requestId,
        String pipelineId,
        String pipeline,
        String message,
        String capability,
        String params,
        OrchestratorInfo orchestratorInfo,
        Long timestamp,
        Long restartCount,
        Long restartTime,
        String restartLogs,
        Long time)
        implements SessionPayload {

    static AiStreamEvent read(JsonNode data) {
        String p = Read.ROOT;
        Read.requireObject(data, p);
        return new AiStreamEvent(
                Read.requiredText(data, "type", p),
                Read.text(data, "stream_id", p),
                Read.text(data, "request_id", p),
                Read.text(data, "pipeline_id", p),
                Read.text(data, "pipeline", p),
                Read.json(data, "message"),
                Read.text(data, "capability", p),
                Read.json(data, "params"),
                OrchestratorInfo.read(data, p),
                Read.time(data, "timestamp", p),
                Read.lng(data, "restart_count", p),
                Read.time(data, "restart_time", p),
                Read.json(data, "restart_logs"),
                Read.time(data, "time", p));
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
