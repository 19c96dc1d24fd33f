package org.livepeer.naap.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.groups.AbstractMetricGroup;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.livepeer.naap.workload.MessConfig;
import org.livepeer.naap.workload.OutcomeMix;
import org.livepeer.naap.workload.WorkloadConfig;
import org.livepeer.naap.workload.WorkloadGenerator;

/**
 * The job's operational metrics as a Prometheus reporter would publish them, read through Flink's
 * in-memory reporter on a MiniCluster: on a generated network with every kind of mess and with
 * orchestrators dying and gateways going silent, the counters equal the generator's truth and the
 * run's accumulators, {@code sessions_open} is back at 0 when the input has ended, and {@code
 * nodes_down} equals the nodes whose last transition is a down.
 *
 * <p>Each metric is named as the Prometheus reporter names it: {@code flink_} and the group's
 * logical scope joined with {@code _}, then the metric name; the group's variables are its labels.
 * Values are summed over subtasks (and, for {@code nodes_down}, over the two liveness operators),
 * per label value where one is named.
 */
class OperationalMetricsITCase {
    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setConfiguration(REPORTER.addToConfiguration(new Configuration()))
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final String OPERATOR = "flink_taskmanager_job_task_operator_";
    private static final Pattern NOT_IN_A_NAME = Pattern.compile("[^a-zA-Z0-9:_]");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir Path dir;

    @Test
    void metricsEqualTheTruthAndTheAccumulators() throws Exception {
        WorkloadConfig config =
                new WorkloadConfig(
                        11,
                        40,
                        8,
                        3,
                        Duration.ofMinutes(20),
                        WorkloadConfig.DEFAULT_START,
                        OutcomeMix.parse("success=0.6,orchestrator_dies=0.2,gateway_silent=0.2"),
                        MessConfig.all());
        Path input = dir.resolve("input");
        new WorkloadGenerator(config).writeTo(input);
        JsonNode truth = MAPPER.readTree(input.resolve("truth/expected.json").toFile());

        Options options =
                JobOptions.declare("test", true)
                        .parse(new String[] {"--out", dir.resolve("out").toString()});
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        RunSummary summary =
                LocalRun.run(
                        JobOptions.from(options, true)
                                .withInputs(List.of(input.resolve("events.jsonl"))),
                        false,
                        env);

        Map<String, Long> metrics = prometheusValues();
        metrics.forEach((k, v) -> System.out.println("metric " + k + " = " + v));

        assertThat(truth.path("rejected").asLong()).isPositive();
        assertThat(truth.path("duplicates").asLong()).isPositive();
        assertThat(metrics.get(OPERATOR + "naap_records_in"))
                .isEqualTo(truth.path("records_in").asLong())
                .isEqualTo(summary.recordsIn());
        assertThat(metrics.get(OPERATOR + "naap_accepted"))
                .isEqualTo(truth.path("accepted").asLong())
                .isEqualTo(summary.accepted());
        assertThat(metrics.get(OPERATOR + "naap_rejected"))
                .isEqualTo(truth.path("rejected").asLong())
                .isEqualTo(summary.rejected());
        assertThat(metrics.get(OPERATOR + "naap_duplicates"))
                .isEqualTo(truth.path("duplicates").asLong())
                .isEqualTo(summary.duplicates());
        assertThat(metrics.get(OPERATOR + "naap_late")).isEqualTo(summary.late());

        Map<String, Long> byReason = new TreeMap<>();
        metrics.forEach(
                (name, value) -> {
                    String prefix = OPERATOR + "naap_reason_rejected{reason=\"";
                    if (name.startsWith(prefix)) {
                        byReason.put(name.substring(prefix.length(), name.length() - 2), value);
                    }
                });
        Map<String, Long> truthByReason = new TreeMap<>();
        truth.path("rejected_by_reason")
                .fields()
                .forEachRemaining(e -> truthByReason.put(e.getKey(), e.getValue().asLong()));
        assertThat(byReason).isNotEmpty().isEqualTo(truthByReason);

        long downAtEnd = nodesDownAtTheEnd(dir.resolve("out/live/nodes.jsonl"));
        System.out.println(
                "nodes down at the end: "
                        + downAtEnd
                        + " (truth: "
                        + nodesDownAtTheEnd(input.resolve("truth/nodes.jsonl"))
                        + ")");
        assertThat(downAtEnd).isPositive();
        assertThat(metrics.get(OPERATOR + "naap_nodes_down")).isEqualTo(downAtEnd);
        assertThat(metrics.get(OPERATOR + "naap_sessions_open")).isZero();
        assertThat(summary.sessions()).isPositive();
    }

    /**
     * Every numeric metric of the {@code naap} group under its Prometheus name (with its {@code
     * naap} labels, in braces), summed over every other label (subtasks, operators).
     */
    private static Map<String, Long> prometheusValues() {
        Map<String, Long> out = new TreeMap<>();
        for (Map.Entry<MetricGroup, Map<String, Metric>> g :
                REPORTER.getMetricsByGroup().entrySet()) {
            String scope =
                    ((AbstractMetricGroup<?>) g.getKey())
                            .getLogicalScope(s -> NOT_IN_A_NAME.matcher(s).replaceAll("_"), '_');
            if (!scope.contains("_naap")) {
                continue;
            }
            Map<String, String> labels = new LinkedHashMap<>();
            g.getKey()
                    .getAllVariables()
                    .forEach(
                            (k, v) -> {
                                String label = k.substring(1, k.length() - 1);
                                if (List.of("reason", "family").contains(label)) {
                                    labels.put(label, v);
                                }
                            });
            for (Map.Entry<String, Metric> m : g.getValue().entrySet()) {
                String name = "flink_" + scope + "_" + m.getKey();
                if (!labels.isEmpty()) {
                    StringBuilder sb = new StringBuilder(name).append('{');
                    labels.forEach((k, v) -> sb.append(k).append("=\"").append(v).append("\""));
                    name = sb.append('}').toString();
                }
                out.merge(name, value(m.getValue()), Long::sum);
            }
        }
        return out;
    }

    private static long value(Metric m) {
        if (m instanceof Counter c) {
            return c.getCount();
        }
        if (m instanceof Gauge<?> g && g.getValue() instanceof Number n) {
            return n.longValue();
        }
        throw new AssertionError("not a count: " + m);
    }

    /** Nodes whose last transition in the file (node transitions, in order per node) is a down. */
    private static long nodesDownAtTheEnd(Path file) throws Exception {
        Map<String, String> last = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode t = MAPPER.readTree(line);
            last.put(t.get("node_id").asText(), t.get("transition").asText());
        }
        return last.values().stream().filter(t -> t.startsWith("DOWN_")).count();
    }
}
