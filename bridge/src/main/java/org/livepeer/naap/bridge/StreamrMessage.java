package org.livepeer.naap.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * One message as the Streamr node's MQTT plugin delivers it: the payload bytes exactly as received
 * (what the bridge writes to Kafka), the stream and partition its topic names, and, when the plugin
 * runs with {@code payloadMetadata} on, the Streamr metadata of its wrapper ({@code {"content":
 * {...}, "metadata": {"timestamp", "sequenceNumber", "publisherId", "msgChainId"}}}).
 *
 * <p>The MQTT topic is the stream id, with {@code ?partition=N} for a partition other than 0.
 *
 * @param content the published content as a JSON tree (the wrapper's {@code content}, or the whole
 *     payload without metadata); null when the payload is not JSON at all
 * @param timestamp Streamr's message timestamp (epoch ms), null without metadata
 * @param sequenceNumber the message's number in its publisher's chain, null without metadata
 */
public record StreamrMessage(
        String streamId,
        int partition,
        byte[] payload,
        JsonNode content,
        Long timestamp,
        Long sequenceNumber,
        String publisherId,
        String msgChainId,
        long receivedAt) {

    private static final String PARTITION = "?partition=";

    /** The MQTT topic of a stream partition, as the plugin expects it. */
    public static String topicOf(String streamId, int partition) {
        return partition == 0 ? streamId : streamId + PARTITION + partition;
    }

    /**
     * Reads a message; never throws on bad payloads (they are passed on unchanged, the job rejects
     * them with a reason).
     */
    public static StreamrMessage of(
            ObjectMapper mapper, String topic, byte[] payload, long receivedAt) {
        String streamId = topic;
        int partition = 0;
        int q = topic.indexOf(PARTITION);
        if (q >= 0) {
            streamId = topic.substring(0, q);
            try {
                partition = Integer.parseInt(topic.substring(q + PARTITION.length()));
            } catch (NumberFormatException e) {
                partition = 0;
            }
        }
        JsonNode tree;
        try {
            tree = mapper.readTree(payload);
        } catch (IOException | RuntimeException notJson) {
            tree = null;
        }
        JsonNode metadata =
                tree != null && tree.isObject() && tree.has("content")
                        ? tree.get("metadata")
                        : null;
        if (metadata == null || !metadata.isObject()) {
            return new StreamrMessage(
                    streamId, partition, payload, tree, null, null, null, null, receivedAt);
        }
        return new StreamrMessage(
                streamId,
                partition,
                payload,
                tree.get("content"),
                number(metadata.get("timestamp")),
                number(metadata.get("sequenceNumber")),
                text(metadata.get("publisherId")),
                text(metadata.get("msgChainId")),
                receivedAt);
    }

    private static Long number(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.canConvertToLong()) {
            return n.asLong();
        }
        if (n.isTextual()) {
            try {
                return Long.parseLong(n.asText().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() || !n.isValueNode() ? null : n.asText();
    }
}
