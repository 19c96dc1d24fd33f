package org.livepeer.naap.testkit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real KRaft Kafka broker in the JVM (Kafka's own test kit), with small client helpers. Shared by
 * the tests of {@code jobs} and {@code bridge} and by the benchmark, so that all of them write to
 * and read from the same kind of broker a deployment runs.
 */
public final class KafkaTestBroker implements AutoCloseable {
    private final KafkaClusterTestKit cluster;
    private int stoppedPort = -1;

    private KafkaTestBroker(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    public static KafkaTestBroker start() throws Exception {
        KafkaClusterTestKit cluster =
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
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        return new KafkaTestBroker(cluster);
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    public void createTopic(String name, int partitions) throws Exception {
        createTopic(name, partitions, Map.of());
    }

    /** Creates a topic with the given topic-level configs (e.g. {@code retention.ms}). */
    public void createTopic(String name, int partitions, Map<String, String> configs)
            throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs)))
                    .all()
                    .get();
        }
    }

    public KafkaProducer<byte[], byte[]> producer() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrapServers());
        p.put("key.serializer", ByteArraySerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        p.put("acks", "all");
        return new KafkaProducer<>(p);
    }

    public static RecordMetadata send(
            KafkaProducer<byte[], byte[]> producer, String topic, String value) throws Exception {
        return producer.send(
                        new ProducerRecord<>(topic, null, value.getBytes(StandardCharsets.UTF_8)))
                .get();
    }

    /** Sends one record to the given partition. */
    public static RecordMetadata send(
            KafkaProducer<byte[], byte[]> producer, String topic, int partition, String value)
            throws Exception {
        return producer.send(
                        new ProducerRecord<>(
                                topic, partition, null, value.getBytes(StandardCharsets.UTF_8)))
                .get();
    }

    /**
     * Reads a topic (committed records only) until at least {@code expected} records arrived and a
     * further poll brings nothing new, so that any record beyond them is caught too.
     */
    public List<ConsumerRecord<byte[], byte[]>> readCommitted(String topic, int expected) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrapServers());
        p.put("group.id", "test-reader-" + System.nanoTime());
        p.put("auto.offset.reset", "earliest");
        p.put("isolation.level", "read_committed");
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < deadline) {
                int before = out.size();
                consumer.poll(Duration.ofMillis(1000)).forEach(out::add);
                if (out.size() >= expected && out.size() == before) {
                    break;
                }
            }
        }
        return out;
    }

    /**
     * Every committed record of a topic, read with {@code isolation.level=read_committed} from the
     * beginning of each partition up to its last stable offset (no consumer group, so no group
     * rebalance to wait for). Fails if the end cannot be reached within 30 seconds.
     */
    public List<ConsumerRecord<byte[], byte[]>> readCommittedToEnd(String topic) {
        return readToEnd(topic, "read_committed");
    }

    /**
     * Every record of a topic up to its high watermark, read with {@code
     * isolation.level=read_uncommitted}: what a non-transactional producer (the bridge) wrote,
     * without waiting for a consumer group. Fails if the end cannot be reached within 30 seconds.
     */
    public List<ConsumerRecord<byte[], byte[]>> readToEnd(String topic) {
        return readToEnd(topic, "read_uncommitted");
    }

    private List<ConsumerRecord<byte[], byte[]>> readToEnd(String topic, String isolation) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(isolation)) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.currentTimeMillis() + 30_000;
            while (!reached(consumer, end)) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException(
                            "could not read " + topic + " (" + isolation + ") to its end " + end);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    /**
     * How many offsets of the topic lie beyond its last stable offset: records of transactions that
     * are still open (neither committed nor aborted), which a read_committed consumer cannot pass.
     */
    public long offsetsInOpenTransactions(String topic) {
        try (KafkaConsumer<byte[], byte[]> committed = consumer("read_committed");
                KafkaConsumer<byte[], byte[]> uncommitted = consumer("read_uncommitted")) {
            List<TopicPartition> partitions = partitions(committed, topic);
            Map<TopicPartition, Long> stable = committed.endOffsets(partitions);
            Map<TopicPartition, Long> high = uncommitted.endOffsets(partitions);
            long open = 0;
            for (TopicPartition tp : partitions) {
                open += high.get(tp) - stable.get(tp);
            }
            return open;
        }
    }

    /**
     * Stops the broker: a controlled shutdown of the broker role of the (combined) node, whose
     * controller keeps running. Its log directories stay on disk, and {@link #startBroker} opens
     * its listener again on the same port (the test kit binds the port once and reopens it), so
     * clients reconnect to the same bootstrap address.
     */
    public void stopBroker() {
        for (BrokerServer broker : cluster.brokers().values()) {
            stoppedPort = broker.boundPort(cluster.nodes().brokerListenerName());
            broker.shutdown();
        }
    }

    /** Starts the stopped broker again on its log directories and waits until it is ready. */
    public void startBroker() throws Exception {
        for (BrokerServer broker : cluster.brokers().values()) {
            broker.startup();
            int port = broker.boundPort(cluster.nodes().brokerListenerName());
            if (port != stoppedPort) {
                throw new IllegalStateException(
                        "the broker came back on port " + port + ", not " + stoppedPort);
            }
        }
        cluster.waitForReadyBrokers();
    }

    private KafkaConsumer<byte[], byte[]> consumer(String isolation) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrapServers());
        p.put("isolation.level", isolation);
        p.put("enable.auto.commit", "false");
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        return new KafkaConsumer<>(p);
    }

    private static List<TopicPartition> partitions(
            KafkaConsumer<byte[], byte[]> consumer, String topic) {
        List<TopicPartition> partitions = new ArrayList<>();
        consumer.partitionsFor(topic, Duration.ofSeconds(30))
                .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        return partitions;
    }

    private static boolean reached(
            KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
