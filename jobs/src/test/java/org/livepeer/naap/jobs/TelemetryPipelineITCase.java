package org.livepeer.naap.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.livepeer.naap.iceberg.CatalogSettings;

/**
 * The whole pipeline on a MiniCluster, file in, through the real Iceberg sinks, rows read back with
 * Flink SQL. Expected figures are worked out by hand from the input built below.
 */
class TelemetryPipelineITCase {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    /** The id of the sample ingest-metrics event and the session it belongs to. */
    private static final String INGEST_EVENT = "29c7f69a-d8d5-4ba4-9bbe-e52d4b53ccea";

    private static final String INGEST_SESSION = "stream-3hc4ok-mkfh9jxs|5291f1cf";

    private static final String ARRAY_RECORD =
            "[{\"id\":\"arr-1\",\"type\":\"stream_trace\",\"timestamp\":\"1768483619000\","
                    + "\"gateway\":\"gw-1\",\"data\":{\"type\":\"gateway_receive_stream_request\","
                    + "\"timestamp\":1768483619000,\"stream_id\":\"s-1\",\"request_id\":\"r-1\","
                    + "\"pipeline_id\":\"\",\"orchestrator_info\":{\"address\":\"\",\"url\":\"\"}}},"
                    + "{\"type\":\"stream_trace\",\"timestamp\":\"1768483619000\",\"data\":{}}]";

    @TempDir Path dir;

    @Test
    void accountsForEveryRecordAndArchivesAcceptedAndRejectedRows() throws Exception {
        List<String> samples = allSamples();
        assertThat(samples).hasSize(18);
        List<String> lines = new ArrayList<>(samples);
        lines.add(samples.get(0)); // a redelivery
        lines.add(samples.get(5)); // another
        lines.add("{\"id\": \"broken\""); // malformed_json
        lines.add("this is not json"); // malformed_json
        lines.add("42"); // not_an_object
        lines.add(
                "{\"id\":\"big\",\"type\":\"stream_trace\",\"timestamp\":\"1768483619196\","
                        + "\"data\":{\"type\":\"x\",\"pad\":\""
                        + "x".repeat(5000)
                        + "\"}}"); // too_large at 4096 bytes
        lines.add(
                "{\"id\":\"u-1\",\"type\":\"mystery_family\",\"timestamp\":\"1768483782392\","
                        + "\"data\":{\"x\":1}}"); // accepted as unknown_family
        lines.add(ARRAY_RECORD); // one accepted, one missing_field:id
        lines.add(
                "{\"id\":\"no-ts\",\"type\":\"stream_trace\",\"data\":{\"type\":"
                        + "\"gateway_receive_stream_request\"}}"); // missing_field:timestamp
        Path input = write("mixed.jsonl", lines);

        RunSummary summary = run(input, "out");

        // 18 samples + 2 redeliveries + 5 bad records + unknown + 2 array elements = 28
        assertThat(summary.recordsIn()).isEqualTo(28);
        assertThat(summary.accepted()).isEqualTo(20);
        assertThat(summary.duplicates()).isEqualTo(2);
        assertThat(summary.rejected()).isEqualTo(6);
        assertThat(summary.balanced()).isTrue();
        assertThat(summary.rejectedByReason())
                .containsOnly(
                        entry("malformed_json", 2L),
                        entry("not_an_object", 1L),
                        entry("too_large", 1L),
                        entry("missing_field:id", 1L),
                        entry("missing_field:timestamp", 1L));

        CatalogSettings catalog = catalogOf("out");
        Map<String, Long> byFamily = new HashMap<>();
        for (Row r :
                TestData.query(
                        catalog, "SELECT family, count(*) FROM naap.raw_events GROUP BY family")) {
            byFamily.put((String) r.getField(0), (Long) r.getField(1));
        }
        assertThat(byFamily)
                .containsOnly(
                        entry("stream_trace", 3L),
                        entry("ai_stream_events", 2L),
                        entry("stream_ingest_metrics", 1L),
                        entry("ai_stream_status", 1L),
                        entry("discovery_results", 3L),
                        entry("create_new_payment", 2L),
                        entry("node_trace", 3L),
                        entry("worker-connected", 1L),
                        entry("worker-disconnected", 1L),
                        entry("network_capabilities", 1L),
                        entry("job-processed", 1L),
                        entry("unknown_family", 1L));
        assertThat(summary.acceptedByFamily()).isEqualTo(byFamily);

        List<Row> ingest =
                TestData.query(
                        catalog,
                        "SELECT session_id, stream_id, request_id, source_offset FROM"
                                + " naap.raw_events WHERE event_id = '"
                                + INGEST_EVENT
                                + "'");
        assertThat(ingest).hasSize(1);
        assertThat(ingest.get(0).getField(0)).isEqualTo(INGEST_SESSION);
        assertThat(ingest.get(0).getField(1)).isEqualTo("stream-3hc4ok-mkfh9jxs");
        assertThat(ingest.get(0).getField(2)).isEqualTo("5291f1cf");

        Map<String, Long> rejectedRows = new HashMap<>();
        for (Row r :
                TestData.query(
                        catalog,
                        "SELECT reason, count(*) FROM naap.rejected_events GROUP BY reason")) {
            rejectedRows.put((String) r.getField(0), (Long) r.getField(1));
        }
        assertThat(rejectedRows).isEqualTo(summary.rejectedByReason());
        List<Row> tooLarge =
                TestData.query(
                        catalog,
                        "SELECT raw_size, source_offset, stage FROM naap.rejected_events"
                                + " WHERE reason = 'too_large'");
        assertThat(tooLarge).hasSize(1);
        assertThat(tooLarge.get(0).getField(1)).isEqualTo(24L); // its line in mixed.jsonl
        assertThat((Integer) tooLarge.get(0).getField(0)).isGreaterThan(5000);

        Path liveRejected = dir.resolve("out/live/rejected.jsonl");
        assertThat(Files.readAllLines(liveRejected)).hasSize(6);
    }

    @Test
    void aRecordDeliveredTwiceIsArchivedOnceWithTheSameSessionIds() throws Exception {
        List<String> once = new ArrayList<>(allSamples());
        once.add(ARRAY_RECORD);
        List<String> twice = new ArrayList<>(once);
        List<String> reversed = new ArrayList<>(once);
        Collections.reverse(reversed);
        twice.addAll(reversed);

        RunSummary single = run(write("once.jsonl", once), "single");
        RunSummary doubled = run(write("twice.jsonl", twice), "doubled");

        assertThat(single.duplicates()).isZero();
        assertThat(doubled.accepted()).isEqualTo(single.accepted()).isEqualTo(19);
        assertThat(doubled.duplicates()).isEqualTo(19);
        assertThat(doubled.rejected()).isEqualTo(2 * single.rejected());

        List<Row> repeated =
                TestData.query(
                        catalogOf("doubled"),
                        "SELECT event_id FROM naap.raw_events GROUP BY event_id HAVING count(*) > 1");
        assertThat(repeated).isEmpty();
        Set<String> singleSessions = sessionIdsByEvent("single");
        assertThat(sessionIdsByEvent("doubled")).isEqualTo(singleSessions);
        assertThat(singleSessions)
                .contains(INGEST_EVENT + "=" + INGEST_SESSION, "arr-1=s-1|r-1")
                .hasSize(7);
    }

    @Test
    void sessionsOfTheRealSamplesMatchWhatTheirEventsSay() throws Exception {
        // The samples were captured at moments up to 72 minutes apart and are stored in no time
        // order: with the default 10 s bound, which of them count as late would depend on how
        // fast the file is read. A bound that covers their spread makes the run exact.
        RunSummary summary =
                run(
                        write(
                                "kafka-samples.jsonl",
                                TestData.sampleLines("kafka-envelope-events.jsonl")),
                        "real",
                        "--watermark-out-of-orderness",
                        "2h");
        assertThat(summary.sessions()).isEqualTo(2);

        Map<String, com.fasterxml.jackson.databind.JsonNode> finals = new HashMap<>();
        com.fasterxml.jackson.databind.ObjectMapper mapper =
                new com.fasterxml.jackson.databind.ObjectMapper();
        for (String line : Files.readAllLines(dir.resolve("real/live/sessions.jsonl"))) {
            com.fasterxml.jackson.databind.JsonNode fact = mapper.readTree(line);
            if ("final".equals(fact.path("status").asText())) {
                finals.put(fact.path("session_id").asText(), fact);
            }
        }
        assertThat(finals).containsOnlyKeys(INGEST_SESSION, "stream-z24wz2-mkfh5j30|499ae98f");

        // The sample holds this session's error (whip disconnected), one ingest sample, one
        // DEGRADED_INPUT status (output 15.0899 fps, input 14.9900 fps) and its close trace; no
        // request trace, so it is outside the startup denominator.
        com.fasterxml.jackson.databind.JsonNode a = finals.get(INGEST_SESSION);
        assertThat(a.path("requested").asBoolean()).isFalse();
        assertThat(a.path("startup_outcome").isNull()).isTrue();
        assertThat(a.path("end_reason").asText()).isEqualTo("closed");
        assertThat(a.path("ended_at").asText()).isEqualTo("2026-01-15T13:26:59.196Z");
        assertThat(a.path("errors").asInt()).isEqualTo(1);
        assertThat(a.path("excusable_errors").asInt()).isEqualTo(1);
        assertThat(a.path("status_samples").asInt()).isEqualTo(1);
        assertThat(a.path("output_fps_mean").asDouble()).isEqualTo(15.089916320451984);
        assertThat(a.path("input_fps").asDouble()).isEqualTo(14.98998309978674);
        assertThat(a.path("realtime_ratio").asDouble()).isEqualTo(1.0);
        assertThat(a.path("jitter_coefficient").isNull()).isTrue();
        assertThat(a.path("upload_bps_mean").isNull()).isTrue();
        assertThat(a.path("pipeline").asText()).isEqualTo("live-video-to-video");
        assertThat(a.path("model").asText()).isEqualTo("streamdiffusion-sdxl-faceid");
        assertThat(a.path("orchestrator_url").asText())
                .isEqualTo("https://rtav-orch2.xodeapp.xyz:28935");

        com.fasterxml.jackson.databind.JsonNode b = finals.get("stream-z24wz2-mkfh5j30|499ae98f");
        assertThat(b.path("end_reason").asText()).isEqualTo("closed");
        assertThat(b.path("errors").asInt()).isEqualTo(1);
        assertThat(b.path("status_samples").asInt()).isZero();
        assertThat(b.path("output_fps_mean").isNull()).isTrue();
        assertThat(b.path("health_coverage").isNull()).isTrue();
    }

    /** {@code event_id=session_id} for every archived event of a session-bearing family. */
    private Set<String> sessionIdsByEvent(String out) throws Exception {
        Set<String> ids = new TreeSet<>();
        for (Row r :
                TestData.query(
                        catalogOf(out),
                        "SELECT event_id, session_id FROM naap.raw_events WHERE session_id IS NOT NULL")) {
            ids.add(r.getField(0) + "=" + r.getField(1));
        }
        return ids;
    }

    private RunSummary run(Path input, String out, String... more) throws Exception {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--input",
                                input.toString(),
                                "--out",
                                dir.resolve(out).toString(),
                                "--max-record-bytes",
                                "4096",
                                "--checkpoint-interval",
                                "1s"));
        args.addAll(List.of(more));
        Options options = JobOptions.declare("test", true).parse(args.toArray(new String[0]));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        return LocalRun.run(JobOptions.from(options, true), false, env);
    }

    private CatalogSettings catalogOf(String out) {
        return new CatalogSettings(
                "naap_lake",
                Map.of(
                        "type",
                        "hadoop",
                        "warehouse",
                        dir.resolve(out).resolve("warehouse").toString()));
    }

    private static List<String> allSamples() throws Exception {
        List<String> lines = new ArrayList<>(TestData.sampleLines("kafka-envelope-events.jsonl"));
        lines.addAll(TestData.sampleLines("hackathon-sink-events.jsonl"));
        return lines;
    }

    private Path write(String name, List<String> lines) throws Exception {
        Path file = dir.resolve(name);
        Files.write(file, lines, StandardCharsets.UTF_8);
        return file;
    }
}
