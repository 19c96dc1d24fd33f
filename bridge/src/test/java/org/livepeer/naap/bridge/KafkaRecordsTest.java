package org.livepeer.naap.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/**
 * A plugin message as a record of the raw topic: bytes, key and headers (BridgeITCase writes them
 * through a real broker and reads them back).
 */
class KafkaRecordsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String STREAM =
            "0xabc0000000000000000000000000000000000001/livepeer/events";

    @Test
    void theBytesAsReceivedWithTheirKeyAndHeaders() {
        String wrapped =
                "{\"content\":{\"id\":\"e1\",\"data\":{\"stream_id\":\"s-1\"}},\"metadata\":"
                        + "{\"timestamp\":1768478400123,\"sequenceNumber\":0,\"publisherId\":"
                        + "\"0xpub\",\"msgChainId\":\"m1\"}}";
        ProducerRecord<byte[], byte[]> first =
                KafkaRecords.of(
                        "naap.events.raw",
                        StreamrMessage.of(
                                MAPPER,
                                StreamrMessage.topicOf(STREAM, 1),
                                wrapped.getBytes(StandardCharsets.UTF_8),
                                11L));
        assertThat(first.topic()).isEqualTo("naap.events.raw");
        assertThat(new String(first.value(), StandardCharsets.UTF_8)).isEqualTo(wrapped);
        assertThat(new String(first.key(), StandardCharsets.UTF_8)).isEqualTo("stream:s-1");
        assertThat(headers(first))
                .containsExactly(
                        Map.entry(KafkaRecords.STREAM_ID, STREAM),
                        Map.entry(KafkaRecords.PARTITION, "1"),
                        Map.entry(KafkaRecords.PUBLISHER_ID, "0xpub"),
                        Map.entry(KafkaRecords.MSG_CHAIN_ID, "m1"),
                        Map.entry(KafkaRecords.SEQUENCE_NUMBER, "0"),
                        Map.entry(KafkaRecords.TIMESTAMP, "1768478400123"),
                        Map.entry(KafkaRecords.RECEIVED_AT, "11"));

        String plain = "[{\"id\":\"e2\",\"gateway\":\"gw-1\"}]";
        ProducerRecord<byte[], byte[]> second =
                KafkaRecords.of(
                        "naap.events.raw",
                        StreamrMessage.of(
                                MAPPER, STREAM, plain.getBytes(StandardCharsets.UTF_8), 12L));
        assertThat(new String(second.key(), StandardCharsets.UTF_8)).isEqualTo("gateway:gw-1");
        assertThat(headers(second))
                .containsExactly(
                        Map.entry(KafkaRecords.STREAM_ID, STREAM),
                        Map.entry(KafkaRecords.PARTITION, "0"),
                        Map.entry(KafkaRecords.RECEIVED_AT, "12"));

        byte[] junk = {(byte) 0xfe, 'x'};
        ProducerRecord<byte[], byte[]> third =
                KafkaRecords.of("naap.events.raw", StreamrMessage.of(MAPPER, STREAM, junk, 13L));
        assertThat(third.value()).isEqualTo(junk);
        assertThat(third.key()).isNull();
    }

    @Test
    void theProducerLosesNothingAndWritesNothingTwice() {
        BridgeConfig c =
                BridgeConfig.of(
                        Map.of(
                                "mqtt.api-key", "k",
                                "mqtt.streams", STREAM,
                                "kafka.max-request-bytes", "2000000",
                                "kafka.producer.compression.type", "zstd"));
        var p = KafkaRecords.producerSettings(c);
        assertThat(p)
                .containsEntry("acks", "all")
                .containsEntry("enable.idempotence", "true")
                .containsEntry("delivery.timeout.ms", Integer.toString(Integer.MAX_VALUE))
                .containsEntry("max.request.size", "2000000")
                .containsEntry("buffer.memory", Long.toString(32L << 20))
                .containsEntry("compression.type", "zstd");
    }

    private static java.util.List<Map.Entry<String, String>> headers(
            ProducerRecord<byte[], byte[]> r) {
        java.util.List<Map.Entry<String, String>> out = new java.util.ArrayList<>();
        for (Header h : r.headers()) {
            out.add(Map.entry(h.key(), new String(h.value(), StandardCharsets.UTF_8)));
        }
        return out;
    }
}
