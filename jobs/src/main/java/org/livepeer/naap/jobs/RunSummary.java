package org.livepeer.naap.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.livepeer.naap.functions.Accounting;
import org.livepeer.naap.functions.FinalSessionFacts;

/**
 * The figures of a run, read from the job's accumulators (see {@link Accounting}): what came in and
 * which class each record ended in. {@code recordsIn == accepted + rejected + duplicates} holds for
 * a finished run; a run that breaks it has lost or invented records.
 */
public record RunSummary(
        long recordsIn,
        long accepted,
        long rejected,
        long duplicates,
        long late,
        Map<String, Long> acceptedByFamily,
        Map<String, Long> rejectedByReason,
        long sessions,
        Map<String, Long> sessionsByOutcome,
        Map<String, Long> sessionsByEnd,
        Map<String, Long> nodeTransitions) {

    /** Reads the summary out of accumulator results (missing counts are 0). */
    public static RunSummary fromAccumulators(Map<String, Object> accumulators) {
        Map<String, Long> byFamily = split(accumulators, Accounting.ACCEPTED_BY_FAMILY);
        Map<String, Long> byReason = split(accumulators, Accounting.REJECTED_BY_REASON);
        return new RunSummary(
                count(accumulators, Accounting.RECORDS_IN),
                count(accumulators, Accounting.ACCEPTED),
                count(accumulators, Accounting.REJECTED),
                count(accumulators, Accounting.DUPLICATES),
                count(accumulators, Accounting.LATE),
                byFamily,
                byReason,
                count(accumulators, FinalSessionFacts.SESSIONS),
                split(accumulators, FinalSessionFacts.BY_OUTCOME),
                split(accumulators, FinalSessionFacts.BY_END),
                split(accumulators, NODE_TRANSITIONS_BY_TYPE));
    }

    /** The liveness detector's count of transitions, by transition. */
    static final String NODE_TRANSITIONS_BY_TYPE = "node_transitions_by_type";

    /** The counts named {@code <prefix>.<key>}, by key. */
    private static Map<String, Long> split(Map<String, Object> accumulators, String prefix) {
        Map<String, Long> out = new TreeMap<>();
        accumulators.forEach(
                (name, value) -> {
                    if (value instanceof Number n && name.startsWith(prefix + '.')) {
                        out.put(name.substring(prefix.length() + 1), n.longValue());
                    }
                });
        return out;
    }

    private static long count(Map<String, Object> accumulators, String name) {
        Object v = accumulators.get(name);
        return v instanceof Number n ? n.longValue() : 0L;
    }

    /** True when every record in is accounted for exactly once. */
    public boolean balanced() {
        return recordsIn == accepted + rejected + duplicates;
    }

    public ObjectNode toJson(ObjectMapper mapper) {
        ObjectNode node = mapper.createObjectNode();
        node.put("records_in", recordsIn);
        node.put("accepted", accepted);
        node.put("rejected", rejected);
        node.put("duplicates", duplicates);
        node.put("late", late);
        ObjectNode families = node.putObject("accepted_by_family");
        acceptedByFamily.forEach(families::put);
        ObjectNode reasons = node.putObject("rejected_by_reason");
        rejectedByReason.forEach(reasons::put);
        node.put("sessions", sessions);
        ObjectNode outcomes = node.putObject("sessions_by_outcome");
        sessionsByOutcome.forEach(outcomes::put);
        ObjectNode ends = node.putObject("sessions_by_end");
        sessionsByEnd.forEach(ends::put);
        ObjectNode nodes = node.putObject("node_transitions");
        nodeTransitions.forEach(nodes::put);
        return node;
    }

    public void write(Path file) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, mapper.writeValueAsString(toJson(mapper)) + "\n");
    }

    /** The human-readable form printed at the end of a run. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        sb.append(
                String.format(
                        "records in %d: accepted %d, rejected %d, duplicates %d (late %d, archived)%n",
                        recordsIn, accepted, rejected, duplicates, late));
        if (!balanced()) {
            sb.append(
                    String.format(
                            "WARNING: %d records unaccounted for (in != accepted + rejected +"
                                    + " duplicates)%n",
                            recordsIn - accepted - rejected - duplicates));
        }
        section(sb, "accepted by family", acceptedByFamily);
        section(sb, "rejected by reason", rejectedByReason);
        if (sessions > 0) {
            sb.append(String.format("sessions %d%n", sessions));
            section(sb, "sessions by startup outcome", sessionsByOutcome);
            section(sb, "sessions by end reason", sessionsByEnd);
        }
        section(sb, "node transitions", nodeTransitions);
        return sb.toString();
    }

    private static void section(StringBuilder sb, String title, Map<String, Long> counts) {
        if (counts.isEmpty()) {
            return;
        }
        sb.append(title).append(":\n");
        counts.forEach((k, v) -> sb.append(String.format("  %-28s %8d%n", k, v)));
    }
}
