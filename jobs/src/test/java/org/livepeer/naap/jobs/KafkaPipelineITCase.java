package org.livepeer.naap.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.livepeer.naap.iceberg.CatalogSettings;
import org.livepeer.naap.iceberg.IcebergSinks;
import org.livepeer.naap.jobs.io.KafkaConnectors;

/**
 * The production path on one machine: a real KRaft broker in-process, two raw topics with their
 * source labels, the job reading them (bounded at the offsets latest at start), the Iceberg archive
 * and the rejected-records topic.
 */
class KafkaPipelineITCase {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static KafkaClusterTestKit kafka;

    @TempDir Path dir;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka =
                new KafkaClusterTestKit.Builder(
                                new TestKitNodes.Builder()
                                        .setCombined(true)
                                        .setNumBrokerNodes(1)
                                        .setNumControllerNodes(1)
                                        .build())
                        .setConfigProp("offsets.topic.replication.factor", "1")
                        .setConfigProp("transaction.state.log.replication.factor", "1")
                        .setConfigProp("transaction.state.log.min.isr", "1")
                        .build();
        kafka.format();
        kafka.startup();
        kafka.waitForReadyBrokers();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createTopics(
                            List.of(
                                    new NewTopic("naap.events.raw", 2, (short) 1),
                                    new NewTopic("streaming_events", 1, (short) 1),
                                    new NewTopic("naap.events.rejected", 1, (short) 1)))
                    .all()
                    .get();
        }
    }

    @AfterAll
    static void stopKafka() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void readsEveryTopicWithItsLabelArchivesAndPublishesRejections() throws Exception {
        List<String> sinkSamples = TestData.sampleLines("hackathon-sink-events.jsonl");
        List<String> kafkaSamples = TestData.sampleLines("kafka-envelope-events.jsonl");
        RecordMetadata firstRaw;
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            firstRaw = send(producer, "naap.events.raw", sinkSamples.get(0));
            for (String line : sinkSamples.subList(1, sinkSamples.size())) {
                send(producer, "naap.events.raw", line);
            }
            send(producer, "naap.events.raw", "{not json");
            for (String line : kafkaSamples) {
                send(producer, "streaming_events", line);
            }
            send(producer, "streaming_events", kafkaSamples.get(2)); // redelivered
            send(producer, "streaming_events", sinkSamples.get(3)); // same id, another source
        }

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.enableCheckpointing(500);
        CatalogSettings catalog =
                new CatalogSettings(
                        "naap_lake",
                        Map.of("type", "hadoop", "warehouse", dir.resolve("warehouse").toString()));
        TelemetryPipeline.define(
                KafkaConnectors.rawSource(
                        env,
                        kafka.bootstrapServers(),
                        Map.of("naap.events.raw", "raw", "streaming_events", "streaming_events"),
                        "it-group",
                        "earliest",
                        true),
                PipelineConfig.defaults(),
                new TelemetryPipeline.Outputs(
                        s -> IcebergSinks.rawEvents(s, catalog),
                        KafkaConnectors.rejectedSink(
                                kafka.bootstrapServers(),
                                "naap.events.rejected",
                                "at-least-once",
                                "it"),
                        OutputSink.none(),
                        OutputSink.none()));
        RunSummary summary =
                RunSummary.fromAccumulators(env.execute("kafka it").getAllAccumulatorResults());

        // 10 + 1 bad on raw; 8 + a redelivery + a cross-source copy on streaming_events
        assertThat(summary.recordsIn()).isEqualTo(21);
        assertThat(summary.accepted()).isEqualTo(19);
        assertThat(summary.duplicates()).isEqualTo(1);
        assertThat(summary.rejectedByReason()).containsOnly(entry("malformed_json", 1L));

        Map<String, Long> bySource = new HashMap<>();
        for (Row r :
                TestData.query(
                        catalog, "SELECT source, count(*) FROM naap.raw_events GROUP BY source")) {
            bySource.put((String) r.getField(0), (Long) r.getField(1));
        }
        assertThat(bySource).containsOnly(entry("raw", 10L), entry("streaming_events", 9L));

        String firstId = new ObjectMapper().readTree(sinkSamples.get(0)).get("id").asText();
        List<Row> pointer =
                TestData.query(
                        catalog,
                        "SELECT source_topic, source_partition, source_offset FROM naap.raw_events"
                                + " WHERE event_id = '"
                                + firstId
                                + "'");
        assertThat(pointer).hasSize(1);
        assertThat(pointer.get(0).getField(0)).isEqualTo("naap.events.raw");
        assertThat(pointer.get(0).getField(1)).isEqualTo(firstRaw.partition());
        assertThat(pointer.get(0).getField(2)).isEqualTo(firstRaw.offset());

        List<ConsumerRecord<byte[], byte[]>> rejected = consumeAll("naap.events.rejected", 1);
        assertThat(rejected).hasSize(1);
        JsonNode value = new ObjectMapper().readTree(rejected.get(0).value());
        assertThat(value.get("reason").asText()).isEqualTo("malformed_json");
        assertThat(value.get("raw_text").asText()).isEqualTo("{not json");
        assertThat(value.get("source").asText()).isEqualTo("raw");
        assertThat(new String(rejected.get(0).key(), StandardCharsets.UTF_8))
                .startsWith("raw|naap.events.raw|");
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        p.put("key.serializer", ByteArraySerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        p.put("acks", "all");
        return new KafkaProducer<>(p);
    }

    private static RecordMetadata send(
            KafkaProducer<byte[], byte[]> producer, String topic, String value) throws Exception {
        return producer.send(
                        new ProducerRecord<>(topic, null, value.getBytes(StandardCharsets.UTF_8)))
                .get();
    }

    private static List<ConsumerRecord<byte[], byte[]>> consumeAll(String topic, int expected) {
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        p.put("group.id", "it-reader");
        p.put("auto.offset.reset", "earliest");
        p.put("isolation.level", "read_committed");
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 20_000;
            while (System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(out::add);
                if (out.size() >= expected) {
                    // One more poll: anything beyond the expected records is a defect to catch.
                    consumer.poll(Duration.ofMillis(1000)).forEach(out::add);
                    break;
                }
            }
        }
        return out;
    }
}
