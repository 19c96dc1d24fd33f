package org.livepeer.naap.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The per-orchestrator table a local run prints: the latest revision of every hourly row at
 * orchestrator level ({@code OUT/live/metrics_1h.jsonl}, the same rows as {@code naap.metrics_1h}),
 * one line per hour x orchestrator x model x GPU; rows of offered capacity alone (nothing
 * requested, no stream seen) are left out. Figures not computed yet print as {@code -}.
 */
final class MetricsTable {
    /** The query that gives the same numbers from the archive. */
    static final String QUERY =
            "SELECT window_start, orchestrator_address, model, gpu_id, requested, failure_rate,"
                    + " swap_rate, ptff_ms_p95, output_fps_mean, cue, sla FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY"
                    + " window_start, orchestrator_address, pipeline, model, gpu_id ORDER BY"
                    + " revision DESC) AS latest FROM naap.metrics_1h WHERE aggregation_level ="
                    + " 'orchestrator' AND model IS NOT NULL) WHERE latest = 1 AND (requested > 0 OR"
                    + " output_fps_mean IS NOT NULL) ORDER BY window_start,"
                    + " orchestrator_address, model";

    private MetricsTable() {}

    /** The table of {@code metricsJsonl}; empty when the file does not exist or has no row. */
    static String render(Path metricsJsonl) throws IOException {
        if (!Files.exists(metricsJsonl)) {
            return "";
        }
        ObjectMapper mapper = new ObjectMapper();
        Map<String, JsonNode> latest = new LinkedHashMap<>();
        try (BufferedReader in = Files.newBufferedReader(metricsJsonl)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode r = mapper.readTree(line);
                // Rows without a model hold only payments no session named a model for.
                if (!"orchestrator".equals(r.path("aggregation_level").asText())
                        || r.path("model").isNull()) {
                    continue;
                }
                String key =
                        r.path("window_start").asText()
                                + "|"
                                + r.path("orchestrator_address").asText()
                                + "|"
                                + r.path("pipeline").asText()
                                + "|"
                                + r.path("model").asText()
                                + "|"
                                + r.path("gpu_id").asText();
                JsonNode held = latest.get(key);
                if (held == null || held.path("revision").asInt() < r.path("revision").asInt()) {
                    latest.put(key, r);
                }
            }
        }
        // Rows of offered capacity alone (no session requested, no stream seen) are left out.
        latest.values()
                .removeIf(
                        r ->
                                r.path("requested").asLong() == 0
                                        && !r.path("output_fps_mean").isNumber());
        if (latest.isEmpty()) {
            return "";
        }
        List<JsonNode> rows = new ArrayList<>(latest.values());
        rows.sort(
                Comparator.comparing((JsonNode r) -> r.path("window_start").asText())
                        .thenComparing(r -> r.path("orchestrator_address").asText())
                        .thenComparing(r -> r.path("model").asText())
                        .thenComparing(r -> r.path("gpu_id").asText()));
        StringBuilder b = new StringBuilder();
        b.append("per orchestrator, hourly (naap.metrics_1h, latest revision):\n");
        b.append(
                String.format(
                        Locale.ROOT,
                        "  %-17s %-12s %-28s %-13s %9s %8s %8s %9s %6s %5s %5s%n",
                        "hour",
                        "orchestrator",
                        "model",
                        "gpu",
                        "requested",
                        "failure",
                        "swap",
                        "ptff p95",
                        "fps",
                        "cue",
                        "sla"));
        for (JsonNode r : rows) {
            b.append(
                    String.format(
                            Locale.ROOT,
                            "  %-17s %-12s %-28s %-13s %9d %8s %8s %9s %6s %5s %5s%n",
                            shortTime(r.path("window_start").asText()),
                            abbreviate(r.path("orchestrator_address").asText(), 12),
                            abbreviate(text(r, "model"), 28),
                            abbreviate(text(r, "gpu_id"), 13),
                            r.path("requested").asLong(),
                            percent(r.get("failure_rate")),
                            percent(r.get("swap_rate")),
                            millis(r.get("ptff_ms_p95")),
                            number(r.get("output_fps_mean")),
                            number(r.get("cue")),
                            number(r.get("sla"))));
        }
        return b.toString();
    }

    private static String text(JsonNode r, String field) {
        JsonNode v = r.get(field);
        return v == null || v.isNull() ? "-" : v.asText();
    }

    private static String shortTime(String rfc3339) {
        // 2026-01-15T12:00:00Z -> 2026-01-15 12:00
        return rfc3339.length() >= 16
                ? rfc3339.substring(0, 10) + " " + rfc3339.substring(11, 16)
                : rfc3339;
    }

    private static String abbreviate(String s, int width) {
        return s.length() <= width ? s : s.substring(0, width - 1) + "~";
    }

    private static String percent(JsonNode v) {
        return v == null || v.isNull()
                ? "-"
                : String.format(Locale.ROOT, "%.1f%%", 100 * v.asDouble());
    }

    private static String millis(JsonNode v) {
        return v == null || v.isNull() ? "-" : String.format(Locale.ROOT, "%.0f ms", v.asDouble());
    }

    private static String number(JsonNode v) {
        return v == null || v.isNull() ? "-" : String.format(Locale.ROOT, "%.1f", v.asDouble());
    }
}
