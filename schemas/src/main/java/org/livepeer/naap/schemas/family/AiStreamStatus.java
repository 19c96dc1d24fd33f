package org.livepeer.naap.schemas.family;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * {@code ai_stream_status}: the runner's status, relayed by the gateway about every 10 s. No field
 * is required: a runner version that drops one must not lose every status sample. Times are epoch
 * ms whatever form they came in.
 *
 * @param type the subtype ({@code status})
 * @param pipeline as sent: often a model name
 */
public record AiStreamStatus(
        String type,
        String streamId,
        String requestId,
        String pipeline,
        String pipelineId,
        String state,
        Long startTime,
        Long timestamp,
        Long lastStatusTimestamp,
        Long lastStateUpdateTime,
        InferenceStatus inferenceStatus,
        InputStatus inputStatus,
        OrchestratorInfo orchestratorInfo)
        implements SessionPayload {

    /**
     * {@code inference_status}. {@code lastParams} and {@code lastRestartLogs} are sent once, then
     * null; they are kept as text (JSON text unless they were strings).
     */
    public record InferenceStatus(
            Double fps,
            String lastError,
            Long lastErrorTime,
            Long lastOutputTime,
            String lastParams,
            String lastParamsHash,
            Long lastParamsUpdateTime,
            String lastRestartLogs,
            Long lastRestartTime,
            Long restartCount) {}

    /** {@code input_status}. */
    public record InputStatus(Double fps, Long lastInputTime) {}

    static AiStreamStatus read(JsonNode data) {
        String p = Read.ROOT;
        Read.requireObject(data, p);
        return new AiStreamStatus(
                Read.text(data, "type", p),
                Read.text(data, "stream_id", p),
                Read.text(data, "request_id", p),
                Read.text(data, "pipeline", p),
                Read.text(data, "pipeline_id", p),
                Read.text(data, "state", p),
                Read.time(data, "start_time", p),
                Read.time(data, "timestamp", p),
                Read.time(data, "last_status_timestamp", p),
                Read.time(data, "last_state_update_time", p),
                inference(data, p),
                input(data, p),
                OrchestratorInfo.read(data, p));
    }

    private static InferenceStatus inference(JsonNode data, String parent) {
        JsonNode s = Read.object(data, "inference_status", parent);
        if (s == null) {
            return null;
        }
        String p = Read.path(parent, "inference_status");
        return new InferenceStatus(
                Read.dbl(s, "fps", p),
                Read.json(s, "last_error"),
                Read.time(s, "last_error_time", p),
                Read.time(s, "last_output_time", p),
                Read.json(s, "last_params"),
                Read.text(s, "last_params_hash", p),
                Read.time(s, "last_params_update_time", p),
                Read.json(s, "last_restart_logs"),
                Read.time(s, "last_restart_time", p),
                Read.lng(s, "restart_count", p));
    }

    private static InputStatus input(JsonNode data, String parent) {
        JsonNode s = Read.object(data, "input_status", parent);
        if (s == null) {
            return null;
        }
        String p = Read.path(parent, "input_status");
        return new InputStatus(Read.dbl(s, "fps", p), Read.time(s, "last_input_time", p));
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
