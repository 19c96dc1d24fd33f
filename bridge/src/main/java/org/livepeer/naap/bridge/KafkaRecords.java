package org.livepeer.naap.bridge;

import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * How a plugin message becomes a Kafka record of the raw topic: the payload exactly as received as
 * the value, {@link RecordKeys} as the key, and what the bridge knows about it as headers (only
 * those it knows: a message without metadata has no publisher headers).
 */
public final class KafkaRecords {
    public static final String STREAM_ID = "streamr.stream_id";
    public static final String PARTITION = "streamr.partition";
    public static final String PUBLISHER_ID = "streamr.publisher_id";
    public static final String MSG_CHAIN_ID = "streamr.msg_chain_id";
    public static final String SEQUENCE_NUMBER = "streamr.sequence_number";
    public static final String TIMESTAMP = "streamr.timestamp";
    public static final String RECEIVED_AT = "bridge.received_at";

    private KafkaRecords() {}

    /** The record of one message for {@code topic}. */
    public static ProducerRecord<byte[], byte[]> of(String topic, StreamrMessage m) {
        String key = RecordKeys.keyOf(m.content());
        ProducerRecord<byte[], byte[]> r =
                new ProducerRecord<>(
                        topic,
                        key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                        m.payload());
        header(r, STREAM_ID, m.streamId());
        header(r, PARTITION, Integer.toString(m.partition()));
        header(r, PUBLISHER_ID, m.publisherId());
        header(r, MSG_CHAIN_ID, m.msgChainId());
        header(
                r,
                SEQUENCE_NUMBER,
                m.sequenceNumber() == null ? null : m.sequenceNumber().toString());
        header(r, TIMESTAMP, m.timestamp() == null ? null : m.timestamp().toString());
        header(r, RECEIVED_AT, Long.toString(m.receivedAt()));
        return r;
    }

    private static void header(ProducerRecord<byte[], byte[]> r, String name, String value) {
        if (value != null) {
            r.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * The producer settings that lose nothing and write nothing twice on retries: idempotence,
     * {@code acks=all}, in-order retries; {@code bootstrap} and the byte serializers set.
     */
    public static Properties producerSettings(String bootstrap) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("key.serializer", ByteArraySerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        p.put("enable.idempotence", "true");
        p.put("acks", "all");
        p.put("max.in.flight.requests.per.connection", "5");
        p.put("linger.ms", "5");
        return p;
    }

    /**
     * The bridge's producer: {@link #producerSettings(String)}, records up to
     * kafka.max-request-bytes, and the kafka.producer.* settings. Kafka retries a batch until it is
     * delivered (the spool holds every message meanwhile); a send waits at most 1 s for metadata or
     * buffer space, then the sender waits and tries the same message again.
     */
    public static Properties producerSettings(BridgeConfig config) {
        Properties p = producerSettings(config.bootstrapServers());
        p.put("delivery.timeout.ms", Integer.toString(Integer.MAX_VALUE));
        p.put("max.block.ms", "1000");
        p.put("max.request.size", Integer.toString(config.maxRequestBytes()));
        p.put("buffer.memory", Long.toString(Math.max(32L << 20, 2L * config.maxRequestBytes())));
        p.put("client.id", config.clientId());
        p.putAll(config.producerOverrides());
        return p;
    }
}
