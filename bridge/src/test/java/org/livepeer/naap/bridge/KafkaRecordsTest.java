package org.livepeer.naap.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.Test;

/** Plugin messages written to a real KRaft broker and read back: bytes, keys and headers. */
class KafkaRecordsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String STREAM =
            "0xabc0000000000000000000000000000000000001/livepeer/events";

    @Test
    void theBytesAsReceivedWithTheirKeyAndHeaders() throws Exception {
        String wrapped =
                "{\"content\":{\"id\":\"e1\",\"data\":{\"stream_id\":\"s-1\"}},\"metadata\":"
                        + "{\"timestamp\":1768478400123,\"sequenceNumber\":0,\"publisherId\":"
                        + "\"0xpub\",\"msgChainId\":\"m1\"}}";
        String plain = "[{\"id\":\"e2\",\"gateway\":\"gw-1\"}]";
        byte[] junk = {(byte) 0xfe, 'x'};
        try (KafkaClusterTestKit kafka =
                new KafkaClusterTestKit.Builder(
                                new TestKitNodes.Builder()
                                        .setCombined(true)
                                        .setNumBrokerNodes(1)
                                        .setNumControllerNodes(1)
                                        .build())
                        // One broker: the consumer group's offsets topic must fit on it.
                        .setConfigProp("offsets.topic.replication.factor", "1")
                        .build()) {
            kafka.format();
            kafka.startup();
            kafka.waitForReadyBrokers();
            String bootstrap = kafka.bootstrapServers();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                admin.createTopics(List.of(new NewTopic("naap.events.raw", 3, (short) 1)))
                        .all()
                        .get();
            }
            try (KafkaProducer<byte[], byte[]> producer =
                    new KafkaProducer<>(KafkaRecords.producerSettings(bootstrap))) {
                producer.send(
                                KafkaRecords.of(
                                        "naap.events.raw",
                                        StreamrMessage.of(
                                                MAPPER,
                                                StreamrMessage.topicOf(STREAM, 1),
                                                wrapped.getBytes(StandardCharsets.UTF_8),
                                                11L)))
                        .get();
                producer.send(
                                KafkaRecords.of(
                                        "naap.events.raw",
                                        StreamrMessage.of(
                                                MAPPER,
                                                STREAM,
                                                plain.getBytes(StandardCharsets.UTF_8),
                                                12L)))
                        .get();
                producer.send(
                                KafkaRecords.of(
                                        "naap.events.raw",
                                        StreamrMessage.of(MAPPER, STREAM, junk, 13L)))
                        .get();
            }
            List<ConsumerRecord<byte[], byte[]>> got = read(bootstrap, 3);
            assertThat(got).hasSize(3);
            Map<String, ConsumerRecord<byte[], byte[]>> byReceived = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : got) {
                byReceived.put(header(r, KafkaRecords.RECEIVED_AT), r);
            }
            ConsumerRecord<byte[], byte[]> first = byReceived.get("11");
            assertThat(new String(first.value(), StandardCharsets.UTF_8)).isEqualTo(wrapped);
            assertThat(new String(first.key(), StandardCharsets.UTF_8)).isEqualTo("stream:s-1");
            assertThat(header(first, KafkaRecords.STREAM_ID)).isEqualTo(STREAM);
            assertThat(header(first, KafkaRecords.PARTITION)).isEqualTo("1");
            assertThat(header(first, KafkaRecords.PUBLISHER_ID)).isEqualTo("0xpub");
            assertThat(header(first, KafkaRecords.MSG_CHAIN_ID)).isEqualTo("m1");
            assertThat(header(first, KafkaRecords.SEQUENCE_NUMBER)).isEqualTo("0");
            assertThat(header(first, KafkaRecords.TIMESTAMP)).isEqualTo("1768478400123");

            ConsumerRecord<byte[], byte[]> second = byReceived.get("12");
            assertThat(new String(second.value(), StandardCharsets.UTF_8)).isEqualTo(plain);
            assertThat(new String(second.key(), StandardCharsets.UTF_8)).isEqualTo("gateway:gw-1");
            assertThat(header(second, KafkaRecords.PUBLISHER_ID)).isNull();
            assertThat(header(second, KafkaRecords.PARTITION)).isEqualTo("0");

            ConsumerRecord<byte[], byte[]> third = byReceived.get("13");
            assertThat(third.value()).isEqualTo(junk);
            assertThat(third.key()).isNull();
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static List<ConsumerRecord<byte[], byte[]>> read(String bootstrap, int expected) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("group.id", "bridge-test");
        p.put("auto.offset.reset", "earliest");
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of("naap.events.raw"));
            long deadline = System.currentTimeMillis() + 30_000;
            while (out.size() < expected && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(out::add);
            }
        }
        return out;
    }
}
