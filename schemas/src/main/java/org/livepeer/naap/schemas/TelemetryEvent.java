package org.livepeer.naap.schemas;

import java.util.Arrays;
import java.util.Objects;

/**
 * One accepted event: the envelope fields every family shares, the normalized times, the derived
 * identities, the family payload as JSON text, and a pointer to the input record it came from.
 *
 * <p>This is the type that flows through the job (a Flink POJO, no Kryo). Family-specific fields
 * are read from {@link #payload} with {@link
 * org.livepeer.naap.schemas.family.Families#decode(com.fasterxml.jackson.databind.ObjectMapper,
 * TelemetryEvent)}, which gives the typed record of the family.
 */
public class TelemetryEvent {
    /** The envelope {@code id} (Open Pool: {@code ID}). */
    public String eventId;

    /** The envelope {@code type} exactly as sent (Open Pool: {@code EventType}). */
    public String type;

    /** The family's wire name ({@link Family#wireName()}); {@code unknown_family} for others. */
    public String family;

    /**
     * The family's own subtype: {@code data.type} for traces, status, stream events, batch and LLM
     * requests; the payload string of {@code node_trace}; else null.
     */
    public String subtype;

    /** {@code kafka_queue}, {@code event_sink} or {@code open_pool}. */
    public String shape;

    /** True when the event came inside a Streamr {@code {content, metadata}} wrapper. */
    public boolean streamrWrapped;

    /**
     * The event time in epoch ms: the payload's own time where present and sane, else the
     * envelope's.
     */
    public long eventTime;

    /**
     * Where {@link #eventTime} came from: {@code data}, {@code envelope} or {@code ingest}
     * (clamped).
     */
    public String eventTimeSource;

    /** True when the event claimed a time too far past its ingest time and was clamped to it. */
    public boolean timeClamped;

    /** The envelope timestamp, normalized, and its original text. */
    public long envelopeTime;

    public String envelopeTimestamp;

    /** The payload's own {@code timestamp} normalized, and its original text; null when absent. */
    public Long dataTime;

    public String dataTimestamp;

    /** The envelope {@code gateway} (a host name, often empty: then null). */
    public String gateway;

    /** Streamr metadata, when wrapped: the signer's address, timestamp, sequence number, chain. */
    public String publisherId;

    public Long streamrTimestamp;
    public Long streamrSequenceNumber;
    public String streamrMsgChainId;

    /** For session-bearing families: the session id (METRICS.md) and its parts; else null. */
    public String sessionId;

    public String streamId;
    public String requestId;

    /**
     * The nodes this event names, as {@code kind:id} with addresses lower-cased: {@code
     * orchestrator:0xabc...}, {@code orchestrator_uri:https://...}, {@code gateway:<host>}, {@code
     * worker:0xabc...}. Sorted, no duplicates.
     */
    public String[] nodeIds;

    /** The family payload ({@code data}, {@code payload} or {@code Payload}) as JSON text. */
    public String payload;

    /** The whole event (this element, without a Streamr wrapper) as JSON text. */
    public String raw;

    /** Where the input record came from (see {@link RawRecord}), and the position in an array. */
    public String source;

    public String topic;
    public int partition;
    public long offset;
    public int index;
    public long ingestTime;

    public TelemetryEvent() {}

    /** A field-by-field copy. */
    public TelemetryEvent copy() {
        TelemetryEvent c = new TelemetryEvent();
        c.eventId = eventId;
        c.type = type;
        c.family = family;
        c.subtype = subtype;
        c.shape = shape;
        c.streamrWrapped = streamrWrapped;
        c.eventTime = eventTime;
        c.eventTimeSource = eventTimeSource;
        c.timeClamped = timeClamped;
        c.envelopeTime = envelopeTime;
        c.envelopeTimestamp = envelopeTimestamp;
        c.dataTime = dataTime;
        c.dataTimestamp = dataTimestamp;
        c.gateway = gateway;
        c.publisherId = publisherId;
        c.streamrTimestamp = streamrTimestamp;
        c.streamrSequenceNumber = streamrSequenceNumber;
        c.streamrMsgChainId = streamrMsgChainId;
        c.sessionId = sessionId;
        c.streamId = streamId;
        c.requestId = requestId;
        c.nodeIds = nodeIds == null ? null : nodeIds.clone();
        c.payload = payload;
        c.raw = raw;
        c.source = source;
        c.topic = topic;
        c.partition = partition;
        c.offset = offset;
        c.index = index;
        c.ingestTime = ingestTime;
        return c;
    }

    /**
     * A copy without the {@link #raw} text, for stages that read the payload only: the raw text is
     * the largest field and the archive already holds it.
     */
    public TelemetryEvent withoutRaw() {
        TelemetryEvent c = copy();
        c.raw = null;
        return c;
    }

    /** The key deduplication uses: the same event from the same source is the same event. */
    public String dedupKey() {
        return source + '\u0000' + eventId;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof TelemetryEvent)) {
            return false;
        }
        TelemetryEvent that = (TelemetryEvent) o;
        return streamrWrapped == that.streamrWrapped
                && eventTime == that.eventTime
                && timeClamped == that.timeClamped
                && envelopeTime == that.envelopeTime
                && partition == that.partition
                && offset == that.offset
                && index == that.index
                && ingestTime == that.ingestTime
                && Objects.equals(eventId, that.eventId)
                && Objects.equals(type, that.type)
                && Objects.equals(family, that.family)
                && Objects.equals(subtype, that.subtype)
                && Objects.equals(shape, that.shape)
                && Objects.equals(eventTimeSource, that.eventTimeSource)
                && Objects.equals(envelopeTimestamp, that.envelopeTimestamp)
                && Objects.equals(dataTime, that.dataTime)
                && Objects.equals(dataTimestamp, that.dataTimestamp)
                && Objects.equals(gateway, that.gateway)
                && Objects.equals(publisherId, that.publisherId)
                && Objects.equals(streamrTimestamp, that.streamrTimestamp)
                && Objects.equals(streamrSequenceNumber, that.streamrSequenceNumber)
                && Objects.equals(streamrMsgChainId, that.streamrMsgChainId)
                && Objects.equals(sessionId, that.sessionId)
                && Objects.equals(streamId, that.streamId)
                && Objects.equals(requestId, that.requestId)
                && Arrays.equals(nodeIds, that.nodeIds)
                && Objects.equals(payload, that.payload)
                && Objects.equals(raw, that.raw)
                && Objects.equals(source, that.source)
                && Objects.equals(topic, that.topic);
    }

    @Override
    public int hashCode() {
        return Objects.hash(eventId, type, source, topic, partition, offset, index, eventTime);
    }

    @Override
    public String toString() {
        return "TelemetryEvent{"
                + family
                + (subtype == null ? "" : "/" + subtype)
                + " id="
                + eventId
                + " t="
                + eventTime
                + " session="
                + sessionId
                + " from "
                + source
                + " "
                + topic
                + "/"
                + partition
                + "@"
                + offset
                + "#"
                + index
                + "}";
    }
}
