package org.livepeer.naap.schemas.family;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.livepeer.naap.schemas.NodeIds;

/** {@code job-received}: an orchestrator received a job. No field is required. */
public record JobReceived(String ethAddress, String requestId, String pipeline, String modelId)
        implements FamilyPayload {

    static JobReceived read(JsonNode data) {
        String p = Read.ROOT;
        Read.requireObject(data, p);
        return new JobReceived(
                Read.text(data, "ethAddress", p),
                Read.text(data, "requestID", p),
                Read.text(data, "pipeline", p),
                Read.text(data, "modelID", p));
    }

    @Override
    public List<String> nodeIds() {
        return NodeIds.of(NodeIds.orchestrator(ethAddress));
    }
}
