package org.livepeer.naap.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
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
 * Every node transition the job emits against the generator's {@code truth/nodes.jsonl}, on
 * generated networks where orchestrators die and gateways go silent, with every kind of mess on.
 *
 * <p>What the truth says and what the job can know differ in one way, by METRICS.md's own rules: a
 * death is the instant the node stopped, and the job can only see it as silence past the node's
 * timeout. So a {@code DOWN_ABRUPT} is matched on its node, its {@code last_seen} (exactly: the
 * same attributable events) and its sessions, and its {@code at} must lie after the death and
 * within {@link #DETECTION_BOUND_MS} of the last sign of life. A node whose downtime (its last sign
 * of life to its recovery, or to the input's end) is shorter than that bound may or may not be
 * found down; if found, its {@code RECOVERED} must match too. Every other transition ({@code UP},
 * {@code RESTARTED}, {@code DOWN_GRACEFUL}, {@code RECOVERED}) must match exactly, and the job may
 * emit nothing the truth does not have.
 */
class NodeTruthITCase {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    /**
     * The longest a death may take to be found: an idle orchestrator is expected every capabilities
     * cadence (60 s per gateway), timeout 3 x 60 s, and its last snapshot may be up to a cadence
     * (plus the generator's 2 s jitter) older than its last sign of life. Gateways (90 s, their
     * discovery) and orchestrators under streams (30 s, their status) are found sooner.
     */
    private static final long DETECTION_BOUND_MS = 4 * 60_000 + 10_000;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir Path dir;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 22})
    void nodeTransitionsMatchTheGeneratorsTruth(long seed) throws Exception {
        // Deaths are drawn as session outcomes: a mix rich in them kills several orchestrators
        // and silences gateways, some for long enough to be found, some not.
        OutcomeMix mix = OutcomeMix.parse("success=0.6,orchestrator_dies=0.2,gateway_silent=0.2");
        WorkloadConfig config =
                new WorkloadConfig(
                        seed,
                        40,
                        8,
                        3,
                        Duration.ofMinutes(20),
                        WorkloadConfig.DEFAULT_START,
                        mix,
                        MessConfig.all());
        Path input = dir.resolve("input");
        new WorkloadGenerator(config).writeTo(input);
        List<JsonNode> truth = read(input.resolve("truth/nodes.jsonl"));

        Options options =
                JobOptions.declare("test", true)
                        .parse(new String[] {"--out", dir.resolve("out").toString()});
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        LocalRun.run(
                JobOptions.from(options, true).withInputs(List.of(input.resolve("events.jsonl"))),
                false,
                env);
        List<JsonNode> got = read(dir.resolve("out/live/nodes.jsonl"));
        long inputEnd = config.start().toEpochMilli() + config.duration().toMillis();
        // The known limit (LivenessDetector#deadline): a stream that stops without its close
        // (the trace lost on the way) looks like its orchestrator dying under it. Such a down must
        // be explained by a stream of that orchestrator that timed out just before it; it and its
        // workers' cascade are then set aside, and counted.
        java.util.Map<String, long[]> explained = explainedFalseDowns(input, truth, got);
        System.out.println(
                "seed "
                        + seed
                        + ": downs explained by streams cut without a close: "
                        + explained.keySet());

        Set<String> expected = new TreeSet<>();
        Set<String> optional = new TreeSet<>();
        int found = 0;
        for (int i = 0; i < truth.size(); i++) {
            JsonNode t = truth.get(i);
            String transition = t.get("transition").asText();
            if (!transition.equals("DOWN_ABRUPT")) {
                if (setAside(explained, t.get("node_id").asText(), t.get("at").asLong())) {
                    optional.add(exact(t));
                } else if (!transition.equals("RECOVERED") || !afterShortDown(truth, i, inputEnd)) {
                    expected.add(exact(t));
                } else {
                    // Not found down, the node's return is a restart the timeout missed, if
                    // its first event is its reset (METRICS.md: RESTARTED).
                    optional.add(exact(t));
                    optional.add(exact(t).replace(" RECOVERED ", " RESTARTED "));
                }
                continue;
            }
            long lastSeen = t.get("last_seen").asLong();
            long downUntil = recoveryOf(truth, i).orElse(inputEnd);
            long silentSince = silentSince(truth, t);
            JsonNode match = downOf(got, t.get("node_id").asText(), lastSeen);
            if (setAside(explained, t.get("node_id").asText(), t.get("at").asLong())) {
                continue;
            }
            if (downUntil - silentSince > DETECTION_BOUND_MS) {
                assertThat(match).as("a death long enough to be found: %s", t).isNotNull();
            }
            if (match != null) {
                found++;
                long at = millis(match.get("at"));
                assertThat(at)
                        .as("found after the death: %s", t)
                        .isGreaterThanOrEqualTo(t.get("at").asLong());
                if (t.get("node_kind").asText().equals("worker")) {
                    // A worker goes down with its orchestrator, whenever it was last heard of.
                    assertThat(ownerDownAt(got, t.get("node_id").asText()))
                            .as("down with its orchestrator: %s", t)
                            .contains(at);
                } else {
                    assertThat(at - lastSeen)
                            .as("found in time: %s", t)
                            .isLessThanOrEqualTo(DETECTION_BOUND_MS);
                }
                assertThat(sessions(match)).as("its sessions: %s", t).isEqualTo(sessions(t));
            }
        }

        List<String> unexpected = new ArrayList<>();
        Set<String> emitted = new TreeSet<>();
        for (JsonNode g : got) {
            if (setAside(explained, g.get("node_id").asText(), millis(g.get("at")))) {
                continue;
            }
            if (g.get("transition").asText().equals("DOWN_ABRUPT")) {
                if (!isTrueDown(truth, g)) {
                    unexpected.add(g.toString());
                }
                continue;
            }
            String key = exact(g);
            emitted.add(key);
            if (!expected.contains(key) && !optional.contains(key)) {
                unexpected.add(g.toString());
            }
        }
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(emitted);
        assertThat(missing).as("truth transitions the job did not emit").isEmpty();
        assertThat(unexpected).as("transitions the truth does not have").isEmpty();
        assertThat(found).as("deaths found").isPositive();
    }

    /**
     * The job's orchestrator downs the truth does not have, each explained by a stream of that
     * orchestrator that ended without a close ({@code timed_out}) within the active-session window
     * (30 s) before the down's last sign of life: orchestrator id to the down's time. A down with
     * no such stream fails the test.
     */
    private static java.util.Map<String, long[]> explainedFalseDowns(
            Path input, List<JsonNode> truth, List<JsonNode> got) throws IOException {
        java.util.Map<String, String> uriOf = new java.util.HashMap<>();
        JsonNode network =
                MAPPER.readTree(input.resolve("truth/workload.json").toFile()).get("network");
        for (JsonNode o : network.get("orchestrators")) {
            uriOf.put(o.get("node_id").asText(), o.get("orch_uri").asText());
        }
        List<JsonNode> sessions = read(input.resolve("truth/sessions.jsonl"));
        java.util.Map<String, long[]> out = new java.util.TreeMap<>();
        for (JsonNode g : got) {
            String id = g.get("node_id").asText();
            if (!g.get("transition").asText().equals("DOWN_ABRUPT")
                    || !id.startsWith("orchestrator:")
                    || isTrueDown(truth, g)) {
                continue;
            }
            long lastSeen = millis(g.get("last_seen"));
            boolean streamCut = false;
            for (JsonNode s : sessions) {
                long last = s.path("last_event_at").asLong(Long.MIN_VALUE);
                streamCut |=
                        s.path("end_reason").asText().equals("timed_out")
                                && s.path("orchestrator_url").asText().equals(uriOf.get(id))
                                && last >= lastSeen - 30_000
                                && last <= lastSeen + 10_000;
            }
            assertThat(streamCut).as("an orchestrator down nothing explains: %s", g).isTrue();
            long at = millis(g.get("at"));
            long until = Long.MAX_VALUE;
            for (JsonNode r : got) {
                if (r.get("node_id").asText().equals(id)
                        && r.get("transition").asText().equals("RECOVERED")
                        && millis(r.get("at")) > at) {
                    until = Math.min(until, millis(r.get("at")));
                }
            }
            out.putIfAbsent(id, new long[] {at, until});
        }
        return out;
    }

    /**
     * Whether a transition of {@code node} at {@code at} is set aside: for the orchestrator of an
     * explained false down, the down and the recovery that follows; for its workers, which the
     * cascade took down and which stay down until they reconnect, everything from the down on.
     */
    private static boolean setAside(java.util.Map<String, long[]> explained, String node, long at) {
        String owner =
                node.startsWith("worker:")
                        ? "orchestrator:" + node.substring("worker:".length()).replaceAll("@.*", "")
                        : node;
        long[] window = explained.get(owner);
        if (window == null || at < window[0]) {
            return false;
        }
        return !node.equals(owner) || at <= window[1];
    }

    /** node, transition and time: what must match exactly. */
    private static String exact(JsonNode r) {
        return r.get("node_id").asText()
                + " "
                + r.get("transition").asText()
                + " "
                + millis(r.get("at"));
    }

    /** Whether the RECOVERED at {@code i} ends a down too short to be found. */
    private static boolean afterShortDown(List<JsonNode> truth, int i, long inputEnd) {
        String node = truth.get(i).get("node_id").asText();
        for (int j = i - 1; j >= 0; j--) {
            JsonNode t = truth.get(j);
            if (t.get("node_id").asText().equals(node)) {
                if (!t.get("transition").asText().equals("DOWN_ABRUPT")) {
                    return false;
                }
                return truth.get(i).get("at").asLong() - silentSince(truth, t)
                        <= DETECTION_BOUND_MS;
            }
        }
        return false;
    }

    private static java.util.OptionalLong recoveryOf(List<JsonNode> truth, int down) {
        String node = truth.get(down).get("node_id").asText();
        for (int j = down + 1; j < truth.size(); j++) {
            JsonNode t = truth.get(j);
            if (t.get("node_id").asText().equals(node)) {
                return java.util.OptionalLong.of(t.get("at").asLong());
            }
        }
        return java.util.OptionalLong.empty();
    }

    private static JsonNode downOf(List<JsonNode> got, String node, long lastSeen) {
        for (JsonNode g : got) {
            if (g.get("node_id").asText().equals(node)
                    && g.get("transition").asText().equals("DOWN_ABRUPT")
                    && millis(g.get("last_seen")) == lastSeen) {
                return g;
            }
        }
        return null;
    }

    /**
     * When the silence that reveals a death began: the node's last sign of life, or for a worker
     * (which sends none of its own) its orchestrator's, which dies at the same instant.
     */
    private static long silentSince(List<JsonNode> truth, JsonNode down) {
        String id = down.get("node_id").asText();
        if (!id.startsWith("worker:")) {
            return down.get("last_seen").asLong();
        }
        String owner = "orchestrator:" + id.substring("worker:".length()).replaceAll("@.*", "");
        for (JsonNode t : truth) {
            if (t.get("node_id").asText().equals(owner)
                    && t.get("transition").asText().equals("DOWN_ABRUPT")
                    && t.get("at").asLong() == down.get("at").asLong()) {
                return t.get("last_seen").asLong();
            }
        }
        throw new AssertionError("a worker down without its orchestrator: " + down);
    }

    /** The times the job found the orchestrator of worker {@code id} down. */
    private static List<Long> ownerDownAt(List<JsonNode> got, String id) {
        String address = id.substring("worker:".length()).replaceAll("@.*", "");
        List<Long> out = new ArrayList<>();
        for (JsonNode g : got) {
            if (g.get("node_id").asText().equals("orchestrator:" + address)
                    && g.get("transition").asText().equals("DOWN_ABRUPT")) {
                out.add(millis(g.get("at")));
            }
        }
        return out;
    }

    private static boolean isTrueDown(List<JsonNode> truth, JsonNode g) {
        for (JsonNode t : truth) {
            if (t.get("transition").asText().equals("DOWN_ABRUPT")
                    && t.get("node_id").asText().equals(g.get("node_id").asText())
                    && t.get("last_seen").asLong() == millis(g.get("last_seen"))) {
                return true;
            }
        }
        return false;
    }

    private static Set<String> sessions(JsonNode r) {
        Set<String> out = new TreeSet<>();
        JsonNode a = r.get("active_sessions");
        if (a != null && a.isArray()) {
            a.forEach(s -> out.add(s.asText()));
        }
        return out;
    }

    /** Epoch milliseconds from the truth's numbers or the job's RFC 3339 text. */
    private static long millis(JsonNode v) {
        return v.isNumber() ? v.asLong() : Instant.parse(v.asText()).toEpochMilli();
    }

    private static List<JsonNode> read(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) {
                out.add(MAPPER.readTree(line));
            }
        }
        return out;
    }
}
