package org.livepeer.naap.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.livepeer.naap.workload.MessConfig;
import org.livepeer.naap.workload.OutcomeMix;
import org.livepeer.naap.workload.WorkloadConfig;
import org.livepeer.naap.workload.WorkloadGenerator;

/**
 * The job's accounting on a generated network with every kind of mess switched on equals, exactly,
 * what the generator says the input holds: the generator's truth, computed without the code under
 * test.
 */
class GeneratedWorkloadITCase {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @TempDir Path dir;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 12})
    void accountingMatchesTheGeneratorsTruthExactly(long seed) throws Exception {
        WorkloadConfig config =
                new WorkloadConfig(
                        seed,
                        120,
                        6,
                        2,
                        Duration.ofMinutes(20),
                        WorkloadConfig.defaults().start(),
                        OutcomeMix.defaults(),
                        MessConfig.all());
        Path input = dir.resolve("input");
        new WorkloadGenerator(config).writeTo(input);
        JsonNode expected =
                new ObjectMapper().readTree(input.resolve("truth/expected.json").toFile());

        Options options =
                JobOptions.declare("test", true)
                        .parse(
                                new String[] {
                                    "--out",
                                    dir.resolve("out").toString(),
                                    "--checkpoint-interval",
                                    "1s"
                                });
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        RunSummary run =
                LocalRun.run(
                        JobOptions.from(options, true)
                                .withInputs(List.of(input.resolve("events.jsonl"))),
                        false,
                        env);

        assertThat(expected.path("rejected").asLong()).isPositive();
        assertThat(expected.path("duplicates").asLong()).isPositive();
        assertThat(run.recordsIn()).isEqualTo(expected.path("records_in").asLong());
        assertThat(run.accepted()).isEqualTo(expected.path("accepted").asLong());
        assertThat(run.rejected()).isEqualTo(expected.path("rejected").asLong());
        assertThat(run.duplicates()).isEqualTo(expected.path("duplicates").asLong());
        assertThat(run.acceptedByFamily()).isEqualTo(counts(expected.path("accepted_by_family")));
        assertThat(run.rejectedByReason()).isEqualTo(counts(expected.path("rejected_by_reason")));
    }

    private static Map<String, Long> counts(JsonNode node) {
        Map<String, Long> out = new TreeMap<>();
        node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asLong()));
        return out;
    }
}
