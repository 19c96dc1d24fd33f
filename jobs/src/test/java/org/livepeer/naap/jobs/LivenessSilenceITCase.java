package org.livepeer.naap.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.livepeer.naap.functions.liveness.LivenessConfig;
import org.livepeer.naap.jobs.io.KafkaConnectors;
import org.livepeer.naap.testkit.KafkaTestBroker;

/**
 * A live Kafka input that stops entirely: no event moves event time any more, and still the silent
 * gateway is declared {@code DOWN_ABRUPT}, within its timeout plus the silence grace and a few
 * seconds of wall-clock time, at the event time its timeout expired.
 */
class LivenessSilenceITCase {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final long T0 = 1_768_483_800_000L;
    private static final long TIMEOUT_MS = 5_000;
    private static final Duration GRACE = Duration.ofSeconds(2);

    @Test
    void declaresASilentGatewayDownWhenTheWholeInputStops() throws Exception {
        try (KafkaTestBroker kafka = KafkaTestBroker.start()) {
            kafka.createTopic("naap.events.raw", 2);
            kafka.createTopic("naap.nodes.v1", 1);
            long lastSeen = T0 + 5_000;
            try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
                // One partition, so the gateway's events arrive in its own order (the other
                // partition stays empty: its split must not hold event time back either).
                for (long t = T0; t <= lastSeen; t += 1_000) {
                    KafkaTestBroker.send(producer, "naap.events.raw", 0, discovery(t));
                }
            }

            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(2);
            env.enableCheckpointing(1_000);
            PipelineConfig d = PipelineConfig.defaults();
            PipelineConfig live =
                    new PipelineConfig(
                            d.parser(),
                            d.outOfOrderness(),
                            d.idleness(),
                            d.allowedLateness(),
                            d.dedupRetention(),
                            d.sessions(),
                            new LivenessConfig(
                                    Duration.ofMillis(TIMEOUT_MS),
                                    3,
                                    Duration.ofMillis(TIMEOUT_MS),
                                    Duration.ofHours(1),
                                    Duration.ofSeconds(60),
                                    Duration.ofDays(1),
                                    Duration.ofMinutes(2)),
                            GRACE);
            TelemetryPipeline.Outputs none =
                    TelemetryPipeline.Outputs.archiveOnly(OutputSink.none(), OutputSink.none());
            TelemetryPipeline.define(
                    KafkaConnectors.rawSource(
                            env,
                            kafka.bootstrapServers(),
                            Map.of("naap.events.raw", "raw"),
                            "silence-it",
                            "earliest",
                            false),
                    live,
                    new TelemetryPipeline.Outputs(
                            none.rawEvents(),
                            none.rejected(),
                            none.duplicates(),
                            none.late(),
                            none.sessions(),
                            none.finalSessions(),
                            none.lateSessionEvents(),
                            KafkaConnectors.nodesSink(
                                    kafka.bootstrapServers(),
                                    "naap.nodes.v1",
                                    "at-least-once",
                                    "silence-it"),
                            none.capabilities(),
                            none.payments(),
                            none.jobs(),
                            none.metrics1m(),
                            none.metrics1h()));
            JobClient job = env.executeAsync("liveness silence");
            try {
                JsonNode up = null;
                JsonNode down = null;
                long upSeenAt = 0;
                long downSeenAt = 0;
                ObjectMapper mapper = new ObjectMapper();
                try (KafkaConsumer<byte[], byte[]> consumer = consumer(kafka)) {
                    consumer.subscribe(List.of("naap.nodes.v1"));
                    long deadline = System.currentTimeMillis() + 90_000;
                    while (down == null && System.currentTimeMillis() < deadline) {
                        for (ConsumerRecord<byte[], byte[]> r :
                                consumer.poll(Duration.ofMillis(200))) {
                            JsonNode t = mapper.readTree(r.value());
                            if (!"gateway:gw-silent.example".equals(t.path("node_id").asText())) {
                                continue;
                            }
                            if ("UP".equals(t.path("transition").asText())) {
                                up = t;
                                upSeenAt = System.currentTimeMillis();
                            } else if ("DOWN_ABRUPT".equals(t.path("transition").asText())) {
                                down = t;
                                downSeenAt = System.currentTimeMillis();
                            }
                        }
                    }
                }
                assertThat(up).as("UP of the gateway").isNotNull();
                assertThat(down).as("DOWN_ABRUPT of the silent gateway").isNotNull();
                // The event time it went down: its last event plus its timeout (its 1 s cadence
                // gives 3 s, below the 5 s minimum).
                assertThat(down.path("last_seen").asText()).isEqualTo(iso(lastSeen));
                assertThat(down.path("timeout_ms").asLong()).isEqualTo(TIMEOUT_MS);
                assertThat(down.path("at").asText()).isEqualTo(iso(lastSeen + TIMEOUT_MS));
                // In wall-clock time: the timeout and the grace after the input stopped, plus a
                // few seconds for checkpoints (the Kafka sink flushes on them) and polling.
                assertThat(downSeenAt - upSeenAt)
                        .isLessThanOrEqualTo(TIMEOUT_MS + GRACE.toMillis() + 8_000);
            } finally {
                job.cancel().get();
            }
        }
    }

    private static String discovery(long time) {
        return "{\"id\":\"silence-"
                + time
                + "\",\"type\":\"discovery_results\",\"timestamp\":\""
                + time
                + "\",\"gateway\":\"gw-silent.example\",\"data\":[{\"address\":"
                + "\"0x52cf2968b3dc6016778742d3539449a6597d5954\",\"latency_ms\":\"5\","
                + "\"url\":\"https://orch-1.example:8935\"}]}";
    }

    private static String iso(long epochMs) {
        return java.time.Instant.ofEpochMilli(epochMs).toString();
    }

    private static KafkaConsumer<byte[], byte[]> consumer(KafkaTestBroker kafka) {
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        p.put("group.id", "silence-reader");
        p.put("auto.offset.reset", "earliest");
        p.put("isolation.level", "read_committed");
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        return new KafkaConsumer<>(p);
    }
}
