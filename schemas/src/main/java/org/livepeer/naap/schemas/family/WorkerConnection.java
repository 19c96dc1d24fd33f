package org.livepeer.naap.schemas.family;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.livepeer.naap.schemas.NodeIds;

/**
 * {@code worker-connected} and {@code worker-disconnected}: a transcoder or worker attached to or
 * left an orchestrator. Required: {@code ethAddress} (the orchestrator's).
 *
 * @param connection the worker's remote address ({@code 127.0.0.1:46800})
 */
public record WorkerConnection(String connection, String ethAddress) implements FamilyPayload {

    static WorkerConnection read(JsonNode data) {
        String p = Read.ROOT;
        Read.requireObject(data, p);
        String ethAddress = Read.requiredText(data, "ethAddress", p);
        return new WorkerConnection(Read.text(data, "connection", p), ethAddress);
    }

    @Override
    public List<String> nodeIds() {
        return NodeIds.of(NodeIds.worker(ethAddress, connection), NodeIds.orchestrator(ethAddress));
    }
}
