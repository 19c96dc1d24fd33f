package org.livepeer.naap.schemas.family;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.livepeer.naap.schemas.NodeIds;

/**
 * {@code discovery_results}: the orchestrators a gateway found, with their latency. The payload is
 * an array of objects (a single object is taken as a one-entry array).
 */
public record DiscoveryResults(List<Entry> entries) implements FamilyPayload {

    /**
     * One orchestrator found.
     *
     * @param latencyMs sent as a string ({@code "77"}), read as a number
     */
    public record Entry(String address, String url, Long latencyMs) {}

    static DiscoveryResults read(JsonNode data) {
        List<Entry> out = new ArrayList<>();
        for (Elements.Item item : Elements.objects(data, "an array of objects or an object")) {
            JsonNode e = item.node();
            String p = item.path();
            out.add(
                    new Entry(
                            Read.text(e, "address", p),
                            Read.text(e, "url", p),
                            Read.lng(e, "latency_ms", p)));
        }
        return new DiscoveryResults(Collections.unmodifiableList(out));
    }

    @Override
    public List<String> nodeIds() {
        List<String> ids = new ArrayList<>();
        for (Entry e : entries) {
            ids.addAll(NodeIds.of(NodeIds.orchestrator(e.address), NodeIds.orchestratorUri(e.url)));
        }
        return ids;
    }
}
