package org.livepeer.naap.iceberg;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.RowData;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Types;
import org.livepeer.naap.schemas.Rejection;
import org.livepeer.naap.schemas.TelemetryEvent;

/** Hand-built events and rejections, and the column values they must archive as. */
final class ArchiveFixtures {

    /** 2025-06-01T10:00:00.123Z, a day-partition boundary away from {@link #NEXT_DAY}. */
    static final Instant T0 = Instant.parse("2025-06-01T10:00:00.123Z");

    /** 2025-06-02T00:30:00Z. */
    static final Instant NEXT_DAY = Instant.parse("2025-06-02T00:30:00Z");

    /** Bytes that are not valid UTF-8: '{' then 0xFF. */
    static final byte[] NOT_UTF8 = {'{', (byte) 0xFF};

    private ArchiveFixtures() {}

    /** An event with every field set. */
    static TelemetryEvent fullEvent() {
        TelemetryEvent e = new TelemetryEvent();
        e.eventId = "evt-1";
        e.type = "ai_stream_status";
        e.family = "ai_stream_status";
        e.subtype = "status";
        e.shape = "event_sink";
        e.streamrWrapped = true;
        e.eventTime = T0.toEpochMilli();
        e.eventTimeSource = "data";
        e.timeClamped = false;
        e.envelopeTime = T0.plusMillis(250).toEpochMilli();
        e.envelopeTimestamp = "1748772000373";
        e.dataTime = T0.toEpochMilli();
        e.dataTimestamp = "2025-06-01T10:00:00.123456789Z";
        e.gateway = "gw-1.example";
        e.publisherId = "0x00000000000000000000000000000000000000aa";
        e.streamrTimestamp = T0.plusMillis(500).toEpochMilli();
        e.streamrSequenceNumber = 7L;
        e.streamrMsgChainId = "chain-a";
        e.sessionId = "s1|r1";
        e.streamId = "s1";
        e.requestId = "r1";
        e.nodeIds = new String[] {"orchestrator:0xabc", "worker:0xdef"};
        e.payload = "{\"state\":\"ONLINE\"}";
        e.raw = "{\"id\":\"evt-1\",\"type\":\"ai_stream_status\"}";
        e.source = "raw";
        e.topic = "naap.events.raw";
        e.partition = 3;
        e.offset = 42L;
        e.index = 1;
        e.ingestTime = T0.plusMillis(1000).toEpochMilli();
        return e;
    }

    /** What {@link #fullEvent()} archives as, column by column, worked out by hand. */
    static Map<String, Object> fullEventColumns() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("event_id", "evt-1");
        c.put("type", "ai_stream_status");
        c.put("family", "ai_stream_status");
        c.put("subtype", "status");
        c.put("shape", "event_sink");
        c.put("streamr_wrapped", true);
        c.put("event_time", Instant.parse("2025-06-01T10:00:00.123Z"));
        c.put("event_time_source", "data");
        c.put("time_clamped", false);
        c.put("envelope_time", Instant.parse("2025-06-01T10:00:00.373Z"));
        c.put("envelope_timestamp", "1748772000373");
        c.put("data_time", Instant.parse("2025-06-01T10:00:00.123Z"));
        c.put("data_timestamp", "2025-06-01T10:00:00.123456789Z");
        c.put("gateway", "gw-1.example");
        c.put("publisher_id", "0x00000000000000000000000000000000000000aa");
        c.put("streamr_timestamp", Instant.parse("2025-06-01T10:00:00.623Z"));
        c.put("streamr_sequence_number", 7L);
        c.put("streamr_msg_chain_id", "chain-a");
        c.put("session_id", "s1|r1");
        c.put("stream_id", "s1");
        c.put("request_id", "r1");
        c.put("node_ids", List.of("orchestrator:0xabc", "worker:0xdef"));
        c.put("payload", "{\"state\":\"ONLINE\"}");
        c.put("raw", "{\"id\":\"evt-1\",\"type\":\"ai_stream_status\"}");
        c.put("source", "raw");
        c.put("source_topic", "naap.events.raw");
        c.put("source_partition", 3);
        c.put("source_offset", 42L);
        c.put("array_index", 1);
        c.put("ingest_time", Instant.parse("2025-06-01T10:00:01.123Z"));
        return c;
    }

    /**
     * An event with only its primitive fields set (everything nullable left null), in family
     * stream_trace.
     */
    static TelemetryEvent sparseEvent() {
        TelemetryEvent e = new TelemetryEvent();
        e.eventTime = T0.plusSeconds(60).toEpochMilli();
        e.envelopeTime = T0.plusSeconds(60).toEpochMilli();
        e.partition = 0;
        e.offset = 7L;
        e.index = 0;
        e.ingestTime = T0.plusSeconds(61).toEpochMilli();
        return e;
    }

    /** What {@link #sparseEvent()} archives as: nulls stay null. */
    static Map<String, Object> sparseEventColumns() {
        Map<String, Object> c = new LinkedHashMap<>();
        for (Types.NestedField field : NaapTables.RAW_EVENTS.schema().columns()) {
            c.put(field.name(), null);
        }
        c.put("streamr_wrapped", false);
        c.put("event_time", Instant.parse("2025-06-01T10:01:00.123Z"));
        c.put("time_clamped", false);
        c.put("envelope_time", Instant.parse("2025-06-01T10:01:00.123Z"));
        c.put("source_partition", 0);
        c.put("source_offset", 7L);
        c.put("array_index", 0);
        c.put("ingest_time", Instant.parse("2025-06-01T10:01:01.123Z"));
        return c;
    }

    /** A minimal event of a family at a time, for counts. */
    static TelemetryEvent event(String id, String family, Instant eventTime, long offset) {
        TelemetryEvent e = new TelemetryEvent();
        e.eventId = id;
        e.type = family;
        e.family = family;
        e.eventTime = eventTime.toEpochMilli();
        e.envelopeTime = eventTime.toEpochMilli();
        e.source = "raw";
        e.topic = "naap.events.raw";
        e.offset = offset;
        e.ingestTime = eventTime.plusSeconds(1).toEpochMilli();
        return e;
    }

    /** A rejection with every field set, its bytes not valid UTF-8. */
    static Rejection fullRejection() {
        Rejection r = new Rejection();
        r.reason = "missing_field:id";
        r.detail = "no id in envelope";
        r.stage = Rejection.STAGE_VALIDATE;
        r.source = "raw";
        r.topic = "naap.events.raw";
        r.partition = 2;
        r.offset = 99L;
        r.index = 4;
        r.eventId = "evt-x";
        r.type = "stream_trace";
        r.ingestTime = T0.toEpochMilli();
        r.rawSize = 1000;
        r.raw = NOT_UTF8.clone();
        return r;
    }

    /** What {@link #fullRejection()} archives as, worked out by hand. */
    static Map<String, Object> fullRejectionColumns() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("reason", "missing_field:id");
        c.put("detail", "no id in envelope");
        c.put("stage", "validate");
        c.put("source", "raw");
        c.put("source_topic", "naap.events.raw");
        c.put("source_partition", 2);
        c.put("source_offset", 99L);
        c.put("array_index", 4);
        c.put("event_id", "evt-x");
        c.put("type", "stream_trace");
        c.put("ingest_time", Instant.parse("2025-06-01T10:00:00.123Z"));
        c.put("raw_size", 1000);
        c.put("raw_text", "{\uFFFD");
        c.put("raw", List.of((byte) '{', (byte) 0xFF));
        return c;
    }

    /** A parse rejection of a record that was not an array, with no id or type. */
    static Rejection malformed(long offset, Instant ingestTime) {
        Rejection r = new Rejection();
        r.reason = "malformed_json";
        r.detail = "Unexpected end of input";
        r.stage = Rejection.STAGE_PARSE;
        r.source = "raw";
        r.topic = "naap.events.raw";
        r.offset = offset;
        r.index = -1;
        r.ingestTime = ingestTime.toEpochMilli();
        byte[] bytes = "{\"id\":".getBytes(StandardCharsets.UTF_8);
        r.rawSize = bytes.length;
        r.raw = bytes;
        return r;
    }

    /**
     * A row's columns as plain Java values (strings, boxed numbers, instants, lists; binary as a
     * list of bytes), keyed by column name in schema order.
     */
    static Map<String, Object> columns(Schema schema, RowData row) {
        Map<String, Object> c = new LinkedHashMap<>();
        List<Types.NestedField> fields = schema.columns();
        for (int i = 0; i < fields.size(); i++) {
            Types.NestedField field = fields.get(i);
            c.put(field.name(), row.isNullAt(i) ? null : value(field, row, i));
        }
        return c;
    }

    /**
     * Normalizes what Flink SQL returns (arrays, byte arrays) to the forms the expectations use.
     */
    static Object plain(Object value) {
        if (value instanceof byte[] bytes) {
            return bytes(bytes);
        }
        if (value instanceof Object[] array) {
            return Arrays.asList(array);
        }
        return value;
    }

    private static Object value(Types.NestedField field, RowData row, int pos) {
        switch (field.type().typeId()) {
            case STRING:
                return row.getString(pos).toString();
            case BOOLEAN:
                return row.getBoolean(pos);
            case INTEGER:
                return row.getInt(pos);
            case LONG:
                return row.getLong(pos);
            case DOUBLE:
                return row.getDouble(pos);
            case TIMESTAMP:
                return row.getTimestamp(pos, 6).toInstant();
            case BINARY:
                return bytes(row.getBinary(pos));
            case DECIMAL:
                Types.DecimalType decimal = (Types.DecimalType) field.type();
                return row.getDecimal(pos, decimal.precision(), decimal.scale()).toBigDecimal();
            case LIST:
                ArrayData array = row.getArray(pos);
                List<String> list = new ArrayList<>();
                for (int j = 0; j < array.size(); j++) {
                    list.add(array.isNullAt(j) ? null : array.getString(j).toString());
                }
                return list;
            default:
                throw new IllegalArgumentException("no test conversion for " + field);
        }
    }

    private static List<Byte> bytes(byte[] bytes) {
        List<Byte> list = new ArrayList<>();
        for (byte b : bytes) {
            list.add(b);
        }
        return list;
    }
}
