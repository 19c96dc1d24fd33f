package org.livepeer.naap.schemas.family;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.livepeer.naap.schemas.NodeIds;

/**
 * The {@code orchestrator_info{address, url}} that traces, status and job events carry. Before an
 * orchestrator is selected both are {@code ""}: the whole value is then null (unknown).
 *
 * @param address as sent (often the orchestrator's hot wallet, lower case)
 * @param url the orchestrator's service URI
 */
public record OrchestratorInfo(String address, String url) {

    static OrchestratorInfo read(JsonNode parent, String parentPath) {
        JsonNode o = Read.object(parent, "orchestrator_info", parentPath);
        if (o == null) {
            return null;
        }
        String p = Read.path(parentPath, "orchestrator_info");
        String address = Read.text(o, "address", p);
        String url = Read.text(o, "url", p);
        return address == null && url == null ? null : new OrchestratorInfo(address, url);
    }

    static List<String> nodeIds(OrchestratorInfo info) {
        return info == null
                ? List.of()
                : NodeIds.of(NodeIds.orchestrator(info.address), NodeIds.orchestratorUri(info.url));
    }
}
