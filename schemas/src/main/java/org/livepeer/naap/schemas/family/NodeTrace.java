package org.livepeer.naap.schemas.family;

import com.fasterxml.jackson.databind.JsonNode;
import org.livepeer.naap.schemas.Reasons;

/**
 * {@code node_trace}: a node process (re)started. The payload is a non-empty string.
 *
 * @param value {@code gateway-reset}, {@code orchestrator-reset}, {@code transcoder-reset}, {@code
 *     node-reset}
 */
public record NodeTrace(String value) implements FamilyPayload {
    /** The payload value a gateway sends at start. */
    public static final String GATEWAY_RESET = "gateway-reset";

    static NodeTrace read(JsonNode data) {
        String p = Read.ROOT;
        if (data == null || data.isNull() || data.isMissingNode()) {
            throw Read.missing(p, "a non-empty string");
        }
        if (!data.isTextual()) {
            throw Read.wrongType(p, "a non-empty string", data);
        }
        if (data.textValue().isEmpty()) {
            throw new InvalidPayloadException(Reasons.missingField(p), p + " is an empty string");
        }
        return new NodeTrace(data.textValue());
    }

    @Override
    public String subtype() {
        return value;
    }
}
