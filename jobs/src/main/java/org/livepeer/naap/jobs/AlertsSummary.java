package org.livepeer.naap.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a local run prints about its alerts ({@code OUT/live/alerts.jsonl}, the same records as
 * {@code naap.alerts}): per rule how many fired and resolved and how many still fire at the end,
 * then every critical alert with its entity, in time order.
 */
final class AlertsSummary {
    /** The query that lists the same alerts from the archive. */
    static final String QUERY =
            "SELECT rule, state, entity, `at` FROM naap.alerts WHERE severity = 'critical' ORDER BY"
                    + " `at`";

    private AlertsSummary() {}

    /** The summary of {@code alertsJsonl}; empty when the file does not exist. */
    static String render(Path alertsJsonl) throws IOException {
        if (!Files.exists(alertsJsonl)) {
            return "";
        }
        ObjectMapper mapper = new ObjectMapper();
        Map<String, int[]> byRule = new TreeMap<>();
        Set<String> open = new HashSet<>();
        List<String[]> critical = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(alertsJsonl)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode a = mapper.readTree(line);
                boolean firing = "FIRING".equals(a.path("state").asText());
                int[] counts = byRule.computeIfAbsent(a.path("rule").asText(), r -> new int[3]);
                counts[firing ? 0 : 1]++;
                String id = a.path("alert_id").asText();
                if (firing) {
                    open.add(id);
                } else {
                    open.remove(id);
                }
                if ("critical".equals(a.path("severity").asText())) {
                    critical.add(
                            new String[] {
                                a.path("at").asText(),
                                String.format(
                                        "  %-9s %-15s %s  %s%n",
                                        a.path("state").asText(),
                                        a.path("rule").asText(),
                                        a.path("at").asText(),
                                        a.path("entity").asText())
                            });
                }
            }
        }
        if (byRule.isEmpty()) {
            return "alerts: none\n";
        }
        StringBuilder out = new StringBuilder("alerts (fired, resolved, firing at the end):\n");
        byRule.forEach(
                (rule, c) ->
                        out.append(
                                String.format(
                                        "  %-24s %4d %4d %4d%n", rule, c[0], c[1], c[0] - c[1])));
        if (!critical.isEmpty()) {
            out.append("critical alerts:\n");
            critical.sort(java.util.Comparator.comparing((String[] c) -> c[0]));
            critical.forEach(c -> out.append(c[1]));
        }
        return out.toString();
    }
}
