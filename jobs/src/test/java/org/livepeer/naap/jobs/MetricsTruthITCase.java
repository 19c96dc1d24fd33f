package org.livepeer.naap.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.livepeer.naap.iceberg.CatalogSettings;
import org.livepeer.naap.workload.MessConfig;
import org.livepeer.naap.workload.OutcomeMix;
import org.livepeer.naap.workload.WorkloadConfig;
import org.livepeer.naap.workload.WorkloadGenerator;

/**
 * The hourly and one-minute metrics ({@code naap.metrics_1h}, {@code naap.metrics_1m}), read back
 * with Flink SQL, against counts and percentiles computed here from the generator's {@code
 * truth/sessions.jsonl}: per hour, canonical orchestrator (the truth's orchestrator is canonical;
 * the job attributes it) and the network roll-up, every session count exactly (summed over models
 * and GPUs: a session that failed before its first status sample may not name its model); per
 * orchestrator and model, the PTFF p95 within the sketch's 1 %.
 */
class MetricsTruthITCase {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final long IDLE_AND_VERDICT_MS = 90_000;
    private static final long WATERMARK_BOUND_MS = 10_000;

    @TempDir Path dir;

    @Test
    void hourlyAndMinuteRowsMatchTheTruthsSessions() throws Exception {
        WorkloadConfig config =
                new WorkloadConfig(
                        404,
                        80,
                        6,
                        3,
                        Duration.ofMinutes(12),
                        WorkloadConfig.DEFAULT_START,
                        OutcomeMix.defaults(),
                        MessConfig.all());
        Path input = dir.resolve("input");
        new WorkloadGenerator(config).writeTo(input);
        long inputEnd = config.start().toEpochMilli() + config.duration().toMillis();

        Options options =
                JobOptions.declare("test", true)
                        .parse(new String[] {"--out", dir.resolve("out").toString()});
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        LocalRun.run(
                JobOptions.from(options, true).withInputs(List.of(input.resolve("events.jsonl"))),
                false,
                env);

        compare(input, inputEnd, "metrics_1h", 3_600_000L);
        compare(input, inputEnd, "metrics_1m", 60_000L);
    }

    /**
     * The rows of {@code table} (windows of {@code windowMs}) against the truth: per window and
     * orchestrator, and per window in the roll-up, every session count; per window, orchestrator
     * and model, the PTFF p95 within the sketch's 1 %.
     */
    private void compare(Path input, long inputEnd, String table, long windowMs) throws Exception {
        // The truth, per "hour|orchestrator|model" and "hour|network|model".
        Map<String, long[]> want = new TreeMap<>();
        Map<String, List<Double>> wantPtff = new TreeMap<>();
        ObjectMapper mapper = new ObjectMapper();
        for (String line : Files.readAllLines(input.resolve("truth/sessions.jsonl"))) {
            JsonNode s = mapper.readTree(line);
            if (!s.path("requested").asBoolean()) {
                continue;
            }
            String end = s.path("end_reason").asText();
            long lastEvent = s.path("last_event_at").asLong();
            // The end of the input is not silence: a session silent too close to it ends open
            // in the job, and its failure by a lost orchestrator is not known. This seed has
            // none, so every count compares exactly.
            assertThat(
                            !end.equals("closed")
                                    && !end.equals("open")
                                    && lastEvent + IDLE_AND_VERDICT_MS
                                            > inputEnd - WATERMARK_BOUND_MS)
                    .as("a session silent at the input's end: %s", line)
                    .isFalse();
            String hour = windowOf(windowMs, s.path("started_at").asLong());
            String model = text(s.get("model"));
            String orchestrator = text(s.get("orchestrator_address"));
            long[] counts = counts(s);
            // Counts per orchestrator and in the roll-up, over models: a session that failed
            // before its first status sample may not name its model.
            add(want, hour + "|network", counts);
            if (orchestrator != null) {
                add(want, hour + "|" + orchestrator, counts);
                if (!s.path("ptff_ms").isNull()) {
                    wantPtff.computeIfAbsent(
                                    hour + "|" + orchestrator + "|" + model, k -> new ArrayList<>())
                            .add(s.path("ptff_ms").asDouble());
                }
            }
        }

        CatalogSettings catalog =
                new CatalogSettings(
                        "naap_lake",
                        Map.of(
                                "type",
                                "hadoop",
                                "warehouse",
                                dir.resolve("out/warehouse").toString()));
        // The latest revision of each row; summed over GPUs within orchestrator and model.
        List<Row> rows =
                TestData.query(
                        catalog,
                        "SELECT window_start, aggregation_level, orchestrator_address, model,"
                                + " requested, startup_success, excused, unexcused,"
                                + " no_orchestrator, swapped, output_failed, effective_failed,"
                                + " orchestrator_lost, ptff_ms_p95, revision, gpu_id"
                                + " FROM naap."
                                + table);
        Map<String, Row> latest = new TreeMap<>();
        for (Row r : rows) {
            String key =
                    r.getField(0)
                            + "|"
                            + r.getField(1)
                            + "|"
                            + r.getField(2)
                            + "|"
                            + r.getField(3)
                            + "|"
                            + r.getField(15);
            Row held = latest.get(key);
            if (held == null || (int) held.getField(14) < (int) r.getField(14)) {
                latest.put(key, r);
            }
        }
        Map<String, long[]> got = new TreeMap<>();
        Map<String, Double> gotPtff = new TreeMap<>();
        for (Row r : latest.values()) {
            String hour = windowOf(windowMs, toMillis(r.getField(0)));
            String level = (String) r.getField(1);
            String model = (String) r.getField(3);
            String key = hour + "|" + ("network".equals(level) ? "network" : r.getField(2));
            long[] counts = new long[9];
            for (int i = 0; i < 9; i++) {
                counts[i] = (long) r.getField(4 + i);
            }
            add(got, key, counts);
            if (!"network".equals(level) && model != null) {
                String modelKey = key + "|" + model;
                assertThat(gotPtff)
                        .as("one GPU key per orchestrator and model")
                        .doesNotContainKey(modelKey);
                gotPtff.put(modelKey, (Double) r.getField(13));
            }
        }

        // Every window with requested sessions has them all; a window the job has beyond those
        // holds only status samples (a session requested earlier): no session counts.
        for (String key : want.keySet()) {
            assertThat(got.get(key)).as(key).containsExactly(want.get(key));
        }
        for (Map.Entry<String, long[]> e : got.entrySet()) {
            if (!want.containsKey(e.getKey())) {
                assertThat(e.getValue()).as(e.getKey()).containsOnly(0L);
            }
        }
        for (Map.Entry<String, List<Double>> e : wantPtff.entrySet()) {
            double p95 = nearestRank(e.getValue(), 0.95);
            assertThat(gotPtff.get(e.getKey())).as(e.getKey()).isCloseTo(p95, within(p95 * 0.01));
        }
        assertThat(wantPtff).isNotEmpty();
    }

    /**
     * requested, startup_success, excused, unexcused, no_orchestrator, swapped, output_failed,
     * effective_failed, orchestrator_lost.
     */
    private static long[] counts(JsonNode s) {
        String startup = s.path("startup_outcome").asText();
        return new long[] {
            1,
            startup.equals("success") ? 1 : 0,
            startup.equals("excused") ? 1 : 0,
            startup.equals("unexcused") ? 1 : 0,
            "no_orchestrators".equals(text(s.get("excuse_reason"))) ? 1 : 0,
            s.path("swapped").asBoolean() ? 1 : 0,
            s.path("output_failed").asBoolean() ? 1 : 0,
            s.path("effective_failed").asBoolean() ? 1 : 0,
            s.path("end_reason").asText().equals("orchestrator_lost") ? 1 : 0
        };
    }

    private static void add(Map<String, long[]> into, String key, long[] counts) {
        long[] held = into.computeIfAbsent(key, k -> new long[counts.length]);
        for (int i = 0; i < counts.length; i++) {
            held[i] += counts[i];
        }
    }

    private static double nearestRank(List<Double> values, double q) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int rank = (int) Math.max(1, Math.ceil(q * sorted.size()));
        return sorted.get(rank - 1);
    }

    private static String windowOf(long windowMs, long millis) {
        return Long.toString(Math.floorDiv(millis, windowMs));
    }

    private static long toMillis(Object timestamp) {
        if (timestamp instanceof Instant i) {
            return i.toEpochMilli();
        }
        return ((LocalDateTime) timestamp).toInstant(ZoneOffset.UTC).toEpochMilli();
    }

    private static String text(JsonNode v) {
        return v == null || v.isNull() ? null : v.asText();
    }
}
