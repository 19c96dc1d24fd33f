package org.livepeer.naap.jobs.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.livepeer.naap.jobs.OutputSink;
import org.livepeer.naap.schemas.RawRecord;
import org.livepeer.naap.schemas.Rejection;

/** Builds the job's Kafka sources and sinks from its options. */
public final class KafkaConnectors {
    public static final String UID_SOURCE = "kafka-raw-source";
    public static final String UID_REJECTED_SINK = "kafka-rejected-sink";

    private KafkaConnectors() {}

    /**
     * One source over every raw topic; each record keeps its topic's source label. Watermarks are
     * not assigned here: raw bytes have no time until they are parsed.
     *
     * @param boundedAtLatest stop at the offsets that are latest when the job starts (tests and
     *     loading runs); otherwise read until stopped
     */
    public static DataStream<RawRecord> rawSource(
            StreamExecutionEnvironment env,
            String bootstrap,
            Map<String, String> labelByTopic,
            String groupId,
            String startingOffsets,
            boolean boundedAtLatest) {
        KafkaSourceBuilder<RawRecord> builder =
                KafkaSource.<RawRecord>builder()
                        .setBootstrapServers(bootstrap)
                        .setTopics(new ArrayList<>(labelByTopic.keySet()))
                        .setGroupId(groupId)
                        .setStartingOffsets(offsets(startingOffsets))
                        .setDeserializer(new RawRecordDeserializer(labelByTopic))
                        .setProperty("partition.discovery.interval.ms", "60000");
        if (boundedAtLatest) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return env.fromSource(builder.build(), WatermarkStrategy.noWatermarks(), "Kafka raw events")
                .uid(UID_SOURCE);
    }

    private static OffsetsInitializer offsets(String startingOffsets) {
        switch (startingOffsets) {
            case "earliest":
                return OffsetsInitializer.earliest();
            case "latest":
                return OffsetsInitializer.latest();
            default:
                return OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
        }
    }

    /**
     * The rejected-records topic: JSON values with the same field names as {@code
     * naap.rejected_events}, keyed by the source pointer so that one input partition's rejections
     * stay in order.
     */
    public static OutputSink<Rejection> rejectedSink(
            String bootstrap, String topic, String delivery, String transactionalIdPrefix) {
        return stream ->
                stream.sinkTo(
                                sink(
                                        bootstrap,
                                        delivery,
                                        transactionalIdPrefix,
                                        new RejectionSerializer(topic)))
                        .name("Kafka " + topic)
                        .uid(UID_REJECTED_SINK);
    }

    private static <T> KafkaSink<T> sink(
            String bootstrap,
            String delivery,
            String transactionalIdPrefix,
            KafkaRecordSerializationSchema<T> serializer) {
        boolean exactlyOnce = "exactly-once".equals(delivery);
        return KafkaSink.<T>builder()
                .setBootstrapServers(bootstrap)
                .setRecordSerializer(serializer)
                .setDeliveryGuarantee(
                        exactlyOnce
                                ? DeliveryGuarantee.EXACTLY_ONCE
                                : DeliveryGuarantee.AT_LEAST_ONCE)
                .setTransactionalIdPrefix(transactionalIdPrefix)
                // Must not exceed the broker's transaction.max.timeout.ms (15 min by default).
                .setProperty("transaction.timeout.ms", "900000")
                .build();
    }

    private static final class RejectionSerializer
            implements KafkaRecordSerializationSchema<Rejection> {
        private static final long serialVersionUID = 1L;
        private final String topic;
        private transient ObjectMapper mapper;

        RejectionSerializer(String topic) {
            this.topic = topic;
        }

        @Override
        public void open(
                SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
            mapper = new ObjectMapper();
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(
                Rejection r, KafkaSinkContext context, Long timestamp) {
            byte[] key =
                    (r.source + '|' + r.topic + '|' + r.partition).getBytes(StandardCharsets.UTF_8);
            try {
                return new ProducerRecord<>(
                        topic,
                        null,
                        timestamp,
                        key,
                        mapper.writeValueAsBytes(LiveJson.rejection(mapper, r)));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("cannot encode a rejection as JSON", e);
            }
        }
    }
}
