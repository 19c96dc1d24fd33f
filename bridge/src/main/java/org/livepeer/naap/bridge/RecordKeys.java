package org.livepeer.naap.bridge;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The Kafka key of a message, so that one session's events land in one partition: the session's
 * stream id when the event names one (a stream's events that lack a request id stay with the rest
 * of their session), else its request id, else the node that sent it (gateway, orchestrator
 * address), else the event id; null (Kafka spreads the record) when the content says none of these,
 * e.g. it is not JSON.
 *
 * <p>The ids are read where the event shapes of the contract put them: in {@code data} (event sink
 * (Kafka envelope), {@code payload} (event-sink envelope, the one published onto Streamr), the Open
 * Pool shape's {@code Payload}, or at the top level.
 */
public final class RecordKeys {
    private RecordKeys() {}

    /** The key of one message's content (an array: the key of its first element). */
    public static String keyOf(JsonNode content) {
        if (content == null) {
            return null;
        }
        JsonNode event = content.isArray() && content.size() > 0 ? content.get(0) : content;
        if (!event.isObject()) {
            return null;
        }
        JsonNode data = payloadOf(event);
        String stream = firstText(data, event, "stream_id", "streamId", "StreamID");
        if (stream != null) {
            return "stream:" + stream;
        }
        String request = firstText(data, event, "request_id", "requestId", "RequestID");
        if (request != null) {
            return "request:" + request;
        }
        String gateway = text(event.get("gateway"));
        if (gateway != null) {
            return "gateway:" + gateway;
        }
        JsonNode orchestrator = data == null ? null : data.get("orchestrator_info");
        String address = orchestrator == null ? null : text(orchestrator.get("address"));
        if (address == null && data != null) {
            address = text(data.get("ethAddress")); // orchestrator events name themselves so
        }
        if (address != null) {
            return "orchestrator:" + address.toLowerCase(java.util.Locale.ROOT);
        }
        String id = text(first(event, "id", "ID"));
        return id == null ? null : "event:" + id;
    }

    /** The event's fields object: data (Kafka envelope), payload (event sink), Payload. */
    private static JsonNode payloadOf(JsonNode event) {
        for (String name : new String[] {"data", "payload", "Data", "Payload"}) {
            JsonNode n = event.get(name);
            if (n != null && n.isObject()) {
                return n;
            }
        }
        return null;
    }

    private static JsonNode first(JsonNode node, String... names) {
        if (node == null || !node.isObject()) {
            return null;
        }
        for (String name : names) {
            JsonNode n = node.get(name);
            if (n != null && !n.isNull()) {
                return n;
            }
        }
        return null;
    }

    private static String firstText(JsonNode data, JsonNode event, String... names) {
        String inData = text(first(data, names));
        return inData != null ? inData : text(first(event, names));
    }

    private static String text(JsonNode n) {
        if (n == null || !n.isValueNode() || n.isNull()) {
            return null;
        }
        String s = n.asText().trim();
        return s.isEmpty() ? null : s;
    }
}
