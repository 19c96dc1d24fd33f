package org.livepeer.naap.workload;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The expected accounting agrees with the records, counted here independently. */
class ExpectedAccountingTest {

    @Test
    void embeddedExpectedCountsMatchAnIndependentCount() {
        check(Generated.embedded());
    }

    @Test
    void mediumExpectedCountsMatchAnIndependentCount() {
        check(Generated.medium());
    }

    private static void check(Generated g) {
        Records r = Records.of(g.lines);
        JsonNode e = g.expected;
        assertThat(e.get("records").asLong()).isEqualTo(g.lines.size()).isEqualTo(r.records);
        assertThat(e.get("records_in").asLong()).isEqualTo(r.recordsIn);
        assertThat(e.get("accepted").asLong()).isEqualTo(r.accepted);
        assertThat(e.get("rejected").asLong()).isEqualTo(r.rejected);
        assertThat(e.get("duplicates").asLong()).isEqualTo(r.duplicates);
        assertThat(map(e.get("rejected_by_reason"))).isEqualTo(r.reasons);
        assertThat(map(e.get("accepted_by_family"))).isEqualTo(r.families);
        assertThat(withoutZeros(map(e.get("by_shape")))).isEqualTo(r.shapes);
        assertThat(e.get("streamr_wrapped").asLong()).isEqualTo(r.wrapped);
        assertThat(e.get("records_in").asLong()).isEqualTo(r.accepted + r.rejected + r.duplicates);
        assertThat(g.summary.balanced()).isTrue();
        long bytes = 0;
        for (String l : g.lines) {
            bytes += l.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1;
        }
        assertThat(e.get("bytes").asLong()).isEqualTo(bytes);
        // Every rejection reason the brief names appears.
        assertThat(r.reasons)
                .containsKeys("malformed_json", "too_large", "not_an_object", "missing_field:id");
        assertThat(r.families).containsKey("unknown_family");
        assertThat(r.duplicates).isPositive();
    }

    @Test
    void summaryRepeatsTheExpectedCounts() {
        Generated g = Generated.medium();
        WorkloadSummary s = g.summary;
        JsonNode e = g.expected;
        assertThat(s.records()).isEqualTo(e.get("records").asLong());
        assertThat(s.recordsIn()).isEqualTo(e.get("records_in").asLong());
        assertThat(s.accepted()).isEqualTo(e.get("accepted").asLong());
        assertThat(s.rejected()).isEqualTo(e.get("rejected").asLong());
        assertThat(s.duplicates()).isEqualTo(e.get("duplicates").asLong());
        assertThat(s.dropped()).isEqualTo(e.get("dropped").asLong());
        assertThat(s.late()).isEqualTo(e.get("late").asLong());
        assertThat(s.sessions()).isEqualTo(g.config.sessions()).isEqualTo(g.sessions.size());
        assertThat(s.nodeTransitions()).isEqualTo(g.nodes.size());
        assertThat(new TreeMap<>(s.acceptedByFamily())).isEqualTo(map(e.get("accepted_by_family")));
    }

    @Test
    void withoutMessEveryRecordIsOneAcceptedKafkaEvent() {
        Generated g = Generated.of(WorkloadConfig.embedded().withMess(MessConfig.none()));
        Records r = Records.of(g.lines);
        assertThat(r.rejected).isZero();
        assertThat(r.duplicates).isZero();
        assertThat(r.accepted).isEqualTo(g.lines.size());
        assertThat(r.shapes).containsOnlyKeys("kafka_queue");
        assertThat(g.expected.get("dropped").asLong()).isZero();
        assertThat(g.expected.get("late").asLong()).isZero();
    }

    private static Map<String, Long> map(JsonNode n) {
        Map<String, Long> m = new TreeMap<>();
        n.properties().forEach(f -> m.put(f.getKey(), f.getValue().asLong()));
        return m;
    }

    private static Map<String, Long> withoutZeros(Map<String, Long> m) {
        m.values().removeIf(v -> v == 0);
        return m;
    }
}
