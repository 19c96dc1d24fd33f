package org.livepeer.naap.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.livepeer.naap.jobs.FuzzCorpus.Expect;
import org.livepeer.naap.jobs.FuzzCorpus.Line;
import org.livepeer.naap.jobs.FuzzCorpus.Outcome;
import org.livepeer.naap.jobs.io.FileInputs;
import org.livepeer.naap.jobs.io.JsonLinesFileSink;
import org.livepeer.naap.jobs.io.LiveJson;
import org.livepeer.naap.schemas.Rejection;
import org.livepeer.naap.schemas.TelemetryEvent;
import org.livepeer.naap.workload.MessConfig;
import org.livepeer.naap.workload.OutcomeMix;
import org.livepeer.naap.workload.TruthSink;
import org.livepeer.naap.workload.WorkloadConfig;
import org.livepeer.naap.workload.WorkloadGenerator;

/**
 * Bad input at volume: a clean generated network is run alone, then again with more than ten
 * thousand mutated and random records among its lines (truncated JSON, wrong types, huge strings,
 * deep nesting, binary, timestamps far in the past and the future, ...; see {@link FuzzCorpus}).
 * The job must finish without a failure or a restart (none is allowed), account for every record
 * exactly as the documented rules say (each bad record rejected with its reason, at its line and
 * element), and no bad record may reach a metric: every session fact, node transition, metric row
 * and other derived row of the fuzzed run equals the clean run's.
 *
 * <p>Both runs read a JSON Lines file the way {@code ./naap run --input} does (the job's file
 * reader, ingest time the moment the file is read), through {@link TelemetryPipeline#define} with
 * every output collected to a file.
 */
class FuzzITCase {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final long SEED = 20261127L;
    private static final int BAD_RECORDS = 10_500;
    private static final int PROBES = 200;
    private static final int REDELIVERIES = 300;
    private static final int BLANKS = 100;

    /** A small network with no mess: the clean base has nothing to reject. */
    private static final WorkloadConfig BASE =
            new WorkloadConfig(
                    SEED,
                    30,
                    4,
                    2,
                    Duration.ofMinutes(6),
                    WorkloadConfig.DEFAULT_START,
                    OutcomeMix.defaults(),
                    MessConfig.none());

    /** The outputs compared between the runs: everything derived from accepted events. */
    private static final List<String> DERIVED =
            List.of(
                    "metrics_1m",
                    "metrics_1h",
                    "final_sessions",
                    "sessions",
                    "nodes",
                    "capabilities",
                    "payments",
                    "jobs",
                    "late_session_events");

    @TempDir Path dir;

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void badRecordsAreAllRejectedWithTheirReasonAndReachNoMetric() throws Exception {
        long started = System.nanoTime();
        List<String> baseLines = new ArrayList<>();
        ObjectNode[] truth = new ObjectNode[1];
        new WorkloadGenerator(BASE)
                .generate(
                        (line, time) -> baseLines.add(line),
                        new TruthSink() {
                            @Override
                            public void expected(ObjectNode expected) {
                                truth[0] = expected;
                            }
                        });
        List<Line> clean = FuzzCorpus.clean(baseLines);
        List<Line> fuzzed =
                FuzzCorpus.build(baseLines, SEED, BAD_RECORDS, PROBES, REDELIVERIES, BLANKS);
        List<Line> fuzz = fuzzed.stream().filter(l -> !l.base()).toList();
        long elements = fuzz.stream().mapToLong(l -> l.expects().size()).sum();
        long mustReject = count(fuzz, Outcome.REJECTED);
        long clamped = count(fuzz, Outcome.ACCEPTED_CLAMPED);
        long past = count(fuzz, Outcome.ACCEPTED_LATE);
        long redelivered = count(fuzz, Outcome.DUPLICATE);
        long badLines = fuzz.stream().filter(FuzzITCase::allRejected).count();
        assertThat(badLines).isGreaterThanOrEqualTo(10_000);
        long generated = System.nanoTime();

        Run base = run("clean", clean);
        Run run = run("fuzzed", fuzzed);

        // The clean base is what the generator says it is: nothing to reject.
        assertThat(base.summary.recordsIn()).isEqualTo(truth[0].path("records_in").asLong());
        assertThat(base.summary.accepted()).isEqualTo(truth[0].path("accepted").asLong());
        assertThat(base.summary.rejected()).isZero();
        assertThat(base.summary.duplicates()).isZero();
        assertThat(base.summary.balanced()).isTrue();

        // Every record accounted for, in the class the rules give it: each line's rejections
        // first, then the totals.
        RunSummary s = run.summary;
        checkEachRejection(fuzzed, run.outputs.get("rejected"));
        checkAcceptedAndDuplicates(fuzzed, base, run);
        assertThat(s.recordsIn()).isEqualTo(base.summary.recordsIn() + elements);
        assertThat(s.rejected()).isEqualTo(mustReject);
        assertThat(s.accepted()).isEqualTo(base.summary.accepted() + clamped + past);
        assertThat(s.duplicates()).isEqualTo(redelivered);
        assertThat(s.balanced()).isTrue();
        assertThat(s.late()).isEqualTo(base.summary.late() + past);
        Map<String, Long> families = new TreeMap<>(base.summary.acceptedByFamily());
        families.merge("unknown_family", clamped + past, Long::sum);
        assertThat(s.acceptedByFamily()).isEqualTo(families);
        assertThat(s.rejectedByReason().values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(mustReject);
        assertThat(s.rejectedByReason().keySet()).isSubsetOf(FuzzCorpus.allReasons(fuzz));

        // None reaches a metric: everything derived from the accepted events is the clean run's.
        for (String output : DERIVED) {
            assertSameOutput(output, run, base);
        }
        assertThat(base.outputs.get("metrics_1h")).isNotEmpty();
        assertThat(base.outputs.get("final_sessions")).hasSize((int) base.summary.sessions());
        assertThat(s.sessions()).isEqualTo(base.summary.sessions());
        assertThat(s.sessionsByOutcome()).isEqualTo(base.summary.sessionsByOutcome());
        assertThat(s.sessionsByEnd()).isEqualTo(base.summary.sessionsByEnd());
        assertThat(s.nodeTransitions()).isEqualTo(base.summary.nodeTransitions());

        long bytes = fuzzed.stream().mapToLong(l -> l.bytes().length + 1).sum();
        System.out.printf(
                "FuzzITCase: base %d records; fuzz %d lines (%d bad records, %d elements), %d"
                        + " probes, %d redeliveries, %d blank lines; %.1f MB in all%n"
                        + "  fuzzed run: records in %d, accepted %d, rejected %d, duplicates %d,"
                        + " late %d%n  rejected by reason: %s%n  expected by class: %s%n"
                        + "  timing: build %.1f s, clean run %.1f s, fuzzed run %.1f s, total"
                        + " %.1f s%n",
                baseLines.size(),
                fuzz.size(),
                badLines,
                elements,
                clamped + past,
                redelivered,
                fuzz.stream().filter(l -> l.expects().isEmpty()).count(),
                bytes / 1e6,
                s.recordsIn(),
                s.accepted(),
                s.rejected(),
                s.duplicates(),
                s.late(),
                s.rejectedByReason(),
                FuzzCorpus.tally(fuzz),
                (generated - started) / 1e9,
                base.seconds,
                run.seconds,
                (System.nanoTime() - started) / 1e9);
    }

    /**
     * Numbers beyond any counter, price or time (an exponent of 2147483647, one too large for any
     * reader, a face value of 10^2147483647 wei) in otherwise valid events read as unknown ({@code
     * Read}: "a number beyond any counter, price or time ... is unknown too"): the run where they
     * replace sample and payment numbers gives exactly what the run where null (a word, for the
     * required face value and win probability) replaces the same numbers gives, and neither fails.
     */
    @Test
    void numbersBeyondRangeInValidEventsReadAsUnknownAndFailNothing() throws Exception {
        List<String> baseLines = new ArrayList<>();
        new WorkloadGenerator(BASE)
                .generate((line, time) -> baseLines.add(line), new TruthSink() {});
        String[] numbers = {
            "1e2147483647",
            "-1e2147483647",
            "\"1e2147483647\"",
            "\"-1e2147483647\"",
            "\"1e9999999999\"",
            "1" + "0".repeat(100),
            "1e-2147483647",
            "\"-1e-400\""
        };
        String[] amounts = {
            "\"1e2147483647 WEI\"", "\"1e9999999999 WEI\"", "\"1e70 ETH\"", "\"1e-2147483647 WEI\""
        };
        Random rnd = new Random(SEED);
        List<Line> unknown = new ArrayList<>();
        List<Line> beyond = new ArrayList<>();
        int changed = 0;
        for (int i = 0; i < baseLines.size(); i++) {
            ObjectNode e = (ObjectNode) mapper.readTree(baseLines.get(i));
            List<String> paths = numberPaths(e);
            String asNull = baseLines.get(i);
            String asBeyond = baseLines.get(i);
            if (!paths.isEmpty() && rnd.nextInt(3) == 0) {
                ObjectNode n = e.deepCopy();
                ObjectNode b = e.deepCopy();
                for (int k = 0; k < paths.size(); k++) {
                    String[] path = paths.get(k).split("/");
                    if (paths.get(k).endsWith("faceValue") || paths.get(k).endsWith("winProb")) {
                        // Required (a number or a non-empty string): a word is their unknown.
                        holder(n, path).put(path[path.length - 1], "unknown");
                    } else {
                        holder(n, path).putNull(path[path.length - 1]);
                    }
                    holder(b, path).put(path[path.length - 1], "__BEYOND" + k + "__");
                }
                asNull = n.toString();
                asBeyond = b.toString();
                for (int k = 0; k < paths.size(); k++) {
                    String[] choice = paths.get(k).endsWith("faceValue") ? amounts : numbers;
                    asBeyond =
                            asBeyond.replace(
                                    "\"__BEYOND" + k + "__\"", choice[rnd.nextInt(choice.length)]);
                }
                changed++;
            }
            unknown.add(FuzzCorpus.baseLine(asNull));
            beyond.add(FuzzCorpus.baseLine(asBeyond));
        }
        assertThat(changed).isGreaterThan(100);

        Run asNull = run("null", unknown);
        Run asBeyond = run("beyond", beyond);

        assertThat(asBeyond.summary).isEqualTo(asNull.summary);
        assertThat(asBeyond.summary.rejected()).isZero();
        assertThat(asNull.summary.sessions()).isPositive();
        for (String output : DERIVED) {
            assertSameOutput(output, asBeyond, asNull, "faceValueText");
        }
    }

    /** The numbers of status, ingest and payment samples that this test puts beyond range. */
    private static List<String> numberPaths(ObjectNode e) {
        List<String> paths = new ArrayList<>();
        JsonNode data = e.path("data");
        switch (e.path("type").asText()) {
            case "ai_stream_status" -> {
                addIfPresent(paths, data, "inference_status/fps");
                addIfPresent(paths, data, "inference_status/restart_count");
                addIfPresent(paths, data, "input_status/fps");
            }
            case "stream_ingest_metrics" -> {
                addIfPresent(paths, data, "stats/peer_conn_stats/BytesReceived");
                addIfPresent(paths, data, "stats/peer_conn_stats/BytesSent");
                addIfPresent(paths, data, "stats/track_stats/0/jitter");
                addIfPresent(paths, data, "stats/track_stats/0/packet_loss_pct");
            }
            case "create_new_payment" -> {
                addIfPresent(paths, data, "faceValue");
                addIfPresent(paths, data, "winProb");
            }
            default -> {}
        }
        return paths;
    }

    private static void addIfPresent(List<String> paths, JsonNode data, String path) {
        JsonNode n = data;
        for (String p : path.split("/")) {
            n = p.matches("[0-9]+") ? n.path(Integer.parseInt(p)) : n.path(p);
        }
        if (!n.isMissingNode() && !n.isNull()) {
            paths.add("data/" + path);
        }
    }

    private static ObjectNode holder(ObjectNode e, String[] path) {
        JsonNode n = e;
        for (int i = 0; i < path.length - 1; i++) {
            n = path[i].matches("[0-9]+") ? n.get(Integer.parseInt(path[i])) : n.get(path[i]);
        }
        return (ObjectNode) n;
    }

    /** A line of which every element must be rejected. */
    private static boolean allRejected(Line line) {
        return !line.expects().isEmpty()
                && line.expects().stream().allMatch(e -> e.outcome() == Outcome.REJECTED);
    }

    private static long count(List<Line> lines, Outcome outcome) {
        return lines.stream()
                .flatMap(l -> l.expects().stream())
                .filter(e -> e.outcome() == outcome)
                .count();
    }

    /**
     * Each bad element has exactly one rejection, at its line (offset) and in element order, with
     * an allowed reason, a detail, a stage and the record's size; no other line has any.
     */
    private void checkEachRejection(List<Line> lines, List<JsonNode> rejections) {
        Map<Long, List<JsonNode>> byLine = new HashMap<>();
        for (JsonNode r : rejections) {
            byLine.computeIfAbsent(r.path("source_offset").asLong(), k -> new ArrayList<>()).add(r);
        }
        long checked = 0;
        List<String> wrong = new ArrayList<>();
        Map<String, Long> wrongKinds = new TreeMap<>();
        for (int i = 0; i < lines.size(); i++) {
            Line line = lines.get(i);
            long offset = i + 1;
            List<Expect> want =
                    line.expects().stream().filter(e -> e.outcome() == Outcome.REJECTED).toList();
            List<JsonNode> got = new ArrayList<>(byLine.getOrDefault(offset, List.of()));
            String what =
                    line.kind() + " at line " + offset + ": " + FuzzCorpus.preview(line.bytes());
            if (got.size() != want.size()) {
                wrong.add(what + ": " + want.size() + " rejection(s) expected, got " + got);
                wrongKinds.merge(line.kind(), 1L, Long::sum);
                continue;
            }
            got.sort((a, b) -> Integer.compare(a.path("index").asInt(), b.path("index").asInt()));
            for (int k = 0; k < want.size(); k++) {
                JsonNode r = got.get(k);
                boolean ok =
                        want.get(k).reasons().contains(r.path("reason").asText())
                                && !r.path("detail").asText().isBlank()
                                && Set.of(Rejection.STAGE_PARSE, Rejection.STAGE_VALIDATE)
                                        .contains(r.path("stage").asText())
                                && r.path("raw_size").asInt() == recordLength(line.bytes());
                if (!ok) {
                    wrong.add(
                            what
                                    + " (element "
                                    + k
                                    + "): expected one of "
                                    + want.get(k).reasons()
                                    + ", got "
                                    + r);
                    wrongKinds.merge(line.kind(), 1L, Long::sum);
                }
                checked++;
            }
        }
        assertThat(wrong.subList(0, Math.min(20, wrong.size())))
                .as(
                        "%d records not rejected as the rules say, by kind %s; the first of them",
                        wrong.size(), wrongKinds)
                .isEmpty();
        assertThat(rejections).hasSize((int) checked);
    }

    /**
     * Asserts that an output of {@code actual} has the rows of the same output of {@code expected}.
     *
     * <p>For the metrics, a window and key's row is its latest revision (README, "Windowed
     * metrics"). On the same input, run after run, this pipeline reproduces neither how many
     * revisions a window goes through nor when ({@code revision}, {@code emitted_at}); nor the last
     * bits of sums of doubles (their order); nor, for earnings, which model row a payment counts in
     * (a payment session's model is learned from whichever of its payments arrives first) or
     * whether an orchestrator row gets it (whether its snapshot arrived first). So metric rows are
     * compared without {@code revision} and {@code emitted_at}, doubles to a relative 1e-9,
     * earnings as one total per window (the network roll-up's, over all models: every payment
     * counts there exactly once), leaving out rows that carry nothing but earnings.
     */
    private void assertSameOutput(String output, Run actual, Run expected, String... without) {
        if (!output.startsWith("metrics_")) {
            assertSameRows(
                    output,
                    sorted(actual.outputs.get(output), without),
                    sorted(expected.outputs.get(output), without));
            return;
        }
        Map<String, ObjectNode> a = latestMetrics(actual.outputs.get(output));
        Map<String, ObjectNode> e = latestMetrics(expected.outputs.get(output));
        assertThat(a.keySet()).as("windows and keys of %s", output).isEqualTo(e.keySet());
        for (String key : e.keySet()) {
            ObjectNode x = a.get(key);
            ObjectNode y = e.get(key);
            assertThat(names(x)).as("%s %s", output, key).isEqualTo(names(y));
            for (String f : names(y)) {
                JsonNode u = x.get(f);
                JsonNode v = y.get(f);
                if (u.isNumber()
                        && v.isNumber()
                        && (u.isFloatingPointNumber() || v.isFloatingPointNumber())) {
                    assertThat(u.asDouble())
                            .as("%s %s %s", output, key, f)
                            .isCloseTo(
                                    v.asDouble(),
                                    org.assertj.core.data.Percentage.withPercentage(1e-7));
                } else {
                    assertThat(u).as("%s %s %s", output, key, f).isEqualTo(v);
                }
            }
        }
    }

    /**
     * The latest revision of each window and key, without revision, emission time and earnings;
     * rows that carry nothing but earnings left out; and one row per window with the network
     * roll-up's earnings over all models.
     */
    private static Map<String, ObjectNode> latestMetrics(List<JsonNode> rows) {
        Map<String, JsonNode> latest = new TreeMap<>();
        for (JsonNode row : rows) {
            String key =
                    String.join(
                            " ",
                            row.path("window_start").asText(),
                            row.path("aggregation_level").asText(),
                            row.path("orchestrator_address").asText(),
                            row.path("pipeline").asText(),
                            row.path("model").asText(),
                            row.path("gpu_id").asText());
            JsonNode seen = latest.get(key);
            if (seen == null || row.path("revision").asInt() > seen.path("revision").asInt()) {
                latest.put(key, row);
            }
        }
        Map<String, ObjectNode> out = new TreeMap<>();
        for (Map.Entry<String, JsonNode> entry : latest.entrySet()) {
            JsonNode row = entry.getValue();
            if ("network".equals(row.path("aggregation_level").asText())) {
                ObjectNode total =
                        out.computeIfAbsent(
                                "earnings " + row.path("window_start").asText(),
                                k -> JsonNodeFactory.instance.objectNode().put("earned_wei", 0.0));
                total.put(
                        "earned_wei",
                        total.path("earned_wei").asDouble() + row.path("earned_wei").asDouble());
            }
            ObjectNode copy = row.deepCopy();
            copy.remove(List.of("revision", "emitted_at", "earned_wei", "earnings_wei_per_hour"));
            boolean earningsOnly =
                    copy.path("model").isNull()
                            && copy.path("requested").asLong() == 0
                            && copy.path("fps_count").asLong() == 0
                            && copy.path("ingest_ms").asLong() == 0
                            && copy.path("offered_seconds").asDouble() == 0
                            && copy.path("busy_seconds").asDouble() == 0;
            if (!earningsOnly) {
                out.put(entry.getKey(), copy);
            }
        }
        return out;
    }

    private static List<String> names(JsonNode row) {
        List<String> names = new ArrayList<>();
        row.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** The same rows, or a failure that shows the rows only one side has. */
    private static void assertSameRows(String output, List<String> actual, List<String> expected) {
        if (actual.equals(expected)) {
            return;
        }
        List<String> extra = new ArrayList<>(actual);
        expected.forEach(extra::remove);
        List<String> missing = new ArrayList<>(expected);
        actual.forEach(missing::remove);
        fail(
                "output %s differs: %d rows of %d only in this run, %d of %d only in the reference;"
                        + " first of each:%n  %s%n  %s",
                output,
                extra.size(),
                actual.size(),
                missing.size(),
                expected.size(),
                extra.stream().limit(3).toList(),
                missing.stream().limit(3).toList());
    }

    /** The length of a line as a record: without a trailing carriage return. */
    private static int recordLength(byte[] line) {
        int n = line.length;
        return n > 0 && line[n - 1] == '\r' ? n - 1 : n;
    }

    /**
     * The accepted events of the fuzzed run are the clean run's plus the probes, each probe at the
     * time the rules give it; the duplicates are exactly the corrupted redeliveries; the late
     * events are the clean run's plus the far-past probes.
     */
    private void checkAcceptedAndDuplicates(List<Line> lines, Run base, Run run) {
        Map<String, Expect> probes = new HashMap<>();
        Map<Long, Line> lineAt = new HashMap<>();
        Set<Long> redeliveryLines = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            lineAt.put((long) i + 1, lines.get(i));
            for (Expect e : lines.get(i).expects()) {
                if (e.outcome() == Outcome.ACCEPTED_CLAMPED
                        || e.outcome() == Outcome.ACCEPTED_LATE) {
                    probes.put(e.eventId(), e);
                } else if (e.outcome() == Outcome.DUPLICATE) {
                    redeliveryLines.add((long) i + 1);
                }
            }
        }
        Set<String> expectedIds = ids(base.outputs.get("raw_events"));
        expectedIds.addAll(probes.keySet());
        assertThat(ids(run.outputs.get("raw_events"))).isEqualTo(expectedIds);
        assertThat(run.outputs.get("raw_events")).hasSize(expectedIds.size());
        for (JsonNode e : run.outputs.get("raw_events")) {
            Line line = lineAt.get(e.path("offset").asLong());
            Expect probe = probes.get(e.path("event_id").asText());
            if (probe == null) {
                assertThat(line.base()).as("accepted %s comes from a base line", e).isTrue();
                continue;
            }
            assertThat(e.path("family").asText()).isEqualTo("unknown_family");
            boolean future = probe.outcome() == Outcome.ACCEPTED_CLAMPED;
            assertThat(e.path("time_clamped").asBoolean()).as("clamped: %s", e).isEqualTo(future);
            if (future) {
                // Clamped to the ingest time: for a file, the moment it was read.
                assertThat(e.path("event_time").asLong())
                        .as("time of %s", e)
                        .isEqualTo(e.path("ingest_time").asLong())
                        .isBetween(run.started, run.finished);
            } else {
                assertThat(e.path("event_time").asLong())
                        .as("time of %s", e)
                        .isEqualTo(probe.eventTime());
            }
        }
        Set<Long> duplicateLines = new HashSet<>();
        for (JsonNode d : run.outputs.get("duplicates")) {
            duplicateLines.add(d.path("source_offset").asLong());
        }
        assertThat(run.outputs.get("duplicates")).hasSize(redeliveryLines.size());
        assertThat(duplicateLines).isEqualTo(redeliveryLines);

        Set<String> late = ids(base.outputs.get("late"));
        probes.forEach(
                (id, e) -> {
                    if (e.outcome() == Outcome.ACCEPTED_LATE) {
                        late.add(id);
                    }
                });
        assertThat(ids(run.outputs.get("late"))).isEqualTo(late);
    }

    private static Set<String> ids(List<JsonNode> events) {
        Set<String> ids = new HashSet<>();
        for (JsonNode e : events) {
            ids.add(e.path("event_id").asText());
        }
        return ids;
    }

    /**
     * The rows as sorted JSON texts, without the pointers into the input file (lines shift) and the
     * fields named.
     */
    private List<String> sorted(List<JsonNode> rows, String... without) {
        List<String> out = new ArrayList<>();
        for (JsonNode row : rows) {
            ObjectNode copy = row.deepCopy();
            copy.remove(
                    List.of("source_offset", "offset", "sourceOffset", "source_topic", "topic"));
            copy.remove(List.of(without));
            out.add(copy.toString());
        }
        out.sort(null);
        return out;
    }

    // ---- running the job

    private record Run(
            RunSummary summary,
            Map<String, List<JsonNode>> outputs,
            double seconds,
            long started,
            long finished) {}

    private Run run(String name, List<Line> lines) throws Exception {
        Path input = dir.resolve(name + ".jsonl");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        for (int i = 0; i < lines.size(); i++) {
            byte[] b = lines.get(i).bytes();
            for (byte x : b) {
                if (x == '\n') {
                    fail("a line holds a line feed: " + FuzzCorpus.preview(b));
                }
            }
            bytes.write(b);
            bytes.write('\n');
        }
        Files.write(input, bytes.toByteArray());
        Path out = dir.resolve(name);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        Configuration conf = new Configuration();
        // A failure fails the run: no restart may hide a crash.
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        env.configure(conf);
        TelemetryPipeline.define(
                FileInputs.of(env, List.of(input)), PipelineConfig.defaults(), outputs(out));

        long started = System.nanoTime();
        long startedAt = System.currentTimeMillis();
        JobClient job = env.executeAsync("fuzz " + name);
        JobExecutionResult result;
        try {
            result = job.getJobExecutionResult().get(180, TimeUnit.SECONDS);
        } catch (TimeoutException hang) {
            job.cancel().get(30, TimeUnit.SECONDS);
            throw new AssertionError("the " + name + " run did not finish in 180 s", hang);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Map<String, List<JsonNode>> outputs = new HashMap<>();
        try (var files = Files.list(out)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String file = f.getFileName().toString();
                outputs.put(file.substring(0, file.length() - ".jsonl".length()), readRows(f));
            }
        }
        return new Run(
                RunSummary.fromAccumulators(result.getAllAccumulatorResults()),
                outputs,
                seconds,
                startedAt,
                System.currentTimeMillis());
    }

    private List<JsonNode> readRows(Path file) throws Exception {
        List<JsonNode> rows = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            rows.add(mapper.readTree(line));
        }
        return rows;
    }

    private static TelemetryPipeline.Outputs outputs(Path out) {
        return new TelemetryPipeline.Outputs(
                sink(out, "raw_events", FuzzITCase::acceptedEvent),
                sink(out, "rejected", FuzzITCase::rejection),
                sink(out, "duplicates", LiveJson::eventPointer),
                sink(out, "late", LiveJson::eventPointer),
                sink(out, "sessions", LiveJson::session),
                sink(out, "final_sessions", LiveJson::session),
                sink(out, "late_session_events", LiveJson::eventPointer),
                sink(out, "nodes", LiveJson::node),
                sink(out, "capabilities", (m, row) -> fields(m, row)),
                sink(out, "payments", (m, row) -> fields(m, row)),
                sink(out, "jobs", (m, row) -> fields(m, row)),
                sink(out, "metrics_1m", LiveJson::metrics),
                sink(out, "metrics_1h", LiveJson::metrics));
    }

    private static <T> OutputSink<T> sink(
            Path out, String name, JsonLinesFileSink.Encoder<T> encoder) {
        Path file = out.resolve(name + ".jsonl");
        return stream ->
                stream.sinkTo(new JsonLinesFileSink<>(file, encoder))
                        .setParallelism(1)
                        .name("Collect " + name);
    }

    private static ObjectNode acceptedEvent(ObjectMapper m, TelemetryEvent e) {
        ObjectNode n = m.createObjectNode();
        n.put("event_id", e.eventId);
        n.put("family", e.family);
        n.put("offset", e.offset);
        n.put("index", e.index);
        n.put("event_time", e.eventTime);
        n.put("ingest_time", e.ingestTime);
        n.put("time_clamped", e.timeClamped);
        n.put("event_time_source", e.eventTimeSource);
        return n;
    }

    private static ObjectNode rejection(ObjectMapper m, Rejection r) {
        ObjectNode n = m.createObjectNode();
        n.put("reason", r.reason);
        n.put("detail", r.detail);
        n.put("stage", r.stage);
        n.put("source_offset", r.offset);
        n.put("index", r.index);
        n.put("event_id", r.eventId);
        n.put("raw_size", r.rawSize);
        return n;
    }

    private static ObjectNode fields(ObjectMapper m, Object row) {
        return (ObjectNode) m.valueToTree(row);
    }
}
