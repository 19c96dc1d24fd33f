package org.livepeer.naap.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.livepeer.naap.jobs.EmbeddedKafkaRun.Message;
import org.livepeer.naap.jobs.EmbeddedKafkaRun.TopicContents;
import org.livepeer.naap.workload.MessConfig;
import org.livepeer.naap.workload.OutcomeMix;
import org.livepeer.naap.workload.WorkloadConfig;
import org.livepeer.naap.workload.WorkloadGenerator;

/**
 * {@code ./naap run --embedded-kafka} on a small generated network: the input loaded into the raw
 * topic, the job run on it with exactly-once Kafka outputs, and what a read-committed consumer
 * finds on each live topic equal to the run's file outputs: the same records (sessions, node
 * transitions, metric rows, alerts, value for value), each under its key, the final session facts
 * one per session; and the accounting equal to the generator's truth.
 */
class EmbeddedKafkaRunITCase {

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
    void theLiveTopicsHoldWhatTheFileOutputsHold() throws Exception {
        WorkloadConfig config =
                new WorkloadConfig(
                        21,
                        16,
                        4,
                        2,
                        Duration.ofMinutes(6),
                        WorkloadConfig.DEFAULT_START,
                        OutcomeMix.parse("success=0.7,orchestrator_dies=0.15,gateway_silent=0.15"),
                        MessConfig.parse("all,malformed=0.02,duplicates=0.03"));
        Path input = dir.resolve("input");
        new WorkloadGenerator(config).writeTo(input);
        JsonNode truth = MAPPER.readTree(input.resolve("truth/expected.json").toFile());
        Path out = dir.resolve("out");
        Options options =
                JobOptions.declare("test", true)
                        .parse(
                                new String[] {
                                    "--out",
                                    out.toString(),
                                    "--input",
                                    input.resolve("events.jsonl").toString()
                                });
        JobOptions opts = JobOptions.from(options, true);
        assertThat(opts.delivery()).isEqualTo("exactly-once");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);

        EmbeddedKafkaRun.Result result = EmbeddedKafkaRun.run(opts, false, env);

        long lines = nonBlank(input.resolve("events.jsonl")).size();
        assertThat(result.loaded()).isEqualTo(lines);
        RunSummary summary = result.summary();
        assertThat(summary.recordsIn()).isEqualTo(truth.path("records_in").asLong());
        assertThat(summary.accepted()).isEqualTo(truth.path("accepted").asLong());
        assertThat(summary.rejected()).isEqualTo(truth.path("rejected").asLong()).isPositive();
        assertThat(summary.duplicates()).isEqualTo(truth.path("duplicates").asLong());
        assertThat(result.topics().keySet())
                .containsExactly(
                        "naap.events.rejected",
                        "naap.sessions.v1",
                        "naap.nodes.v1",
                        "naap.metrics.v1",
                        "naap.alerts.v1");

        Path live = out.resolve("live");
        // Rejections: one per rejected record, each under its source pointer.
        TopicContents rejected = result.topics().get("naap.events.rejected");
        assertThat(rejected.records()).hasSize((int) summary.rejected());
        assertThat(rejected.fileLines()).isEqualTo(summary.rejected());
        assertThat(countBy(rejected.records(), v -> v.get("reason").asText()))
                .isEqualTo(summary.rejectedByReason());
        assertThat(rejected.records())
                .allSatisfy(
                        m -> assertThat(m.key()).isEqualTo("naap.events.raw|naap.events.raw|0"));

        // Sessions: the same facts, value for value, keyed by session id; one final per session.
        TopicContents sessions = result.topics().get("naap.sessions.v1");
        List<String> sessionLines = nonBlank(live.resolve("sessions.jsonl"));
        assertThat(sessionLines).isNotEmpty();
        assertThat(sorted(values(sessions))).isEqualTo(sorted(sessionLines));
        assertThat(sessions.records())
                .allSatisfy(
                        m ->
                                assertThat(m.key())
                                        .isEqualTo(json(m.value()).get("session_id").asText()));
        Map<String, String> finals = new TreeMap<>();
        for (Message m : sessions.records()) {
            JsonNode f = json(m.value());
            if ("final".equals(f.get("status").asText())) {
                assertThat(finals.put(m.key(), f.get("end_reason").asText())).isNull();
            }
        }
        assertThat((long) finals.size()).isEqualTo(summary.sessions());
        assertThat(countBy(finals.values())).isEqualTo(summary.sessionsByEnd());

        // Node transitions: every line of live/nodes.jsonl, keyed by node id.
        TopicContents nodes = result.topics().get("naap.nodes.v1");
        List<String> nodeLines = nonBlank(live.resolve("nodes.jsonl"));
        assertThat(nodes.records()).hasSize(nodeLines.size());
        assertThat(sorted(values(nodes))).isEqualTo(sorted(nodeLines));
        assertThat(countBy(nodes.records(), v -> v.get("transition").asText()))
                .isEqualTo(summary.nodeTransitions())
                .containsKey("DOWN_ABRUPT");
        assertThat(nodes.records())
                .allSatisfy(
                        m ->
                                assertThat(m.key())
                                        .isEqualTo(json(m.value()).get("node_id").asText()));

        // Metric rows, 1m and 1h, on one topic.
        TopicContents metrics = result.topics().get("naap.metrics.v1");
        List<String> metricLines = new ArrayList<>(nonBlank(live.resolve("metrics_1m.jsonl")));
        metricLines.addAll(nonBlank(live.resolve("metrics_1h.jsonl")));
        assertThat(metricLines).isNotEmpty();
        assertThat(sorted(values(metrics))).isEqualTo(sorted(metricLines));
        assertThat(countBy(metrics.records(), v -> v.get("resolution").asText()))
                .containsOnlyKeys("1m", "1h");

        // Alerts (FIRING and RESOLVED), keyed by entity.
        TopicContents alerts = result.topics().get("naap.alerts.v1");
        assertThat(sorted(values(alerts)))
                .isEqualTo(sorted(nonBlank(live.resolve("alerts.jsonl"))));
        assertThat(alerts.records())
                .allSatisfy(
                        m -> assertThat(m.key()).isEqualTo(json(m.value()).get("entity").asText()));

        System.out.printf(
                "embedded kafka: %d loaded; rejected %d, sessions %d (%d final), nodes %d, metrics"
                        + " %d, alerts %d%n",
                result.loaded(),
                rejected.records().size(),
                sessions.records().size(),
                finals.size(),
                nodes.records().size(),
                metrics.records().size(),
                alerts.records().size());
    }

    /**
     * The production path with the bridge in it: the generated records published to an MQTT broker
     * that behaves like a Streamr node's plugin, written to the raw topic by the bridge, read by
     * the job; what the job counts is the generator's truth.
     */
    @Test
    void throughTheBridgeTheJobSeesWhatTheNetworkSent() throws Exception {
        WorkloadConfig config =
                new WorkloadConfig(
                        33,
                        12,
                        3,
                        2,
                        Duration.ofMinutes(4),
                        WorkloadConfig.DEFAULT_START,
                        OutcomeMix.parse("success=0.8,orchestrator_dies=0.2"),
                        MessConfig.parse("all,malformed=0.02,duplicates=0.03"));
        Path input = dir.resolve("input");
        new WorkloadGenerator(config).writeTo(input);
        JsonNode truth = MAPPER.readTree(input.resolve("truth/expected.json").toFile());
        Options options =
                JobOptions.declare("test", true)
                        .parse(
                                new String[] {
                                    "--out",
                                    dir.resolve("out").toString(),
                                    "--input",
                                    input.resolve("events.jsonl").toString()
                                });
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);

        EmbeddedKafkaRun.Result result =
                EmbeddedKafkaRun.run(JobOptions.from(options, true), false, env, true);

        assertThat(result.loaded())
                .isEqualTo(truth.path("records").asLong())
                .isEqualTo(nonBlank(input.resolve("events.jsonl")).size());
        RunSummary summary = result.summary();
        assertThat(summary.recordsIn()).isEqualTo(truth.path("records_in").asLong());
        assertThat(summary.accepted()).isEqualTo(truth.path("accepted").asLong());
        assertThat(summary.rejected()).isEqualTo(truth.path("rejected").asLong()).isPositive();
        assertThat(summary.duplicates()).isEqualTo(truth.path("duplicates").asLong());
        assertThat(summary.sessions()).isEqualTo(truth.path("sessions").asLong());
        assertThat(result.topics().get("naap.sessions.v1").records()).isNotEmpty();
    }

    private static List<String> nonBlank(Path file) throws Exception {
        return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
    }

    private static List<String> values(TopicContents c) {
        return c.records().stream().map(Message::value).toList();
    }

    private static List<String> sorted(List<String> values) {
        return values.stream().sorted().toList();
    }

    private static JsonNode json(String value) {
        try {
            return MAPPER.readTree(value);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + value, e);
        }
    }

    private static Map<String, Long> countBy(
            List<Message> records, Function<JsonNode, String> field) {
        return records.stream()
                .map(m -> field.apply(json(m.value())))
                .collect(Collectors.groupingBy(v -> v, TreeMap::new, Collectors.counting()));
    }

    private static Map<String, Long> countBy(java.util.Collection<String> values) {
        return values.stream()
                .collect(Collectors.groupingBy(v -> v, TreeMap::new, Collectors.counting()));
    }
}
