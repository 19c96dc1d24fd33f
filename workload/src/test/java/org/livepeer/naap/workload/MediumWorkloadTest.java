package org.livepeer.naap.workload;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * On a medium workload (300 sessions, 40 minutes, every mess kind at its default rate): every
 * outcome and every mess kind appears at its configured rate, and the truth agrees with what the
 * records show.
 */
class MediumWorkloadTest {

    /**
     * Outcomes are drawn stratified, so each count is within 1 of {@code n x share}; we allow 2.
     */
    @Test
    void everyOutcomeAppearsAtItsConfiguredShare() {
        Generated g = Generated.medium();
        Map<String, Integer> counts = new TreeMap<>();
        for (ObjectNode r : g.sessions) {
            counts.merge(r.get("outcome").asText(), 1, Integer::sum);
        }
        int n = g.config.sessions();
        for (Outcome o : Outcome.values()) {
            double want = n * g.config.mix().fraction(o);
            assertThat(counts.getOrDefault(o.wireName(), 0))
                    .as(o.wireName())
                    .isPositive()
                    .isBetween((int) Math.floor(want) - 2, (int) Math.ceil(want) + 2);
            assertThat(g.expected.path("outcomes").path(o.wireName()).asInt())
                    .isEqualTo(counts.get(o.wireName()));
        }
    }

    @Test
    void everyOutcomeShowsInItsTruth() {
        for (ObjectNode r : Generated.medium().sessions) {
            String o = r.get("outcome").asText();
            String why = o + " " + r;
            assertThat(r.get("requested").asBoolean()).as(why).isTrue();
            switch (o) {
                case "success":
                    assertThat(r.get("startup_outcome").asText()).as(why).isEqualTo("success");
                    assertThat(r.get("end_reason").asText()).as(why).isEqualTo("closed");
                    assertThat(r.get("output_failed").asBoolean()).as(why).isFalse();
                    assertThat(r.get("effective_failed").asBoolean()).as(why).isFalse();
                    assertThat(r.get("segments").asInt()).as(why).isEqualTo(1);
                    assertThat(r.get("payments").asInt()).as(why).isPositive();
                    assertThat(r.get("output_fps_mean").asDouble()).as(why).isPositive();
                    break;
                case "no_orchestrators":
                    assertThat(r.get("startup_outcome").asText()).isEqualTo("excused");
                    assertThat(r.get("excuse_reason").asText()).isEqualTo("no_orchestrators");
                    assertThat(r.get("orchestrator_address").isNull()).isTrue();
                    assertThat(r.get("segments").asInt()).isZero();
                    break;
                case "unexcused_failure":
                    assertThat(r.get("startup_outcome").asText()).as(why).isEqualTo("unexcused");
                    assertThat(r.get("errors").asInt()).as(why).isPositive();
                    assertThat(r.get("ptff_ms").isNull()).isTrue();
                    assertThat(r.get("effective_failed").asBoolean()).isTrue();
                    break;
                case "excusable_failure":
                    assertThat(r.get("startup_outcome").asText()).as(why).isEqualTo("excused");
                    assertThat(r.get("excuse_reason").asText()).isEqualTo("excusable_error");
                    assertThat(r.get("excusable_errors").asInt())
                            .isEqualTo(r.get("errors").asInt())
                            .isPositive();
                    break;
                case "loading_only":
                    assertThat(r.get("loading_only").asBoolean()).as(why).isTrue();
                    assertThat(r.get("effective_failed").asBoolean()).isTrue();
                    break;
                case "zero_output_fps":
                    assertThat(r.get("zero_output_fps").asBoolean()).as(why).isTrue();
                    assertThat(r.get("loading_only").asBoolean()).as(why).isFalse();
                    assertThat(r.get("output_fps_mean").isNull()).isTrue();
                    break;
                case "confirmed_swap":
                    assertThat(r.get("confirmed_swaps").asInt()).as(why).isEqualTo(1);
                    assertThat(r.get("inferred_swaps").asInt()).as(why).isZero();
                    assertThat(r.get("segments").asInt()).as(why).isEqualTo(2);
                    break;
                case "inferred_swap":
                    assertThat(r.get("inferred_swaps").asInt()).as(why).isEqualTo(1);
                    assertThat(r.get("confirmed_swaps").asInt()).as(why).isZero();
                    assertThat(r.get("segments").asInt()).as(why).isEqualTo(2);
                    break;
                case "prompt_updates":
                    assertThat(r.get("prompt_updates").asInt()).as(why).isPositive();
                    assertThat(r.get("prompt_update_ms_max").asLong())
                            .isGreaterThanOrEqualTo(r.get("prompt_update_ms_p50").asLong())
                            .isPositive();
                    break;
                case "orchestrator_dies":
                    assertThat(r.get("end_reason").asText()).as(why).isEqualTo("orchestrator_lost");
                    assertThat(r.get("effective_failed").asBoolean()).isTrue();
                    break;
                case "gateway_silent":
                    assertThat(r.get("end_reason").asText()).as(why).isEqualTo("timed_out");
                    break;
                case "left_open":
                    assertThat(r.get("end_reason").asText()).as(why).isEqualTo("open");
                    assertThat(r.get("ended_at").isNull()).isTrue();
                    break;
                default:
                    throw new AssertionError(o);
            }
        }
    }

    /**
     * Each kind applies at its rate to the items it may apply to: within 4 binomial standard
     * deviations plus the one forced early occurrence; every kind appears.
     */
    @Test
    void everyMessKindAppearsAtItsConfiguredRate() {
        Generated g = Generated.medium();
        for (MessConfig.Kind k : MessConfig.Kind.values()) {
            double rate = g.config.mess().rate(k);
            long eligible = g.mess(k.wireName(), "eligible");
            long applied = g.mess(k.wireName(), "applied");
            double sd = Math.sqrt(eligible * rate * (1 - rate));
            assertThat(applied).as(k.wireName()).isPositive();
            assertThat((double) applied)
                    .as(k.wireName() + " applied to " + applied + " of " + eligible)
                    .isBetween(rate * eligible - 4 * sd - 1, rate * eligible + 4 * sd + 1);
        }
    }

    /** What the mess statistics claim is what the records show, counted independently. */
    @Test
    void messCountsAreWhatTheRecordsShow() {
        Generated g = Generated.medium();
        Records r = Records.of(g.lines);
        long duplicateRecords = 0;
        Set<Integer> dupLines = new HashSet<>();
        for (Records.Element e : r.elements) {
            if (e.duplicate() && dupLines.add(e.line())) {
                duplicateRecords++;
            }
        }
        assertThat(duplicateRecords).isEqualTo(g.mess("duplicates", "applied"));
        assertThat(r.reasons.get("malformed_json")).isEqualTo(g.mess("malformed", "applied"));
        assertThat(r.reasons.get("too_large")).isEqualTo(g.mess("oversized", "applied"));
        assertThat(r.reasons.get("missing_field:id")).isEqualTo(g.mess("missing_id", "applied"));
        assertThat(r.families.get("unknown_family")).isEqualTo(g.mess("unknown_family", "applied"));
        assertThat(r.wrapped > 0 && r.arrayRecords > 0).isTrue();
        assertThat(r.arrayRecords).isEqualTo(g.mess("arrays", "applied"));
        assertThat(r.accepted - r.shapes.get("kafka_queue"))
                .isEqualTo(g.mess("envelopes", "applied"));
        assertThat(g.expected.get("dropped").asLong()).isEqualTo(g.mess("drops", "applied"));
        long skewed = 0;
        for (JsonNode o : g.workload.path("network").path("orchestrators")) {
            if (o.get("runner_clock_offset_ms").asLong() != 0) {
                skewed++;
                assertThat(Math.abs(o.get("runner_clock_offset_ms").asLong()))
                        .isBetween(500L, 2500L);
            }
        }
        assertThat(skewed).isEqualTo(g.mess("clock_skew", "applied")).isPositive();
    }

    /**
     * Late events are the ones delivered 20 s or more behind an event delivered before them;
     * reordering, batching, duplicates and clock skew stay well under that.
     */
    @Test
    void lateEventsAreExactlyThoseFarBehindEarlierDeliveries() {
        Generated g = Generated.medium();
        long maxSeen = Long.MIN_VALUE;
        long late = 0;
        long worstOther = 0;
        String lateFamilies = "";
        for (Records.Element e : Records.of(g.lines).elements) {
            long t = e.eventTime();
            long behind = maxSeen == Long.MIN_VALUE ? 0 : maxSeen - t;
            if (behind >= 20_000) {
                if (!e.duplicate()) {
                    late++;
                    lateFamilies += e.type() + " ";
                }
            } else {
                worstOther = Math.max(worstOther, behind);
            }
            maxSeen = Math.max(maxSeen, t);
        }
        assertThat(late).isEqualTo(g.expected.get("late").asLong()).isPositive();
        assertThat(lateFamilies.split(" "))
                .allMatch(
                        f ->
                                Set.of(
                                                "stream_ingest_metrics",
                                                "discovery_results",
                                                "network_capabilities")
                                        .contains(f));
        assertThat(worstOther).isLessThan(10_000);
    }

    /** No session goes silent for the 60 s idle timeout before it ends. */
    @Test
    void noSessionFallsSilentForAnIdleTimeoutBeforeItEnds() {
        Generated g = Generated.medium();
        Map<String, List<Long>> times = new HashMap<>();
        for (Records.Element e : Records.of(g.lines).distinct()) {
            JsonNode p = e.payload();
            if (p.isObject()
                    && p.has("stream_id")
                    && Set.of(
                                    "stream_trace",
                                    "ai_stream_status",
                                    "ai_stream_events",
                                    "stream_ingest_metrics")
                            .contains(e.type())) {
                times.computeIfAbsent(
                                p.get("stream_id").asText() + "|" + p.get("request_id").asText(),
                                k -> new ArrayList<>())
                        .add(e.eventTime());
            }
        }
        assertThat(times.keySet()).isEqualTo(g.sessionsById().keySet());
        for (Map.Entry<String, List<Long>> s : times.entrySet()) {
            List<Long> ts = s.getValue();
            ts.sort(Long::compare);
            for (int i = 1; i < ts.size(); i++) {
                assertThat(ts.get(i) - ts.get(i - 1)).as(s.getKey()).isLessThan(45_000);
            }
            ObjectNode row = g.sessionsById().get(s.getKey());
            assertThat(row.get("last_event_at").asLong()).isEqualTo(ts.get(ts.size() - 1));
            // A runner trace may precede the request by its runner clock offset (at most 2.5 s).
            assertThat(ts.get(0))
                    .isBetween(
                            row.get("started_at").asLong() - 2_500, row.get("started_at").asLong());
        }
    }

    /**
     * Each planned death shows as a DOWN_ABRUPT at its instant with the sessions it cut, and
     * nothing attributable to the node is emitted while it is dead.
     */
    @Test
    void deadNodesFallSilentAndTheirTruthSaysSo() {
        Generated g = Generated.medium();
        JsonNode incidents = g.workload.get("incidents");
        assertThat(incidents.size()).isPositive();
        Set<String> kinds = new HashSet<>();
        List<Records.Element> events = Records.of(g.lines).distinct();
        Map<String, String> uriToNode = new HashMap<>();
        for (JsonNode o : g.workload.path("network").path("orchestrators")) {
            uriToNode.put(o.get("orch_uri").asText(), o.get("node_id").asText());
        }
        for (JsonNode i : incidents) {
            String node = i.get("node_id").asText();
            kinds.add(node.substring(0, node.indexOf(':')));
            long dies = i.get("dies_at").asLong();
            long back =
                    i.get("recovers_at").isNull() ? Long.MAX_VALUE : i.get("recovers_at").asLong();
            ObjectNode down = null;
            ObjectNode up = null;
            for (ObjectNode n : g.nodes) {
                if (n.get("node_id").asText().equals(node)) {
                    if (n.get("transition").asText().equals("DOWN_ABRUPT")
                            && n.get("at").asLong() == dies) {
                        down = n;
                    }
                    if (n.get("transition").asText().equals("RECOVERED")
                            && n.get("at").asLong() >= back
                            && up == null) {
                        up = n;
                    }
                }
            }
            assertThat(down).as("DOWN_ABRUPT of " + i).isNotNull();
            assertThat(down.get("last_seen").asLong()).isLessThan(dies);
            List<String> cut = new ArrayList<>();
            down.get("active_sessions").forEach(s -> cut.add(s.asText()));
            List<String> planned = new ArrayList<>();
            i.get("sessions").forEach(s -> planned.add(s.asText()));
            assertThat(cut).containsExactlyInAnyOrderElementsOf(planned).isNotEmpty();
            if (back != Long.MAX_VALUE) {
                assertThat(up).as("RECOVERED of " + i).isNotNull();
            }
            for (Records.Element e : events) {
                long t = e.eventTime();
                if (t >= dies && t < back) {
                    assertThat(attributable(e, uriToNode))
                            .as(node + " at " + t + ": " + e.node())
                            .doesNotContain(node);
                }
            }
        }
        assertThat(kinds).containsExactlyInAnyOrder("gateway", "orchestrator");
    }

    private static Set<String> attributable(Records.Element e, Map<String, String> uriToNode) {
        Set<String> out = new HashSet<>();
        if (!e.gateway().isEmpty()) {
            out.add("gateway:" + e.gateway());
        }
        JsonNode p = e.payload();
        switch (e.type()) {
            case "network_capabilities":
                for (JsonNode o : p.isArray() ? p : List.of(p)) {
                    out.add("orchestrator:" + o.get("address").asText().toLowerCase(Locale.ROOT));
                }
                break;
            case "ai_stream_status":
                String node = uriToNode.get(p.path("orchestrator_info").path("url").asText());
                if (node != null) {
                    out.add(node);
                }
                break;
            case "job-processed":
                if (p.has("ethAddress")) {
                    out.add(
                            "orchestrator:"
                                    + p.get("ethAddress").asText().toLowerCase(Locale.ROOT));
                }
                break;
            default:
                break;
        }
        return out;
    }
}
