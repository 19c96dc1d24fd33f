package org.livepeer.naap.schemas;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import java.util.List;

/** The published JSON Schemas, loaded from the classpath with the real validator library. */
final class ContractSchema {
    static final String BASE = "https://livepeer.org/naap/schemas/v1/";
    static final String CLASSPATH = "classpath:naap/schemas/";

    /** Strict JSON, independent of the parser's mapper: the validator's view of a record. */
    static final ObjectMapper JSON =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private static final SchemaRegistry REGISTRY =
            SchemaRegistry.withDialect(
                    Dialects.getDraft202012(),
                    b -> b.schemaIdResolvers(r -> r.mapPrefix(BASE, CLASSPATH)));

    static final Schema EVENT = get("event.schema.json");

    private ContractSchema() {}

    static Schema get(String file) {
        return REGISTRY.getSchema(SchemaLocation.of(BASE + file));
    }

    /** The validation errors of {@code json}; a single pseudo-error when it is not JSON at all. */
    static List<String> errors(Schema schema, String json) {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            return List.of("not JSON: " + e.getOriginalMessage());
        }
        if (node == null || node.isMissingNode()) {
            return List.of("not JSON: empty");
        }
        return schema.validate(node).stream().map(Error::toString).toList();
    }

    static boolean valid(Schema schema, String json) {
        return errors(schema, json).isEmpty();
    }
}
