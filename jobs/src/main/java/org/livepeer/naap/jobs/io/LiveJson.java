package org.livepeer.naap.jobs.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.livepeer.naap.iceberg.ArchiveRows;
import org.livepeer.naap.iceberg.NaapTables;
import org.livepeer.naap.schemas.Rejection;
import org.livepeer.naap.schemas.TelemetryEvent;
import org.livepeer.naap.schemas.output.Alert;
import org.livepeer.naap.schemas.output.MetricsRow;
import org.livepeer.naap.schemas.output.NodeTransition;
import org.livepeer.naap.schemas.output.SessionFact;

/**
 * The JSON form of the live outputs, with the same field names as the Iceberg columns, so a
 * consumer of the Kafka topic and an analyst of the table read the same words. Times are RFC 3339.
 */
public final class LiveJson {
    private LiveJson() {}

    public static ObjectNode rejection(ObjectMapper mapper, Rejection r) {
        ObjectNode node = mapper.createObjectNode();
        node.put("reason", r.reason);
        node.put("detail", r.detail);
        node.put("stage", r.stage);
        node.put("source", r.source);
        node.put("source_topic", r.topic);
        node.put("source_partition", r.partition);
        node.put("source_offset", r.offset);
        node.put("array_index", r.index);
        node.put("event_id", r.eventId);
        node.put("type", r.type);
        node.put("ingest_time", time(r.ingestTime));
        node.put("raw_size", r.rawSize);
        node.put("raw_text", r.rawText());
        return node;
    }

    /** The pointer and identity of an event (for the duplicates and late outputs). */
    public static ObjectNode eventPointer(ObjectMapper mapper, TelemetryEvent e) {
        ObjectNode node = mapper.createObjectNode();
        node.put("event_id", e.eventId);
        node.put("type", e.type);
        node.put("family", e.family);
        node.put("subtype", e.subtype);
        node.put("event_time", time(e.eventTime));
        node.put("session_id", e.sessionId);
        ArrayNode nodes = node.putArray("node_ids");
        if (e.nodeIds != null) {
            for (String id : e.nodeIds) {
                nodes.add(id);
            }
        }
        node.put("source", e.source);
        node.put("source_topic", e.topic);
        node.put("source_partition", e.partition);
        node.put("source_offset", e.offset);
        node.put("array_index", e.index);
        node.put("ingest_time", time(e.ingestTime));
        return node;
    }

    /**
     * A session fact: every column of {@code naap.sessions} under the same name, plus {@code
     * status} ({@code live} or {@code final}); times in RFC 3339.
     */
    public static ObjectNode session(ObjectMapper mapper, SessionFact fact) {
        ObjectNode node = mapper.createObjectNode();
        node.put("status", fact.status);
        for (Types.NestedField column : NaapTables.SESSIONS.schema().columns()) {
            Object value = ArchiveRows.SESSIONS.get(column.name()).of(fact);
            if (value == null) {
                node.putNull(column.name());
            } else if (column.type().typeId() == Type.TypeID.TIMESTAMP) {
                node.put(column.name(), time(((Number) value).longValue()));
            } else {
                node.set(column.name(), mapper.valueToTree(value));
            }
        }
        return node;
    }

    /**
     * A metrics row, with the columns of {@code naap.metrics_1m} / {@code naap.metrics_1h} (the
     * sketches in base64); times in RFC 3339.
     */
    public static ObjectNode metrics(ObjectMapper mapper, MetricsRow row) {
        ObjectNode node = mapper.createObjectNode();
        for (Types.NestedField column : NaapTables.METRICS_1M.schema().columns()) {
            Object value = ArchiveRows.METRICS.get(column.name()).of(row);
            if (value == null) {
                node.putNull(column.name());
            } else if (column.type().typeId() == Type.TypeID.TIMESTAMP) {
                node.put(column.name(), time(((Number) value).longValue()));
            } else {
                node.set(column.name(), mapper.valueToTree(value));
            }
        }
        return node;
    }

    /** A node transition, with the columns of {@code naap.node_status}; times in RFC 3339. */
    public static ObjectNode node(ObjectMapper mapper, NodeTransition t) {
        ObjectNode node = mapper.createObjectNode();
        node.put("node_id", t.nodeId);
        node.put("node_kind", t.nodeKind);
        node.put("transition", t.transition);
        node.put("at", time(t.at));
        if (t.lastSeen == null) {
            node.putNull("last_seen");
        } else {
            node.put("last_seen", time(t.lastSeen));
        }
        node.put("timeout_ms", t.timeoutMs);
        if (t.activeSessions == null) {
            node.putNull("active_sessions"); // as in naap.node_status
        } else {
            ArrayNode sessions = node.putArray("active_sessions");
            for (String s : t.activeSessions) {
                sessions.add(s);
            }
        }
        node.put("reason", t.reason);
        return node;
    }

    /**
     * An alert record, with the field names of {@code naap.alerts}; the evidence as a JSON object.
     */
    public static ObjectNode alert(ObjectMapper mapper, Alert a) {
        ObjectNode node = mapper.createObjectNode();
        node.put("alert_id", a.alertId);
        node.put("rule", a.rule);
        node.put("severity", a.severity);
        node.put("entity", a.entity);
        node.put("value", a.value);
        node.put("threshold", a.threshold);
        node.put("window_start", time(a.windowStart));
        node.put("window_end", time(a.windowEnd));
        node.put("state", a.state);
        try {
            node.set("evidence", a.evidence == null ? null : mapper.readTree(a.evidence));
        } catch (com.fasterxml.jackson.core.JsonProcessingException notAnObject) {
            node.put("evidence", a.evidence);
        }
        node.put("at", time(a.at));
        return node;
    }

    private static String time(long epochMs) {
        return Instant.ofEpochMilli(epochMs).toString();
    }
}
