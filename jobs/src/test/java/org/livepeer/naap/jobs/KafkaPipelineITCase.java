package org.livepeer.naap.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.livepeer.naap.iceberg.CatalogSettings;
import org.livepeer.naap.iceberg.IcebergSinks;
import org.livepeer.naap.jobs.io.KafkaConnectors;
import org.livepeer.naap.testkit.KafkaTestBroker;

/**
 * The production path on one machine: a real KRaft broker in-process, two raw topics with their
 * source labels, the job reading them (bounded at the offsets latest at start), the Iceberg archive
 * and the live topics, written exactly once (transactions) and read committed.
 */
class KafkaPipelineITCase {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    /**
     * The default delivery: each sink writes in Kafka transactions committed with the checkpoints,
     * and {@link KafkaTestBroker#readCommitted} sees only committed records.
     */
    private static final String DELIVERY = "exactly-once";

    private static KafkaTestBroker kafka;

    @TempDir Path dir;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = KafkaTestBroker.start();
        kafka.createTopic("naap.events.raw", 2);
        kafka.createTopic("streaming_events", 1);
        kafka.createTopic("naap.events.rejected", 1);
        kafka.createTopic("naap.sessions.v1", 2);
        kafka.createTopic("naap.metrics.v1", 1);
    }

    private static PipelineConfig sampleBound() {
        PipelineConfig d = PipelineConfig.defaults();
        return new PipelineConfig(
                d.parser(),
                java.time.Duration.ofHours(2),
                d.idleness(),
                d.allowedLateness(),
                d.dedupRetention(),
                d.sessions(),
                d.liveness(),
                null);
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
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
            firstRaw = KafkaTestBroker.send(producer, "naap.events.raw", sinkSamples.get(0));
            for (String line : sinkSamples.subList(1, sinkSamples.size())) {
                KafkaTestBroker.send(producer, "naap.events.raw", line);
            }
            KafkaTestBroker.send(producer, "naap.events.raw", "{not json");
            for (String line : kafkaSamples) {
                KafkaTestBroker.send(producer, "streaming_events", line);
            }
            KafkaTestBroker.send(producer, "streaming_events", kafkaSamples.get(2)); // redelivered
            KafkaTestBroker.send(
                    producer, "streaming_events", sinkSamples.get(3)); // same id, another source
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
                // The real samples span 72 minutes in no time order: a bound that covers it keeps
                // their sessions' events in order whatever the read interleaving.
                sampleBound(),
                new TelemetryPipeline.Outputs(
                        s -> IcebergSinks.rawEvents(s, catalog),
                        KafkaConnectors.rejectedSink(
                                kafka.bootstrapServers(), "naap.events.rejected", DELIVERY, "it"),
                        OutputSink.none(),
                        OutputSink.none(),
                        KafkaConnectors.sessionsSink(
                                kafka.bootstrapServers(), "naap.sessions.v1", DELIVERY, "it"),
                        s -> IcebergSinks.sessions(s, catalog),
                        OutputSink.none(),
                        OutputSink.none(),
                        OutputSink.none(),
                        OutputSink.none(),
                        OutputSink.none(),
                        KafkaConnectors.metricsSink(
                                kafka.bootstrapServers(), "naap.metrics.v1", DELIVERY, "it", "1m"),
                        KafkaConnectors.metricsSink(
                                kafka.bootstrapServers(),
                                "naap.metrics.v1",
                                DELIVERY,
                                "it",
                                "1h")));
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

        List<ConsumerRecord<byte[], byte[]>> rejected =
                kafka.readCommitted("naap.events.rejected", 1);
        assertThat(rejected).hasSize(1);
        JsonNode value = new ObjectMapper().readTree(rejected.get(0).value());
        assertThat(value.get("reason").asText()).isEqualTo("malformed_json");
        assertThat(value.get("raw_text").asText()).isEqualTo("{not json");
        assertThat(value.get("source").asText()).isEqualTo("raw");
        assertThat(new String(rejected.get(0).key(), StandardCharsets.UTF_8))
                .startsWith("raw|naap.events.raw|");

        // The two sessions of the real samples, each with one final fact keyed by its id.
        Map<String, String> finals = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : kafka.readCommitted("naap.sessions.v1", 2)) {
            JsonNode fact = new ObjectMapper().readTree(r.value());
            String key = new String(r.key(), StandardCharsets.UTF_8);
            assertThat(fact.get("session_id").asText()).isEqualTo(key);
            if ("final".equals(fact.get("status").asText())) {
                assertThat(finals.put(key, fact.get("end_reason").asText())).isNull();
            }
        }
        assertThat(finals)
                .containsOnly(
                        entry("stream-3hc4ok-mkfh9jxs|5291f1cf", "closed"),
                        entry("stream-z24wz2-mkfh5j30|499ae98f", "closed"));

        // Metric rows on naap.metrics.v1, keyed by resolution, window start and metric key, in
        // revision order per key. Neither sample session was requested (no
        // gateway_receive_stream_request), so the rows hold their status samples' fps only.
        Map<String, Integer> revisions = new HashMap<>();
        long fpsSamples = 0;
        int hours = 0;
        for (ConsumerRecord<byte[], byte[]> r : kafka.readCommitted("naap.metrics.v1", 1)) {
            JsonNode row = new ObjectMapper().readTree(r.value());
            String key = new String(r.key(), StandardCharsets.UTF_8);
            assertThat(key).startsWith(row.get("resolution").asText() + "|");
            assertThat(row.get("requested").asLong()).isZero();
            int revision = row.get("revision").asInt();
            Integer before = revisions.put(key, revision);
            assertThat(before == null ? -1 : before).as(key).isLessThan(revision);
            if ("1h".equals(row.get("resolution").asText())
                    && "network".equals(row.get("aggregation_level").asText())) {
                hours++;
                fpsSamples += row.get("fps_count").asLong();
                assertThat(row.get("fps_sketch").asText()).isNotEmpty();
            }
        }
        assertThat(hours).isPositive();
        assertThat(fpsSamples).isPositive();
    }
}
