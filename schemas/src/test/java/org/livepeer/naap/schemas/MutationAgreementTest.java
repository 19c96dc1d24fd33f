package org.livepeer.naap.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Beyond the hand-made corpus: the parser and the schema agree on records made by replacing or
 * removing one value anywhere in a valid record (a fixed seed keeps it reproducible).
 */
class MutationAgreementTest {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private static final JsonNode[] REPLACEMENTS = {
        F.textNode(""),
        F.textNode("x"),
        F.textNode("1768483619196"),
        F.textNode("2025-12-05T16:24:24Z"),
        F.numberNode(7),
        F.numberNode(-1),
        F.numberNode(1.5),
        F.booleanNode(true),
        F.nullNode(),
        F.objectNode(),
        F.arrayNode(),
        F.arrayNode().add(F.objectNode()),
        F.arrayNode().add("x"),
        F.numberNode(1e19),
        F.textNode("1768483619.5"),
    };

    /** Names that steer shape detection when added to an object. */
    private static final String[] ENVELOPE_NAMES = {
        "id",
        "type",
        "timestamp",
        "data",
        "payload",
        "gateway",
        "ID",
        "EventType",
        "DT",
        "Payload",
        "content",
        "metadata"
    };

    @Test
    void parserAndSchemaAgreeOnSingleValueMutations() throws Exception {
        List<String> seeds = new ArrayList<>(Samples.all());
        seeds.addAll(Corpus.valid());
        Random random = new Random(7L);
        List<String> disagreements = new ArrayList<>();
        int rejectedByBoth = 0;
        for (int i = 0; i < 5_000; i++) {
            JsonNode root = ContractSchema.JSON.readTree(seeds.get(random.nextInt(seeds.size())));
            List<JsonNode> containers = new ArrayList<>();
            collect(root, containers);
            mutate(containers.get(random.nextInt(containers.size())), random);
            String record = root.toString();
            boolean parser = Parsed.parse(record).allAccepted();
            boolean schema = ContractSchema.valid(ContractSchema.EVENT, record);
            if (parser != schema) {
                disagreements.add((parser ? "parser only: " : "schema only: ") + record);
            } else if (!parser) {
                rejectedByBoth++;
            }
        }
        assertThat(disagreements).isEmpty();
        assertThat(rejectedByBoth).as("the mutations do break records").isGreaterThan(500);
    }

    private static void collect(JsonNode node, List<JsonNode> out) {
        if (node.isContainerNode() && !node.isEmpty()) {
            out.add(node);
            node.forEach(child -> collect(child, out));
        }
    }

    private static void mutate(JsonNode container, Random random) {
        JsonNode replacement = REPLACEMENTS[random.nextInt(REPLACEMENTS.length)].deepCopy();
        if (container.isObject()) {
            ObjectNode o = (ObjectNode) container;
            List<String> names = new ArrayList<>();
            for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
                names.add(it.next());
            }
            String name = names.get(random.nextInt(names.size()));
            switch (random.nextInt(5)) {
                case 0 -> o.remove(name);
                case 1 -> o.set(ENVELOPE_NAMES[random.nextInt(ENVELOPE_NAMES.length)], replacement);
                default -> o.set(name, replacement);
            }
        } else {
            ArrayNode a = (ArrayNode) container;
            int at = random.nextInt(a.size());
            if (random.nextInt(4) == 0) {
                a.remove(at);
            } else {
                a.set(at, replacement);
            }
        }
    }
}
