package org.livepeer.naap.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A workload generated into memory, with the truth the generator reported. */
final class Generated {
    static final ObjectMapper MAPPER = new ObjectMapper();

    /** A medium workload: 40 simulated minutes, 300 sessions, every mess kind at its default. */
    static final WorkloadConfig MEDIUM =
            WorkloadConfig.defaults()
                    .withSeed(11)
                    .withSessions(300)
                    .withOrchestrators(10)
                    .withGateways(4)
                    .withDuration(Duration.ofMinutes(40));

    private static Generated embedded;
    private static Generated medium;

    final WorkloadConfig config;
    final List<String> lines = new ArrayList<>();
    final List<Long> times = new ArrayList<>();
    final List<ObjectNode> sessions = new ArrayList<>();
    final List<ObjectNode> nodes = new ArrayList<>();
    ObjectNode expected;
    ObjectNode workload;
    WorkloadSummary summary;

    private Generated(WorkloadConfig config) {
        this.config = config;
    }

    static synchronized Generated embedded() {
        if (embedded == null) {
            embedded = of(WorkloadConfig.embedded());
        }
        return embedded;
    }

    static synchronized Generated medium() {
        if (medium == null) {
            medium = of(MEDIUM);
        }
        return medium;
    }

    static Generated of(WorkloadConfig c) {
        Generated g = new Generated(c);
        g.summary = new WorkloadGenerator(c).generate(g::record, g.truth());
        return g;
    }

    static Generated scripted(WorkloadConfig c, Network net, List<SessionScript> scripts) {
        Generated g = new Generated(c);
        g.summary = new WorkloadGenerator(c, net, scripts).generate(g::record, g.truth());
        return g;
    }

    private void record(String line, long time) {
        lines.add(line);
        times.add(time);
    }

    private TruthSink truth() {
        return new TruthSink() {
            @Override
            public void workload(ObjectNode w) {
                workload = w;
            }

            @Override
            public void session(ObjectNode row) {
                sessions.add(row);
            }

            @Override
            public void node(ObjectNode row) {
                nodes.add(row);
            }

            @Override
            public void expected(ObjectNode e) {
                expected = e;
            }
        };
    }

    Map<String, ObjectNode> sessionsById() {
        Map<String, ObjectNode> m = new LinkedHashMap<>();
        for (ObjectNode r : sessions) {
            m.put(r.get("session_id").asText(), r);
        }
        return m;
    }

    ObjectNode session(String streamId) {
        for (ObjectNode r : sessions) {
            if (r.get("stream_id").asText().equals(streamId)) {
                return r;
            }
        }
        throw new AssertionError("no truth row for " + streamId);
    }

    long mess(String kind, String field) {
        return expected.path("mess").path(kind).path(field).asLong();
    }

    static JsonNode json(String s) {
        try {
            return MAPPER.readTree(s);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
