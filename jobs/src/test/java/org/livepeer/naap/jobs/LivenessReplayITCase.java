package org.livepeer.naap.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * A replay of the archive reproduces the live run's node transitions at the same event times: the
 * generated network (with its mess: duplicates, reordering, late and dropped samples) is run once,
 * then every archived event is read back from {@code naap.raw_events} in event-time order and run
 * again.
 */
class LivenessReplayITCase {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @TempDir Path dir;

    @Test
    void replayingTheArchiveGivesTheSameTransitionsAtTheSameTimes() throws Exception {
        Path input = dir.resolve("input");
        new WorkloadGenerator(WorkloadConfig.embedded()).writeTo(input);
        run(input.resolve("events.jsonl"), "live");
        TreeSet<String> live = transitions("live");
        assertThat(live).anyMatch(t -> t.contains(" DOWN_ABRUPT "));

        CatalogSettings catalog =
                new CatalogSettings(
                        "naap_lake",
                        Map.of(
                                "type",
                                "hadoop",
                                "warehouse",
                                dir.resolve("live/warehouse").toString()));
        List<String> archived = new ArrayList<>();
        for (Row r :
                TestData.query(
                        catalog,
                        "SELECT `raw` FROM naap.raw_events ORDER BY event_time, event_id")) {
            archived.add((String) r.getField(0));
        }
        Path replay = Files.write(dir.resolve("replay.jsonl"), archived);
        run(replay, "replay");

        assertThat(transitions("replay")).isEqualTo(live);
    }

    private void run(Path input, String out) throws Exception {
        Options options =
                JobOptions.declare("test", true)
                        .parse(
                                new String[] {
                                    "--input", input.toString(),
                                    "--out", dir.resolve(out).toString(),
                                    "--checkpoint-interval", "1s"
                                });
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        LocalRun.run(JobOptions.from(options, true), false, env);
    }

    /** Every transition of a run as {@code node transition at last_seen}, sorted. */
    private TreeSet<String> transitions(String out) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        TreeSet<String> all = new TreeSet<>();
        for (String line : Files.readAllLines(dir.resolve(out).resolve("live/nodes.jsonl"))) {
            JsonNode t = mapper.readTree(line);
            all.add(
                    t.path("node_id").asText()
                            + " "
                            + t.path("transition").asText()
                            + " "
                            + t.path("at").asText()
                            + " "
                            + t.path("last_seen").asText());
        }
        return all;
    }
}
