package org.livepeer.naap.iceberg;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.livepeer.naap.schemas.Rejection;
import org.livepeer.naap.schemas.TelemetryEvent;

/**
 * How each archive table's columns are read from the record type that flows into its sink, by
 * column name. {@link RowDataMapper} checks these against the table schema, and a test checks that
 * every column of every definition is filled.
 */
public final class ArchiveRows {

    /** {@link NaapTables#RAW_EVENTS} from {@link TelemetryEvent}. */
    public static final Map<String, ColumnValue<TelemetryEvent>> RAW_EVENTS = rawEvents();

    /** {@link NaapTables#REJECTED_EVENTS} from {@link Rejection}. */
    public static final Map<String, ColumnValue<Rejection>> REJECTED_EVENTS = rejectedEvents();

    private ArchiveRows() {}

    private static Map<String, ColumnValue<TelemetryEvent>> rawEvents() {
        Map<String, ColumnValue<TelemetryEvent>> c = new LinkedHashMap<>();
        c.put("event_id", e -> e.eventId);
        c.put("type", e -> e.type);
        c.put("family", e -> e.family);
        c.put("subtype", e -> e.subtype);
        c.put("shape", e -> e.shape);
        c.put("streamr_wrapped", e -> e.streamrWrapped);
        c.put("event_time", e -> e.eventTime);
        c.put("event_time_source", e -> e.eventTimeSource);
        c.put("time_clamped", e -> e.timeClamped);
        c.put("envelope_time", e -> e.envelopeTime);
        c.put("envelope_timestamp", e -> e.envelopeTimestamp);
        c.put("data_time", e -> e.dataTime);
        c.put("data_timestamp", e -> e.dataTimestamp);
        c.put("gateway", e -> e.gateway);
        c.put("publisher_id", e -> e.publisherId);
        c.put("streamr_timestamp", e -> e.streamrTimestamp);
        c.put("streamr_sequence_number", e -> e.streamrSequenceNumber);
        c.put("streamr_msg_chain_id", e -> e.streamrMsgChainId);
        c.put("session_id", e -> e.sessionId);
        c.put("stream_id", e -> e.streamId);
        c.put("request_id", e -> e.requestId);
        c.put("node_ids", e -> e.nodeIds);
        c.put("payload", e -> e.payload);
        c.put("raw", e -> e.raw);
        c.put("source", e -> e.source);
        c.put("source_topic", e -> e.topic);
        c.put("source_partition", e -> e.partition);
        c.put("source_offset", e -> e.offset);
        c.put("array_index", e -> e.index);
        c.put("ingest_time", e -> e.ingestTime);
        return Collections.unmodifiableMap(c);
    }

    private static Map<String, ColumnValue<Rejection>> rejectedEvents() {
        Map<String, ColumnValue<Rejection>> c = new LinkedHashMap<>();
        c.put("reason", r -> r.reason);
        c.put("detail", r -> r.detail);
        c.put("stage", r -> r.stage);
        c.put("source", r -> r.source);
        c.put("source_topic", r -> r.topic);
        c.put("source_partition", r -> r.partition);
        c.put("source_offset", r -> r.offset);
        c.put("array_index", r -> r.index);
        c.put("event_id", r -> r.eventId);
        c.put("type", r -> r.type);
        c.put("ingest_time", r -> r.ingestTime);
        c.put("raw_size", r -> r.rawSize);
        c.put("raw_text", Rejection::rawText);
        c.put("raw", r -> r.raw);
        return Collections.unmodifiableMap(c);
    }
}
