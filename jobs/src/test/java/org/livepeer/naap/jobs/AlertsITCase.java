package org.livepeer.naap.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.livepeer.naap.iceberg.CatalogSettings;
import org.livepeer.naap.workload.WorkloadConfig;
import org.livepeer.naap.workload.WorkloadGenerator;

/**
 * The alerts of the embedded default against the generator's truth: the orchestrator that dies and
 * comes back fires {@code NodeDownAbrupt} once and resolves it at the truth's recovery; no node the
 * truth keeps up has a node alert; every firing has one FIRING and at most one RESOLVED; {@code
 * naap.alerts} holds exactly the live records.
 */
class AlertsITCase {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir Path dir;

    @Test
    void theEmbeddedDefaultFiresAndResolvesTheNodeDownAlertOfTheTruth() throws Exception {
        Path input = dir.resolve("input");
        new WorkloadGenerator(WorkloadConfig.embedded()).writeTo(input);
        Options options =
                JobOptions.declare("test", true)
                        .parse(
                                new String[] {
                                    "--input", input.resolve("events.jsonl").toString(),
                                    "--out", dir.resolve("out").toString()
                                });
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        LocalRun.run(JobOptions.from(options, true), false, env);

        List<JsonNode> truth = lines(input.resolve("truth/nodes.jsonl"));
        List<JsonNode> alerts = lines(dir.resolve("out/live/alerts.jsonl"));

        // The truth's orchestrators that die and come back within the input.
        int checked = 0;
        TreeSet<String> diedInTruth = new TreeSet<>();
        for (int i = 0; i < truth.size(); i++) {
            JsonNode down = truth.get(i);
            if (!"DOWN_ABRUPT".equals(down.get("transition").asText())) {
                continue;
            }
            String node = down.get("node_id").asText();
            diedInTruth.add(node);
            JsonNode back = null;
            for (JsonNode later : truth.subList(i + 1, truth.size())) {
                if (node.equals(later.get("node_id").asText())
                        && "RECOVERED".equals(later.get("transition").asText())) {
                    back = later;
                    break;
                }
            }
            if (back == null || !node.startsWith("orchestrator:")) {
                continue;
            }
            List<JsonNode> mine =
                    alerts.stream()
                            .filter(a -> "NodeDownAbrupt".equals(a.get("rule").asText()))
                            .filter(a -> node.equals(a.get("entity").asText()))
                            .toList();
            assertThat(mine)
                    .extracting(a -> a.get("state").asText())
                    .as(node)
                    .containsExactly("FIRING", "RESOLVED");
            JsonNode firing = mine.get(0);
            JsonNode resolved = mine.get(1);
            assertThat(millis(firing.get("window_start")))
                    .as("the silence began at the truth's last sign of life")
                    .isEqualTo(down.get("last_seen").asLong());
            assertThat(millis(firing.get("at"))).isGreaterThan(down.get("at").asLong());
            assertThat(millis(resolved.get("at")))
                    .as("resolved at the truth's recovery")
                    .isEqualTo(back.get("at").asLong());
            assertThat(resolved.get("alert_id").asText())
                    .isEqualTo(firing.get("alert_id").asText());
            assertThat(firing.get("severity").asText()).isEqualTo("critical");
            checked++;
        }
        assertThat(checked).as("the embedded default has a death and a recovery").isPositive();

        // No node alert for a node the truth keeps up.
        for (JsonNode a : alerts) {
            if ("NodeDownAbrupt".equals(a.get("rule").asText())) {
                assertThat(diedInTruth).contains(a.get("entity").asText());
            }
        }

        // One FIRING and at most one RESOLVED per firing, in that order.
        Map<String, List<String>> byId = new HashMap<>();
        for (JsonNode a : alerts) {
            byId.computeIfAbsent(a.get("alert_id").asText(), k -> new ArrayList<>())
                    .add(a.get("state").asText());
        }
        byId.forEach(
                (id, states) ->
                        assertThat(states)
                                .as(id)
                                .isIn(List.of("FIRING"), List.of("FIRING", "RESOLVED")));

        // The archive holds exactly the live records.
        CatalogSettings catalog =
                new CatalogSettings(
                        "naap_lake",
                        Map.of(
                                "type",
                                "hadoop",
                                "warehouse",
                                dir.resolve("out/warehouse").toString()));
        TreeSet<String> archived = new TreeSet<>();
        for (Row r : TestData.query(catalog, "SELECT alert_id, state, rule FROM naap.alerts")) {
            archived.add(r.getField(0) + " " + r.getField(1) + " " + r.getField(2));
        }
        TreeSet<String> live = new TreeSet<>();
        for (JsonNode a : alerts) {
            live.add(
                    a.get("alert_id").asText()
                            + " "
                            + a.get("state").asText()
                            + " "
                            + a.get("rule").asText());
        }
        assertThat(archived).hasSize(alerts.size()).isEqualTo(live);
    }

    private static long millis(JsonNode time) {
        return Instant.parse(time.asText()).toEpochMilli();
    }

    private static List<JsonNode> lines(Path file) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) {
                out.add(MAPPER.readTree(line));
            }
        }
        return out;
    }
}
