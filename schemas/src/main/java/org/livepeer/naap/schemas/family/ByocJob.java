package org.livepeer.naap.schemas.family;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The bring-your-own-container job families ({@code job_gateway}, {@code job_orchestrator}, {@code
 * job_auth}, {@code job_payment}, {@code worker_lifecycle}): one record, as they share their
 * fields. No field is required.
 *
 * @param workerModels the {@code model} of each {@code worker_options[]} entry that has one; null
 *     when {@code worker_options} is absent or null
 */
public record ByocJob(
        String requestId,
        String capability,
        Boolean success,
        Double durationMs,
        Long httpStatus,
        String workerUrl,
        OrchestratorInfo orchestratorInfo,
        BigDecimal amount,
        String currency,
        List<String> workerModels)
        implements FamilyPayload {

    static ByocJob read(JsonNode data) {
        String p = Read.ROOT;
        Read.requireObject(data, p);
        return new ByocJob(
                Read.text(data, "request_id", p),
                Read.text(data, "capability", p),
                Read.bool(data, "success", p),
                Read.dbl(data, "duration_ms", p),
                Read.lng(data, "http_status", p),
                Read.text(data, "worker_url", p),
                OrchestratorInfo.read(data, p),
                Read.dec(data, "amount", p),
                Read.text(data, "currency", p),
                workerModels(data, p));
    }

    private static List<String> workerModels(JsonNode data, String parent) {
        JsonNode a = Read.array(data, "worker_options", parent);
        if (a == null) {
            return null;
        }
        String ap = Read.path(parent, "worker_options");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            String model = Read.text(Read.element(a, i, ap), "model", Read.path(ap, i));
            if (model != null) {
                out.add(model);
            }
        }
        return Collections.unmodifiableList(out);
    }

    @Override
    public List<String> nodeIds() {
        return OrchestratorInfo.nodeIds(orchestratorInfo);
    }
}
