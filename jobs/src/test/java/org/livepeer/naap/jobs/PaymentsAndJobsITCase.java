package org.livepeer.naap.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
import org.livepeer.naap.schemas.ParserConfig;
import org.livepeer.naap.workload.MessConfig;
import org.livepeer.naap.workload.OutcomeMix;
import org.livepeer.naap.workload.WorkloadConfig;
import org.livepeer.naap.workload.WorkloadGenerator;

/**
 * {@code naap.payments} and {@code naap.jobs} on a generated network with every kind of mess
 * (duplicates, arrays, Streamr wrappers, Open Pool batches, ETH face values, broken records), read
 * back with Flink SQL. The expected figures are counted and summed here from the generated events
 * file itself, as raw JSON with {@link BigDecimal} arithmetic, without the parser or the builders
 * under test; the payment count is also checked against the generator's truth.
 */
class PaymentsAndJobsITCase {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    @TempDir Path dir;

    @Test
    void paymentAndJobRowsAddUpToTheGeneratedEvents() throws Exception {
        WorkloadConfig config =
                new WorkloadConfig(
                        23,
                        40,
                        6,
                        3,
                        Duration.ofMinutes(10),
                        WorkloadConfig.DEFAULT_START,
                        OutcomeMix.defaults(),
                        MessConfig.all());
        Path input = dir.resolve("input");
        new WorkloadGenerator(config).writeTo(input);
        Map<String, JsonNode> events = uniqueEvents(input.resolve("events.jsonl"));
        JsonNode truth = JSON.readTree(input.resolve("truth/expected.json").toFile());

        Options options =
                JobOptions.declare("test", true)
                        .parse(
                                new String[] {
                                    "--out",
                                    dir.resolve("out").toString(),
                                    "--checkpoint-interval",
                                    "1s"
                                });
        JobOptions opts =
                JobOptions.from(options, true).withInputs(List.of(input.resolve("events.jsonl")));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        LocalRun.run(opts, false, env);
        CatalogSettings catalog = new CatalogSettings(opts.catalogName(), opts.catalog());

        // ---- payments
        long payments = 0;
        long liveAiPayments = 0;
        long ethPayments = 0;
        long tickets = 0;
        BigDecimal faceWei = BigDecimal.ZERO;
        BigDecimal expectedWei = BigDecimal.ZERO;
        for (JsonNode e : events.values()) {
            if (!"create_new_payment".equals(type(e))) {
                continue;
            }
            JsonNode d = payload(e);
            BigDecimal face = wei(d.path("faceValue").asText());
            BigDecimal winProb = decimal(d.path("winProb"));
            payments++;
            faceWei = faceWei.add(face);
            expectedWei = expectedWei.add(face.multiply(winProb));
            tickets += decimal(d.path("numTickets")).longValueExact();
            if (d.path("manifestID").asText().matches("[0-9]+_.+")) {
                liveAiPayments++;
            }
            if (d.path("faceValue").asText().endsWith(" ETH")) {
                ethPayments++;
            }
        }
        // the conversions under test are exercised: face values in ETH, live-AI manifest ids
        assertThat(ethPayments).isPositive();
        assertThat(liveAiPayments).isPositive();
        assertThat(payments)
                .isEqualTo(truth.path("accepted_by_family").path("create_new_payment").asLong());

        Row p =
                single(
                        catalog,
                        "SELECT count(*), count(DISTINCT event_id), sum(face_value_wei),"
                                + " sum(expected_value_wei), sum(num_tickets), count(model),"
                                + " count(*) FILTER (WHERE expected_value_wei IS NULL)"
                                + " FROM naap.payments");
        assertThat(p.getField(0)).isEqualTo(payments);
        assertThat(p.getField(1)).isEqualTo(payments);
        assertThat((BigDecimal) p.getField(2)).isEqualByComparingTo(faceWei);
        assertThat((BigDecimal) p.getField(3)).isEqualByComparingTo(expectedWei);
        assertThat(p.getField(4)).isEqualTo(tickets);
        assertThat(p.getField(5)).isEqualTo(liveAiPayments);
        assertThat(p.getField(6)).isEqualTo(0L);

        // ---- jobs, by kind and stage
        Map<String, Figures> want = new TreeMap<>();
        for (JsonNode e : events.values()) {
            JsonNode d = payload(e);
            String type = type(e);
            String subtype = d.path("type").asText();
            switch (type) {
                case "ai_batch_request" -> {
                    if (subtype.equals("ai_batch_request_completed")) {
                        want.computeIfAbsent("batch_ai/" + subtype, k -> new Figures())
                                .add(
                                        d.path("success").asBoolean(),
                                        decimal(d.path("duration_ms")),
                                        null);
                    }
                }
                case "ai_llm_request" -> {
                    if (subtype.equals("llm_request_completed")
                            || subtype.equals("llm_stream_completed")) {
                        want.computeIfAbsent("llm/" + subtype, k -> new Figures())
                                .add(
                                        d.path("error").asText("").isEmpty(),
                                        decimal(d.path("total_duration_ms")),
                                        null);
                    }
                }
                case "job_gateway", "job_orchestrator" ->
                        want.computeIfAbsent("byoc/" + type, k -> new Figures())
                                .add(
                                        d.path("success").asBoolean(),
                                        decimal(d.path("duration_ms")),
                                        d.has("amount") ? decimal(d.path("amount")) : null);
                case "job-processed" -> {
                    boolean batch = d.has("requestID") || d.has("pipeline");
                    BigDecimal response = decimal(d.path("responseTime"));
                    Figures f =
                            want.computeIfAbsent(
                                            (batch ? "batch_ai_orchestrator" : "transcode")
                                                    + "/job-processed",
                                            k -> new Figures())
                                    .add(
                                            true,
                                            batch ? response.movePointLeft(6) : response,
                                            decimal(d.path("fees")));
                    if (!batch) {
                        f.ratio(decimal(d.path("realTimeRatio")));
                    }
                }
                default -> {}
            }
        }
        assertThat(want)
                .containsOnlyKeys(
                        "batch_ai/ai_batch_request_completed",
                        "llm/llm_request_completed",
                        "llm/llm_stream_completed",
                        "byoc/job_gateway",
                        "byoc/job_orchestrator",
                        "batch_ai_orchestrator/job-processed",
                        "transcode/job-processed");
        long processed =
                want.get("batch_ai_orchestrator/job-processed").count
                        + want.get("transcode/job-processed").count;
        assertThat(processed)
                .isEqualTo(truth.path("accepted_by_family").path("job-processed").asLong());

        Map<String, Figures> got = new TreeMap<>();
        for (Row r :
                TestData.query(
                        catalog,
                        "SELECT kind, stage, count(*), count(*) FILTER (WHERE success),"
                                + " sum(duration_ms), sum(fees_wei), sum(realtime_ratio),"
                                + " count(realtime_ratio) FROM naap.jobs GROUP BY kind, stage")) {
            Figures f = new Figures();
            f.count = (Long) r.getField(2);
            f.succeeded = (Long) r.getField(3);
            f.durationMs = BigDecimal.valueOf((Double) r.getField(4));
            f.feesWei = (BigDecimal) r.getField(5);
            f.ratios = r.getField(6) == null ? null : BigDecimal.valueOf((Double) r.getField(6));
            f.withRatio = (Long) r.getField(7);
            got.put(r.getField(0) + "/" + r.getField(1), f);
        }
        assertThat(got.keySet()).isEqualTo(want.keySet());
        for (Map.Entry<String, Figures> w : want.entrySet()) {
            Figures g = got.get(w.getKey());
            String what = w.getKey();
            assertThat(g.count).as(what + " rows").isEqualTo(w.getValue().count);
            assertThat(g.succeeded).as(what + " succeeded").isEqualTo(w.getValue().succeeded);
            assertThat(g.durationMs.doubleValue())
                    .as(what + " duration_ms")
                    .isCloseTo(w.getValue().durationMs.doubleValue(), within(1e-6));
            if (w.getValue().feesWei == null) {
                assertThat(g.feesWei).as(what + " fees").isNull();
            } else {
                assertThat(g.feesWei).as(what + " fees").isEqualByComparingTo(w.getValue().feesWei);
            }
            assertThat(g.withRatio)
                    .as(what + " rows with a ratio")
                    .isEqualTo(w.getValue().withRatio);
            if (w.getValue().ratios == null) {
                assertThat(g.ratios).as(what + " ratios").isNull();
            } else {
                assertThat(g.ratios).as(what + " ratios").isEqualByComparingTo(w.getValue().ratios);
            }
        }
    }

    /** Count, successes and sums of one kind and stage of job rows. */
    private static final class Figures {
        long count;
        long succeeded;
        BigDecimal durationMs = BigDecimal.ZERO;
        BigDecimal feesWei;
        BigDecimal ratios;
        long withRatio;

        Figures add(boolean success, BigDecimal duration, BigDecimal fees) {
            count++;
            succeeded += success ? 1 : 0;
            durationMs = durationMs.add(duration);
            if (fees != null) {
                feesWei = feesWei == null ? fees : feesWei.add(fees);
            }
            return this;
        }

        void ratio(BigDecimal ratio) {
            withRatio++;
            ratios = ratios == null ? ratio : ratios.add(ratio);
        }
    }

    private static Row single(CatalogSettings catalog, String sql) throws Exception {
        List<Row> rows = TestData.query(catalog, sql);
        assertThat(rows).as(sql).hasSize(1);
        return rows.get(0);
    }

    /**
     * Every event of the file that the job accepts, by id: JSON records within the parser's size
     * limit, arrays split, Streamr wrappers removed, elements without an id left out (the
     * generator's broken records), redeliveries counted once.
     */
    private static Map<String, JsonNode> uniqueEvents(Path file) throws Exception {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.getBytes(StandardCharsets.UTF_8).length
                        > ParserConfig.DEFAULT_MAX_RECORD_BYTES) {
                    continue;
                }
                JsonNode root;
                try {
                    root = JSON.readTree(line);
                } catch (Exception malformed) {
                    continue;
                }
                if (root.isObject() && root.has("content") && root.has("metadata")) {
                    root = root.get("content");
                }
                List<JsonNode> elements = new ArrayList<>();
                if (root.isArray()) {
                    root.forEach(elements::add);
                } else {
                    elements.add(root);
                }
                for (JsonNode e : elements) {
                    String id = e.isObject() ? e.path(e.has("ID") ? "ID" : "id").asText("") : "";
                    if (!id.isEmpty()) {
                        out.putIfAbsent(id, e);
                    }
                }
            }
        }
        return out;
    }

    private static String type(JsonNode e) {
        return e.path(e.has("EventType") ? "EventType" : "type").asText();
    }

    private static JsonNode payload(JsonNode e) {
        for (String field : new String[] {"data", "payload", "Payload"}) {
            if (e.has(field)) {
                return e.get(field);
            }
        }
        return JSON.missingNode();
    }

    /** A number sent as a JSON number or as text. */
    private static BigDecimal decimal(JsonNode v) {
        return v.isNumber() ? v.decimalValue() : new BigDecimal(v.asText().trim());
    }

    /** {@code "<number> WEI"} or {@code "<number> ETH"}, in wei. */
    private static BigDecimal wei(String text) {
        String[] parts = text.trim().split("\\s+");
        BigDecimal value = new BigDecimal(parts[0]);
        String unit = parts.length > 1 ? parts[1].toLowerCase(Locale.ROOT) : "wei";
        return switch (unit) {
            case "wei" -> value;
            case "gwei" -> value.movePointRight(9);
            case "eth" -> value.movePointRight(18);
            default -> throw new AssertionError("unexpected unit in " + text);
        };
    }
}
