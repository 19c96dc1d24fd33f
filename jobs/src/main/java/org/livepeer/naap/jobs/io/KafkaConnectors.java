package org.livepeer.naap.jobs.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import org.livepeer.naap.functions.metrics.Demand;
import org.livepeer.naap.jobs.OutputSink;
import org.livepeer.naap.schemas.RawRecord;
import org.livepeer.naap.schemas.Rejection;
import org.livepeer.naap.schemas.output.Alert;
import org.livepeer.naap.schemas.output.MetricsRow;
import org.livepeer.naap.schemas.output.NodeTransition;
import org.livepeer.naap.schemas.output.SessionFact;

/** Builds the job's Kafka sources and sinks from its options. */
public final class KafkaConnectors {
    public static final String UID_SOURCE = "kafka-raw-source";
    public static final String UID_REJECTED_SINK = "kafka-rejected-sink";
    public static final String UID_SESSIONS_SINK = "kafka-sessions-sink";
    public static final String UID_NODES_SINK = "kafka-nodes-sink";
    public static final String UID_METRICS_SINK = "kafka-metrics-sink";
    public static final String UID_ALERTS_SINK = "kafka-alerts-sink";

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
     * The most of a rejected record's text the rejected topic carries: a rejected record can be as
     * large as the largest record Kafka accepts (too large for the parser, or malformed at any
     * size), and its text, escaped in JSON, larger still; a value over the producer's {@code
     * max.request.size} (1 MiB by default) or the topic's {@code max.message.bytes} would fail the
     * job at every restart. 64 Ki characters stay under 1 MiB however they are escaped; the archive
     * ({@code naap.rejected_events.raw}) keeps the bytes up to {@code --max-record-bytes}.
     */
    public static final int REJECTED_RAW_TEXT_MAX_CHARS = 64 * 1024;

    /**
     * The rejected-records topic: JSON values with the same field names as {@code
     * naap.rejected_events} ({@code raw_text} cut at {@link #REJECTED_RAW_TEXT_MAX_CHARS}, with
     * {@code raw_text_truncated}), keyed by the source pointer so that one input partition's
     * rejections stay in order.
     */
    public static OutputSink<Rejection> rejectedSink(
            String bootstrap, String topic, String delivery, String transactionalIdPrefix) {
        return jsonSink(
                bootstrap,
                topic,
                delivery,
                transactionalIdPrefix + "-rejected",
                r -> r.source + '|' + r.topic + '|' + r.partition,
                KafkaConnectors::rejectionValue,
                UID_REJECTED_SINK);
    }

    /** The rejected topic's value: the live JSON with its text cut to fit any Kafka record. */
    static ObjectNode rejectionValue(ObjectMapper mapper, Rejection r) {
        ObjectNode node = LiveJson.rejection(mapper, r);
        String text = r.rawText();
        boolean cut = text != null && text.length() > REJECTED_RAW_TEXT_MAX_CHARS;
        if (cut) {
            int end = REJECTED_RAW_TEXT_MAX_CHARS;
            if (Character.isHighSurrogate(text.charAt(end - 1))) {
                end--;
            }
            node.put("raw_text", text.substring(0, end));
        }
        node.put("raw_text_truncated", cut);
        return node;
    }

    /**
     * The sessions topic {@code naap.sessions.v1}: live updates and final facts (told apart by
     * {@code status}), keyed by session id so that one session's facts stay in order.
     */
    public static OutputSink<SessionFact> sessionsSink(
            String bootstrap, String topic, String delivery, String transactionalIdPrefix) {
        return jsonSink(
                bootstrap,
                topic,
                delivery,
                transactionalIdPrefix + "-sessions",
                f -> f.sessionId,
                LiveJson::session,
                UID_SESSIONS_SINK);
    }

    /**
     * The node liveness topic {@code naap.nodes.v1}: one record per transition, keyed by node id so
     * that one node's transitions stay in order.
     */
    public static OutputSink<NodeTransition> nodesSink(
            String bootstrap, String topic, String delivery, String transactionalIdPrefix) {
        return jsonSink(
                bootstrap,
                topic,
                delivery,
                transactionalIdPrefix + "-nodes",
                t -> t.nodeId,
                LiveJson::node,
                UID_NODES_SINK);
    }

    /**
     * The metrics topic {@code naap.metrics.v1}: every revision of every 1-minute and 1-hour row,
     * keyed by resolution, window start and metric key, so that one window's revisions stay in
     * order (and a compacted topic keeps the latest).
     */
    public static OutputSink<MetricsRow> metricsSink(
            String bootstrap,
            String topic,
            String delivery,
            String transactionalIdPrefix,
            String resolution) {
        return jsonSink(
                bootstrap,
                topic,
                delivery,
                transactionalIdPrefix + "-metrics-" + resolution,
                r -> r.resolution + "|" + r.windowStart + "|" + Demand.keyOf(r),
                LiveJson::metrics,
                UID_METRICS_SINK + "-" + resolution);
    }

    /**
     * The alerts topic {@code naap.alerts.v1}: FIRING and RESOLVED records, keyed by entity so that
     * one entity's alerts stay in order.
     */
    public static OutputSink<Alert> alertsSink(
            String bootstrap, String topic, String delivery, String transactionalIdPrefix) {
        return jsonSink(
                bootstrap,
                topic,
                delivery,
                transactionalIdPrefix + "-alerts",
                a -> a.entity,
                LiveJson::alert,
                UID_ALERTS_SINK);
    }

    /** A Kafka sink of JSON values with the given key. */
    static <T> OutputSink<T> jsonSink(
            String bootstrap,
            String topic,
            String delivery,
            String transactionalIdPrefix,
            KeyOf<T> key,
            JsonLinesFileSink.Encoder<T> encoder,
            String uid) {
        boolean exactlyOnce = "exactly-once".equals(delivery);
        KafkaSink<T> sink =
                KafkaSink.<T>builder()
                        .setBootstrapServers(bootstrap)
                        .setRecordSerializer(new JsonSerializer<>(topic, key, encoder))
                        .setDeliveryGuarantee(
                                exactlyOnce
                                        ? DeliveryGuarantee.EXACTLY_ONCE
                                        : DeliveryGuarantee.AT_LEAST_ONCE)
                        .setTransactionalIdPrefix(transactionalIdPrefix)
                        // Must not exceed the broker's transaction.max.timeout.ms (15 min default).
                        .setProperty("transaction.timeout.ms", "900000")
                        .build();
        return stream -> stream.sinkTo(sink).name("Kafka " + topic).uid(uid);
    }

    /** The Kafka key of a record. */
    @FunctionalInterface
    public interface KeyOf<T> extends java.io.Serializable {
        String of(T value);
    }

    private static final class JsonSerializer<T> implements KafkaRecordSerializationSchema<T> {
        private static final long serialVersionUID = 1L;
        private final String topic;
        private final KeyOf<T> key;
        private final JsonLinesFileSink.Encoder<T> encoder;
        private transient ObjectMapper mapper;

        JsonSerializer(String topic, KeyOf<T> key, JsonLinesFileSink.Encoder<T> encoder) {
            this.topic = topic;
            this.key = key;
            this.encoder = encoder;
        }

        @Override
        public void open(
                SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
            mapper = new ObjectMapper();
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(
                T value, KafkaSinkContext context, Long timestamp) {
            String k = key.of(value);
            try {
                return new ProducerRecord<>(
                        topic,
                        null,
                        timestamp,
                        k == null ? null : k.getBytes(StandardCharsets.UTF_8),
                        mapper.writeValueAsBytes(encoder.encode(mapper, value)));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("cannot encode a record for " + topic, e);
            }
        }
    }
}
