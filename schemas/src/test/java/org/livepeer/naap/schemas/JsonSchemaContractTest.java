package org.livepeer.naap.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The published JSON Schemas, checked with the real validator against what the parser accepts. */
class JsonSchemaContractTest {

    private static JsonNode schemaFile(String name) throws IOException {
        try (InputStream in =
                JsonSchemaContractTest.class.getResourceAsStream("/naap/schemas/" + name)) {
            assertThat(in).as(name).isNotNull();
            return ContractSchema.JSON.readTree(in);
        }
    }

    private static List<String> schemaFiles() {
        List<String> files = new ArrayList<>();
        files.add("event.schema.json");
        files.add("defs.schema.json");
        for (String shape : List.of("kafka-queue", "event-sink", "open-pool", "streamr-wrapper")) {
            files.add("envelope-" + shape + ".schema.json");
        }
        for (Family f : Family.values()) {
            if (f != Family.UNKNOWN) {
                files.add("family-" + f.wireName() + ".schema.json");
            }
        }
        return files;
    }

    @Test
    void everySampleLineIsValidAgainstTheEventSchema() {
        for (String line : Samples.all()) {
            assertThat(ContractSchema.errors(ContractSchema.EVENT, line)).as(line).isEmpty();
        }
    }

    @Test
    void everyAcceptedEventsRawIsValidAgainstTheEventSchema() {
        List<String> inputs = new ArrayList<>(Samples.all());
        inputs.addAll(Corpus.valid());
        int checked = 0;
        for (String input : inputs) {
            for (TelemetryEvent e : Parsed.parse(input).accepted) {
                assertThat(ContractSchema.errors(ContractSchema.EVENT, e.raw)).as(e.raw).isEmpty();
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(40);
    }

    @Test
    void eachEnvelopeSchemaAcceptsItsOwnShape() {
        String kafka = Samples.lines(Samples.KAFKA).get(0);
        String sink = Samples.lines(Samples.SINK).get(0);
        String openPool =
                "{\"ID\":\"op-1\",\"EventType\":\"node_trace\",\"Version\":1,"
                        + "\"Payload\":\"gateway-reset\",\"NodeType\":\"gateway\",\"Region\":\"eu\","
                        + "\"DT\":\"2025-12-05T16:24:24Z\"}";
        String wrapper = "{\"content\":" + kafka + ",\"metadata\":{\"timestamp\":1768483619200}}";

        assertThat(
                        ContractSchema.errors(
                                ContractSchema.get("envelope-kafka-queue.schema.json"), kafka))
                .isEmpty();
        assertThat(
                        ContractSchema.errors(
                                ContractSchema.get("envelope-event-sink.schema.json"), sink))
                .isEmpty();
        assertThat(
                        ContractSchema.errors(
                                ContractSchema.get("envelope-open-pool.schema.json"), openPool))
                .isEmpty();
        assertThat(
                        ContractSchema.errors(
                                ContractSchema.get("envelope-streamr-wrapper.schema.json"),
                                wrapper))
                .isEmpty();

        assertThat(
                        ContractSchema.valid(
                                ContractSchema.get("envelope-kafka-queue.schema.json"), sink))
                .as("an event-sink record is not a Kafka queue envelope")
                .isFalse();
        assertThat(
                        ContractSchema.valid(
                                ContractSchema.get("envelope-event-sink.schema.json"), kafka))
                .isFalse();
    }

    @Test
    void familySchemasValidatePayloadsOnTheirOwn() throws IOException {
        JsonNode status = ContractSchema.JSON.readTree(Samples.lines(Samples.KAFKA).get(3));
        JsonNode capabilities = ContractSchema.JSON.readTree(Samples.lines(Samples.SINK).get(5));
        Schema statusSchema = ContractSchema.get("family-ai_stream_status.schema.json");
        Schema ingestSchema = ContractSchema.get("family-stream_ingest_metrics.schema.json");
        Schema capabilitiesSchema = ContractSchema.get("family-network_capabilities.schema.json");

        assertThat(statusSchema.validate(status.get("data"))).isEmpty();
        assertThat(ingestSchema.validate(status.get("data"))).as("no stats").isNotEmpty();
        assertThat(capabilitiesSchema.validate(capabilities.get("payload"))).isEmpty();
        assertThat(capabilitiesSchema.validate(capabilities.get("payload").get(0)))
                .as("one orchestrator object stands for a one-entry array")
                .isEmpty();
    }

    @Test
    void timestampPatternsAreTheParsersOwn() throws IOException {
        JsonNode forms = schemaFile("defs.schema.json").at("/$defs/timestamp/anyOf");

        assertThat(forms.get(1).get("pattern").textValue()).isEqualTo(Timestamps.EPOCH_PATTERN);
        assertThat(forms.get(2).get("pattern").textValue()).isEqualTo(Timestamps.RFC3339_PATTERN);
    }

    @Test
    void everySchemaFileIsPublishableDraft202012() throws IOException {
        for (String name : schemaFiles()) {
            JsonNode s = schemaFile(name);
            assertThat(s.path("$schema").asText())
                    .as(name)
                    .isEqualTo("https://json-schema.org/draft/2020-12/schema");
            assertThat(s.path("$id").asText()).as(name).isEqualTo(ContractSchema.BASE + name);
            assertThat(s.path("title").asText()).as(name).isNotBlank();
            assertThat(s.path("description").asText()).as(name).isNotBlank();
            assertThat(ContractSchema.get(name)).as(name).isNotNull();
        }
    }

    @Test
    void theEventSchemaDispatchesEveryKnownFamily() throws IOException {
        JsonNode defs = schemaFile("event.schema.json").get("$defs");
        List<String> lowerCase = new ArrayList<>();
        defs.at("/families/allOf")
                .forEach(r -> lowerCase.add(r.at("/if/properties/type/const").asText()));
        List<String> openPool = new ArrayList<>();
        defs.at("/openPoolFamilies/allOf")
                .forEach(r -> openPool.add(r.at("/if/properties/EventType/const").asText()));

        List<String> known = new ArrayList<>();
        for (Family f : Family.values()) {
            if (f != Family.UNKNOWN) {
                known.add(f.wireName());
            }
        }
        assertThat(lowerCase).containsExactlyInAnyOrderElementsOf(known);
        assertThat(openPool).containsExactlyInAnyOrderElementsOf(known);
    }
}
