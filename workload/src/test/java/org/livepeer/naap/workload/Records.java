package org.livepeer.naap.workload;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads records the way the brief says the pipeline must, written here independently of the
 * generator: splits arrays and Streamr wrappers, classifies every input unit as accepted, rejected
 * (with its reason) or duplicate, and keeps the valid events with their shape.
 */
final class Records {
    static final int MAX_RECORD_BYTES = 1_048_576;
    static final Set<String> FAMILIES =
            Set.of(
                    "stream_trace",
                    "ai_stream_status",
                    "ai_stream_events",
                    "stream_ingest_metrics",
                    "discovery_results",
                    "create_new_payment",
                    "create_signed_ticket",
                    "network_capabilities",
                    "ai_batch_request",
                    "ai_llm_request",
                    "job_gateway",
                    "job_orchestrator",
                    "job_auth",
                    "job_payment",
                    "worker_lifecycle",
                    "node_trace",
                    "worker-connected",
                    "worker-disconnected",
                    "job-received",
                    "job-processed",
                    "ticket-redeemed");

    private static final ObjectMapper STRICT =
            new ObjectMapper()
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /** One valid event as delivered. */
    record Element(
            JsonNode node,
            String shape,
            boolean wrapped,
            boolean inArray,
            boolean duplicate,
            int line,
            JsonNode wrapper) {
        String id() {
            return shape.equals("open_pool") ? node.get("ID").asText() : node.get("id").asText();
        }

        String type() {
            return shape.equals("open_pool")
                    ? node.get("EventType").asText()
                    : node.get("type").asText();
        }

        JsonNode payload() {
            switch (shape) {
                case "open_pool":
                    return node.get("Payload");
                case "event_sink":
                    return node.get("payload");
                default:
                    return node.get("data");
            }
        }

        String gateway() {
            JsonNode g = node.get("gateway");
            return g == null || !g.isTextual() ? "" : g.asText();
        }

        /** The envelope time in ms. */
        long envelopeTime() {
            JsonNode t = shape.equals("open_pool") ? node.get("DT") : node.get("timestamp");
            return time(t);
        }

        /** The event time as the pipeline takes it (payload time where the family has one). */
        long eventTime() {
            String type = type();
            if (type.equals("stream_trace")
                    || type.equals("ai_stream_status")
                    || type.equals("stream_ingest_metrics")) {
                JsonNode t = payload().get("timestamp");
                if (t != null && !t.isNull()) {
                    return time(t);
                }
            }
            return envelopeTime();
        }
    }

    long records;
    long recordsIn;
    long accepted;
    long rejected;
    long duplicates;
    long wrapped;
    long arrayRecords;
    final Map<String, Long> reasons = new TreeMap<>();
    final Map<String, Long> families = new TreeMap<>();
    final Map<String, Long> shapes = new TreeMap<>();
    final List<Element> elements = new ArrayList<>();
    private final Set<String> seen = new HashSet<>();

    static Records of(List<String> lines) {
        Records r = new Records();
        for (int i = 0; i < lines.size(); i++) {
            r.line(lines.get(i), i);
        }
        return r;
    }

    private void line(String line, int index) {
        records++;
        if (line.getBytes(StandardCharsets.UTF_8).length > MAX_RECORD_BYTES) {
            reject("too_large", 1);
            return;
        }
        JsonNode root;
        try {
            root = STRICT.readTree(line);
        } catch (Exception e) {
            reject("malformed_json", 1);
            return;
        }
        if (root == null || root.isMissingNode()) {
            reject("malformed_json", 1);
            return;
        }
        JsonNode content = root;
        JsonNode wrapper = null;
        if (root.isObject() && root.has("content") && root.has("metadata")) {
            content = root.get("content");
            wrapper = root;
        }
        if (content.isArray()) {
            // A batch of Kafka or event-sink envelopes (Open Pool elements always come in arrays).
            boolean batch = content.size() > 0;
            for (JsonNode e : content) {
                batch &= e.isObject() && !e.has("ID");
            }
            int before = elements.size();
            for (JsonNode e : content) {
                element(e, wrapper, true, index);
            }
            // Count each batch once: not its duplicate copies.
            if (batch && elements.size() > before && !elements.get(before).duplicate()) {
                arrayRecords++;
            }
        } else if (content.isObject()) {
            element(content, wrapper, false, index);
        } else {
            reject("not_an_object", 1);
        }
    }

    private void element(JsonNode e, JsonNode wrapper, boolean inArray, int index) {
        if (!e.isObject()) {
            reject("not_an_object", 1);
            return;
        }
        String shape;
        String idField;
        if (!e.has("id") && !e.has("type") && (e.has("ID") || e.has("EventType"))) {
            shape = "open_pool";
            idField = "ID";
        } else if (e.has("data")) {
            shape = "kafka_queue";
            idField = "id";
        } else {
            shape = "event_sink";
            idField = "id";
        }
        JsonNode id = e.get(idField);
        if (id == null || !id.isTextual() || id.asText().isEmpty()) {
            reject("missing_field:id", 1);
            return;
        }
        recordsIn++;
        boolean dup = !seen.add(id.asText());
        Element el = new Element(e, shape, wrapper != null, inArray, dup, index, wrapper);
        if (dup) {
            duplicates++;
        } else {
            accepted++;
            String type = el.type();
            families.merge(FAMILIES.contains(type) ? type : "unknown_family", 1L, Long::sum);
            shapes.merge(shape, 1L, Long::sum);
            if (wrapper != null) {
                wrapped++;
            }
        }
        elements.add(el);
    }

    private void reject(String reason, long n) {
        recordsIn += n;
        rejected += n;
        reasons.merge(reason, n, Long::sum);
    }

    /** Valid first copies only. */
    List<Element> distinct() {
        List<Element> out = new ArrayList<>();
        for (Element e : elements) {
            if (!e.duplicate()) {
                out.add(e);
            }
        }
        return out;
    }

    /** Epoch ms of an epoch number (s, ms by magnitude) or RFC 3339 text. */
    static long time(JsonNode t) {
        if (t.isNumber()) {
            return epoch(t.decimalValue());
        }
        String s = t.asText();
        if (s.matches("[0-9]+(\\.[0-9]+)?")) {
            return epoch(new BigDecimal(s));
        }
        return Instant.parse(s).toEpochMilli();
    }

    private static long epoch(BigDecimal v) {
        return v.compareTo(new BigDecimal("1e11")) < 0
                ? v.movePointRight(3).longValue()
                : v.longValue();
    }
}
