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
        Map<String, Long> rejectedByReason) {

    /** Reads the summary out of accumulator results (missing counts are 0). */
    public static RunSummary fromAccumulators(Map<String, Object> accumulators) {
        Map<String, Long> byFamily = new TreeMap<>();
        Map<String, Long> byReason = new TreeMap<>();
        accumulators.forEach(
                (name, value) -> {
                    if (!(value instanceof Number n)) {
                        return;
                    }
                    if (name.startsWith(Accounting.ACCEPTED_BY_FAMILY + '.')) {
                        byFamily.put(
                                name.substring(Accounting.ACCEPTED_BY_FAMILY.length() + 1),
                                n.longValue());
                    } else if (name.startsWith(Accounting.REJECTED_BY_REASON + '.')) {
                        byReason.put(
                                name.substring(Accounting.REJECTED_BY_REASON.length() + 1),
                                n.longValue());
                    }
                });
        return new RunSummary(
                count(accumulators, Accounting.RECORDS_IN),
                count(accumulators, Accounting.ACCEPTED),
                count(accumulators, Accounting.REJECTED),
                count(accumulators, Accounting.DUPLICATES),
                count(accumulators, Accounting.LATE),
                byFamily,
                byReason);
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
