package org.livepeer.naap.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.local.LocalDataInputStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.livepeer.naap.bridge.Bridge;
import org.livepeer.naap.bridge.BridgeConfig;
import org.livepeer.naap.jobs.io.JsonRecordsFormat;
import org.livepeer.naap.schemas.RawRecord;
import org.livepeer.naap.testkit.MqttTestBroker;

/**
 * {@code ./naap run --embedded-kafka}: the production path on one machine. A KRaft Kafka broker in
 * this JVM (Kafka's own test kit); the input (the same as a plain run's: the generated network,
 * {@code --samples} or {@code --input} files) loaded into the raw topic; the job reading that topic
 * up to the offsets latest when it starts, with every live output on its Kafka topic (exactly once
 * by default), beside the Iceberg warehouse and {@code OUT/live/*.jsonl}; and, at the end, what the
 * live topics hold for a read-committed consumer, each set against its file output.
 *
 * <p>The broker lives as long as the run: its data is gone when the command ends.
 */
final class EmbeddedKafkaRun {
    /** Records up to this size are loaded (the broker and the loader allow them). */
    static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private EmbeddedKafkaRun() {}

    /**
     * A live output on Kafka: its topic, the files of the same records under {@code OUT/live/}, and
     * the JSON fields its records are counted by when shown.
     */
    record LiveTopic(String topic, List<String> files, List<String> countBy) {}

    /** Every live output on Kafka, in the order shown: one line each. */
    static List<LiveTopic> liveTopics(JobOptions opts) {
        return List.of(
                new LiveTopic(opts.rejectedTopic(), List.of("rejected.jsonl"), List.of("reason")),
                new LiveTopic(
                        opts.sessionsTopic(),
                        List.of("sessions.jsonl"),
                        List.of("status", "end_reason")),
                new LiveTopic(opts.nodesTopic(), List.of("nodes.jsonl"), List.of("transition")),
                new LiveTopic(
                        opts.metricsTopic(),
                        List.of("metrics_1m.jsonl", "metrics_1h.jsonl"),
                        List.of("resolution", "aggregation_level")),
                new LiveTopic(
                        opts.alertsTopic(), List.of("alerts.jsonl"), List.of("state", "rule")));
    }

    /** One record of a topic, as text. */
    record Message(int partition, String key, String value) {}

    /** What a read-committed consumer finds on a live topic, and what the file outputs hold. */
    record TopicContents(LiveTopic topic, List<Message> records, long fileLines) {
        long keys() {
            Set<String> keys = new HashSet<>();
            records.forEach(r -> keys.add(r.key()));
            return keys.size();
        }

        /** How many records have each value of a JSON field (records without it left out). */
        Map<String, Long> countBy(String field) {
            Map<String, Long> out = new TreeMap<>();
            for (Message m : records) {
                JsonNode v = json(m.value()).get(field);
                if (v != null && !v.isNull()) {
                    out.merge(v.asText(), 1L, Long::sum);
                }
            }
            return out;
        }
    }

    /** The run's summary and what each live topic held at its end. */
    record Result(RunSummary summary, long loaded, Map<String, TopicContents> topics) {}

    /**
     * Runs the job of {@code opts} (files as input) through an embedded broker and shows the live
     * topics at the end.
     */
    static Result run(JobOptions opts, boolean append, StreamExecutionEnvironment env)
            throws Exception {
        return run(opts, append, env, false);
    }

    /**
     * As {@link #run(JobOptions, boolean, StreamExecutionEnvironment)}; with {@code viaBridge} the
     * input reaches the raw topic as in production: published to an MQTT broker that behaves like a
     * Streamr node's plugin, and written to Kafka by the bridge.
     */
    static Result run(
            JobOptions opts, boolean append, StreamExecutionEnvironment env, boolean viaBridge)
            throws Exception {
        long started = System.nanoTime();
        Map.Entry<String, String> raw = opts.topics().entrySet().iterator().next();
        String rawTopic = raw.getKey();
        int partitions = Math.max(1, Math.min(opts.inputs().size(), opts.parallelism()));
        List<LiveTopic> live = liveTopics(opts);
        System.out.println("Starting an embedded Kafka broker (KRaft, in this JVM)...");
        Path brokerDir = opts.out().resolve("kafka");
        LocalRun.deleteTree(brokerDir);
        try (KafkaClusterTestKit broker = startBroker(brokerDir)) {
            String bootstrap = broker.bootstrapServers();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                List<NewTopic> topics = new ArrayList<>();
                topics.add(
                        new NewTopic(rawTopic, partitions, (short) 1)
                                .configs(
                                        Map.of(
                                                "retention.ms",
                                                "-1",
                                                "max.message.bytes",
                                                String.valueOf(MAX_MESSAGE_BYTES))));
                for (LiveTopic t : live) {
                    topics.add(
                            new NewTopic(t.topic(), opts.parallelism(), (short) 1)
                                    .configs(Map.of("retention.ms", "-1")));
                }
                admin.createTopics(topics).all().get();
            }
            System.out.printf(
                    "  broker at %s (%.1f s); topics %s (%d partition%s), %s (%d partitions"
                            + " each)%n",
                    bootstrap,
                    seconds(started),
                    rawTopic,
                    partitions,
                    partitions == 1 ? "" : "s",
                    String.join(", ", live.stream().map(LiveTopic::topic).toList()),
                    opts.parallelism());
            long loaded =
                    viaBridge
                            ? loadThroughBridge(bootstrap, rawTopic, opts)
                            : load(bootstrap, rawTopic, partitions, opts);

            // The pipeline keeps the file run's watermarks (idleness, no silence grace): the topic
            // is a replay, read as fast as it can be, not a live feed.
            JobOptions onKafka = opts.onKafka(bootstrap, Map.of(rawTopic, raw.getValue()));
            System.out.printf(
                    "Running the job on %s up to its latest offsets, live outputs to Kafka (%s,"
                            + " transactional ids %s-*) and %s%n",
                    rawTopic,
                    opts.delivery(),
                    opts.transactionalIdPrefix(),
                    opts.out().resolve("live"));
            RunSummary summary = LocalRun.run(onKafka, append, env, true);

            Map<String, TopicContents> contents = new LinkedHashMap<>();
            for (LiveTopic t : live) {
                contents.put(
                        t.topic(),
                        new TopicContents(
                                t,
                                readCommitted(bootstrap, t.topic()),
                                fileLines(opts.out().resolve("live"), t.files())));
            }
            System.out.print(render(contents, bootstrap));
            System.out.printf(
                    "embedded-kafka run finished in %.1f s (broker, loading, job and reading the"
                            + " topics); the broker and its topics are gone with this command%n",
                    seconds(started));
            return new Result(summary, loaded, contents);
        }
    }

    /**
     * A one-node KRaft cluster with its logs under {@code dir} (deleted when it closes; a run
     * stopped with Ctrl-C leaves them, and the next run deletes them).
     */
    private static KafkaClusterTestKit startBroker(Path dir) throws Exception {
        Files.createDirectories(dir);
        KafkaClusterTestKit cluster =
                new KafkaClusterTestKit.Builder(
                                new TestKitNodes.Builder()
                                        .setBaseDirectory(dir)
                                        .setCombined(true)
                                        .setNumBrokerNodes(1)
                                        .setNumControllerNodes(1)
                                        .build())
                        .setConfigProp("offsets.topic.replication.factor", "1")
                        .setConfigProp("offsets.topic.num.partitions", "1")
                        .setConfigProp("transaction.state.log.replication.factor", "1")
                        .setConfigProp("transaction.state.log.min.isr", "1")
                        .setConfigProp("transaction.state.log.num.partitions", "1")
                        .setConfigProp("group.initial.rebalance.delay.ms", "0")
                        .setConfigProp("message.max.bytes", String.valueOf(MAX_MESSAGE_BYTES))
                        // The live outputs carry their event times as record timestamps: a replay
                        // of an old input is months behind the clock, and time retention (7 days
                        // by default) would delete it as soon as its segment rolls.
                        .setConfigProp("log.retention.ms", "-1")
                        .setConfigProp("replica.fetch.max.bytes", String.valueOf(MAX_MESSAGE_BYTES))
                        .build();
        PrintStream console = System.out;
        try {
            // The test kit prints its formatting steps to stdout: keep them off the console.
            System.setOut(new PrintStream(OutputStream.nullOutputStream()));
            try {
                cluster.format();
            } finally {
                System.setOut(console);
            }
            cluster.startup();
            cluster.waitForReadyBrokers();
            return cluster;
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
    }

    /**
     * Loads every input file into the raw topic, record by record as the file source reads them
     * (lines; a {@code .json} file whole), file {@code i} into partition {@code i % partitions}, so
     * each partition holds its files in their order, as each file source reads one.
     */
    static long load(String bootstrap, String topic, int partitions, JobOptions opts)
            throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("key.serializer", ByteArraySerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        p.put("acks", "all");
        p.put("linger.ms", "20");
        p.put("batch.size", String.valueOf(512 * 1024));
        p.put("max.request.size", String.valueOf(MAX_MESSAGE_BYTES));
        p.put("buffer.memory", String.valueOf(4L * MAX_MESSAGE_BYTES));
        long started = System.nanoTime();
        long intervalNs = Math.max(200, opts.progressInterval().toMillis()) * 1_000_000L;
        long nextProgress = started + intervalNs;
        long sent = 0;
        long bytes = 0;
        AtomicLong acked = new AtomicLong();
        java.util.Queue<ProducerRecord<byte[], byte[]>> failed =
                new java.util.concurrent.ConcurrentLinkedQueue<>();
        AtomicReference<Exception> firstFailure = new AtomicReference<>();
        System.out.printf("Loading %d input file(s) into %s...%n", opts.inputs().size(), topic);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < opts.inputs().size(); i++) {
                Path file = opts.inputs().get(i).toAbsolutePath();
                int partition = i % partitions;
                StreamFormat.Reader<RawRecord> reader =
                        new JsonRecordsFormat(file.toString())
                                .createReader(
                                        new Configuration(),
                                        new LocalDataInputStream(new File(file.toString())));
                try {
                    for (RawRecord r = reader.read(); r != null; r = reader.read()) {
                        ProducerRecord<byte[], byte[]> record =
                                new ProducerRecord<>(topic, partition, null, r.value);
                        producer.send(
                                record,
                                (meta, e) -> {
                                    if (e == null) {
                                        acked.incrementAndGet();
                                    } else {
                                        failed.add(record);
                                        firstFailure.compareAndSet(null, e);
                                    }
                                });
                        sent++;
                        bytes += r.value.length;
                        if (System.nanoTime() >= nextProgress) {
                            nextProgress += intervalNs;
                            System.out.printf(
                                    "[%6.1fs] loading: %d records sent (%.1f MB), %d stored%n",
                                    seconds(started), sent, bytes / 1e6, acked.get());
                        }
                    }
                } finally {
                    reader.close();
                }
            }
            producer.flush();
            if (!failed.isEmpty()) {
                // A batch can expire while a loaded machine starts the broker: send those again,
                // one by one and waiting for each (a partition's order is lost only for them).
                System.out.printf(
                        "  %d record(s) were not stored (%s); sending them again%n",
                        failed.size(), firstFailure.get());
                for (ProducerRecord<byte[], byte[]> record : failed) {
                    try {
                        producer.send(record).get();
                        acked.incrementAndGet();
                    } catch (java.util.concurrent.ExecutionException e) {
                        throw new IllegalStateException(
                                "could not load a record into the embedded broker twice ("
                                        + e.getCause()
                                        + "); the run would miss it, so it stops here: run"
                                        + " again, or give the JVM more room (NAAP_JAVA_OPTS)",
                                e.getCause());
                    }
                }
            }
        }
        System.out.printf(
                "  loaded %d records (%.1f MB) into %s in %.1f s%n",
                acked.get(), bytes / 1e6, topic, seconds(started));
        return acked.get();
    }

    /**
     * Publishes every input record, unchanged, to an MQTT broker in this process that behaves like
     * a Streamr node's plugin (plugin without payload metadata: the job sees the records as in a
     * file run), with the bridge subscribed and writing to the raw topic; returns once Kafka holds
     * them all, and shows the bridge's counts.
     */
    static long loadThroughBridge(String bootstrap, String topic, JobOptions opts)
            throws Exception {
        String stream = "0x0000000000000000000000000000000000000000/livepeer/events";
        String apiKey = java.util.UUID.randomUUID().toString();
        long started = System.nanoTime();
        try (MqttTestBroker mqtt = MqttTestBroker.start(apiKey)) {
            Path spool = opts.out().resolve("bridge-spool");
            LocalRun.deleteTree(spool);
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("mqtt.url", mqtt.url());
            settings.put("mqtt.api-key", apiKey);
            settings.put("mqtt.streams", stream);
            settings.put("mqtt.client-id", "naap-run-bridge");
            settings.put("kafka.bootstrap-servers", bootstrap);
            settings.put("kafka.topic", topic);
            settings.put("kafka.max-request-bytes", String.valueOf(MAX_MESSAGE_BYTES));
            settings.put("spool.dir", spool.toString());
            settings.put("http.port", "-1");
            System.out.printf(
                    "Publishing %d input file(s) to %s on an MQTT broker that behaves like a"
                            + " Streamr node's plugin (%s); the bridge writes them to %s...%n",
                    opts.inputs().size(), stream, mqtt.url(), topic);
            try (Bridge bridge = Bridge.start(BridgeConfig.of(settings))) {
                long published = 0;
                long intervalNs = Math.max(200, opts.progressInterval().toMillis()) * 1_000_000L;
                long nextProgress = started + intervalNs;
                for (Path input : opts.inputs()) {
                    String file = input.toAbsolutePath().toString();
                    StreamFormat.Reader<RawRecord> reader =
                            new JsonRecordsFormat(file)
                                    .createReader(
                                            new Configuration(),
                                            new LocalDataInputStream(new File(file)));
                    try {
                        for (RawRecord r = reader.read(); r != null; r = reader.read()) {
                            mqtt.publish(stream, r.value);
                            published++;
                            if (System.nanoTime() >= nextProgress) {
                                nextProgress += intervalNs;
                                Bridge.Counts c = bridge.counts();
                                System.out.printf(
                                        "[%6.1fs] bridge: %d published, %d received, %d in"
                                                + " Kafka%n",
                                        seconds(started), published, c.received(), c.writtenRaw());
                            }
                        }
                    } finally {
                        reader.close();
                    }
                }
                long deadline = System.currentTimeMillis() + 600_000;
                while (bridge.counts().writtenRaw() + bridge.counts().deadLetters() < published) {
                    if (System.currentTimeMillis() > deadline) {
                        throw new IllegalStateException(
                                "the bridge wrote "
                                        + bridge.counts().writtenRaw()
                                        + " of "
                                        + published
                                        + " messages in 10 minutes: see the log");
                    }
                    Thread.sleep(20);
                }
                Bridge.Counts c = bridge.counts();
                System.out.printf(
                        "  bridge: %d published, %d received, %d written to %s, %d dropped, %d"
                                + " dead letters, in %.1f s%n",
                        published,
                        c.received(),
                        c.writtenRaw(),
                        topic,
                        c.dropped(),
                        c.deadLetters(),
                        seconds(started));
                return c.writtenRaw();
            }
        }
    }

    /**
     * Every committed record of a topic: read with {@code isolation.level=read_committed} from the
     * beginning to the end offsets (the last stable offsets, which for a read-committed consumer
     * end before any open transaction).
     */
    static List<Message> readCommitted(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("isolation.level", "read_committed");
        p.put("enable.auto.commit", "false");
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        p.put("max.partition.fetch.bytes", String.valueOf(MAX_MESSAGE_BYTES));
        List<Message> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic)) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.currentTimeMillis() + 60_000;
            while (!reached(consumer, end)) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException(
                            "could not read " + topic + " to its end offsets " + end);
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    out.add(
                            new Message(
                                    r.partition(),
                                    r.key() == null
                                            ? null
                                            : new String(r.key(), StandardCharsets.UTF_8),
                                    r.value() == null
                                            ? null
                                            : new String(r.value(), StandardCharsets.UTF_8)));
                }
            }
        }
        return out;
    }

    private static boolean reached(
            KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static long fileLines(Path liveDir, List<String> files) throws IOException {
        long n = 0;
        for (String f : files) {
            Path file = liveDir.resolve(f);
            if (Files.exists(file)) {
                try (Stream<String> lines = Files.lines(file)) {
                    n += lines.filter(l -> !l.isBlank()).count();
                }
            }
        }
        return n;
    }

    /** The live topics as a read-committed consumer finds them, beside the file outputs. */
    static String render(Map<String, TopicContents> topics, String bootstrap) {
        StringBuilder sb = new StringBuilder();
        sb.append(
                String.format(
                        "%nlive topics on the embedded broker %s (committed records, read with"
                                + " isolation.level=read_committed):%n",
                        bootstrap));
        for (TopicContents c : topics.values()) {
            String files = String.join(" + ", c.topic().files());
            sb.append(
                    String.format(
                            "  %-22s %7d records, %d keys; %s%n",
                            c.topic().topic(),
                            c.records().size(),
                            c.keys(),
                            c.records().size() == c.fileLines()
                                    ? "the same count as live/" + files
                                    : "BUT live/" + files + " holds " + c.fileLines()));
            for (String field : c.topic().countBy()) {
                Map<String, Long> counts = c.countBy(field);
                if (!counts.isEmpty()) {
                    List<String> parts = new ArrayList<>();
                    counts.forEach((k, v) -> parts.add(k + " " + v));
                    sb.append(String.format("      by %s: %s%n", field, String.join(", ", parts)));
                }
            }
            for (Message m : examples(c.records(), c.topic().countBy().get(0), 2)) {
                sb.append(
                        String.format(
                                "      e.g. key %s: %s%n",
                                abbreviate(m.key(), 60), abbreviate(m.value(), 110)));
            }
        }
        return sb.toString();
    }

    /** Up to {@code n} records with different values of {@code field}, in topic order. */
    private static List<Message> examples(List<Message> records, String field, int n) {
        Map<String, Message> firstByValue = new LinkedHashMap<>();
        for (Message m : records) {
            JsonNode v = json(m.value()).get(field);
            firstByValue.putIfAbsent(v == null ? "" : v.asText(), m);
            if (firstByValue.size() >= n) {
                break;
            }
        }
        return new ArrayList<>(firstByValue.values());
    }

    private static String abbreviate(String s, int max) {
        if (s == null) {
            return "(none)";
        }
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }

    private static JsonNode json(String value) {
        try {
            return value == null ? MAPPER.createObjectNode() : MAPPER.readTree(value);
        } catch (IOException e) {
            return MAPPER.createObjectNode();
        }
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }
}
