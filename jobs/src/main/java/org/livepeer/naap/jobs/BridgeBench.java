package org.livepeer.naap.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.livepeer.naap.bridge.Bridge;
import org.livepeer.naap.bridge.BridgeConfig;
import org.livepeer.naap.bridge.KafkaRecords;
import org.livepeer.naap.bridge.StreamrMessage;
import org.livepeer.naap.testkit.KafkaTestBroker;
import org.livepeer.naap.testkit.MqttTestBroker;
import org.livepeer.naap.workload.TruthSink;
import org.livepeer.naap.workload.WorkloadConfig;
import org.livepeer.naap.workload.WorkloadGenerator;

/**
 * {@code ./naap bench --bridge}: messages per second through the bridge on this machine, side by
 * side in one run with its two floors on the same brokers (an MQTT broker in the JVM that behaves
 * like the Streamr plugin, a KRaft Kafka broker): (a) MQTT alone, the same publisher to a plain
 * subscriber that only counts; (b) Kafka alone, the same records sent by a producer with the
 * bridge's settings until all are acknowledged; (c) the bridge, publisher to Kafka acknowledgement
 * through the disk spool. The messages are generated network events in the plugin's metadata
 * wrapper.
 */
final class BridgeBench {
    private static final String KEY = "bench-api-key";
    private static final String STREAM =
            "0xbe4c000000000000000000000000000000000001/livepeer/events";

    private BridgeBench() {}

    static void run(int messages, Path out, Path resultsFile) throws Exception {
        System.out.printf(
                "[1/4] generating %d plugin messages from a simulated network...%n", messages);
        List<byte[]> payloads = payloads(messages);
        long bytes = payloads.stream().mapToLong(p -> p.length).sum();
        System.out.printf(
                "      %d messages, %.1f MB, %d bytes on average%n",
                payloads.size(), bytes / 1e6, bytes / payloads.size());
        Map<String, Double> rates = new LinkedHashMap<>();
        try (KafkaTestBroker kafka = KafkaTestBroker.start();
                MqttTestBroker mqtt = MqttTestBroker.start(KEY)) {
            // Topics that take the bridge's largest records (kafka.max-request-bytes).
            Map<String, String> large = Map.of("max.message.bytes", "16777216");
            kafka.createTopic("bench.floor", 3, large);
            kafka.createTopic("naap.events.raw", 3, large);
            kafka.createTopic("naap.events.quarantine", 1, large);
            System.out.println("[2/4] MQTT alone: publisher to a subscriber that counts...");
            rates.put("mqtt_floor", mqttFloor(mqtt, payloads));
            System.out.println("[3/4] Kafka alone: the same records, idempotent, acks=all...");
            BridgeConfig config = config(mqtt, kafka, out);
            rates.put("kafka_floor", kafkaFloor(config, payloads));
            System.out.println("[4/4] the bridge: publisher to Kafka acknowledgement...");
            rates.put("bridge", bridge(mqtt, config, payloads));
        }
        double floor = Math.min(rates.get("mqtt_floor"), rates.get("kafka_floor"));
        double ratio = rates.get("bridge") / floor;
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode results = mapper.createObjectNode();
        results.put("date", Instant.now().toString());
        results.put("cores", Runtime.getRuntime().availableProcessors());
        results.put("messages", payloads.size());
        results.put("average_message_bytes", bytes / payloads.size());
        rates.forEach((k, v) -> results.put(k + "_messages_per_s", Math.round(v)));
        results.put("bridge_to_floor_ratio", Math.round(ratio * 1000) / 1000.0);
        Files.writeString(resultsFile, mapper.writeValueAsString(results) + "\n");

        System.out.printf(
                "%nbridge benchmark on this machine (%d cores), %d messages of %d bytes on"
                        + " average:%n",
                Runtime.getRuntime().availableProcessors(),
                payloads.size(),
                bytes / payloads.size());
        System.out.printf("  MQTT alone (floor)    %8.0f messages/s%n", rates.get("mqtt_floor"));
        System.out.printf("  Kafka alone (floor)   %8.0f messages/s%n", rates.get("kafka_floor"));
        System.out.printf(
                "  bridge (MQTT > spool > Kafka) %8.0f messages/s  (%.0f%% of the lower floor)%n",
                rates.get("bridge"), 100 * ratio);
        System.out.println("figures written to " + resultsFile);
    }

    /** Records of a generated network, each in the plugin's metadata wrapper, one chain. */
    private static List<byte[]> payloads(int messages) {
        List<byte[]> out = new ArrayList<>(messages);
        WorkloadConfig base = WorkloadConfig.defaults();
        int[] seq = {0};
        new WorkloadGenerator(base)
                .generate(
                        (line, at) -> {
                            if (out.size() < messages) {
                                String wrapped =
                                        "{\"content\":"
                                                + line
                                                + ",\"metadata\":{\"timestamp\":"
                                                + (1_764_244_800_000L + seq[0])
                                                + ",\"sequenceNumber\":0,\"publisherId\":"
                                                + "\"0x1111111111111111111111111111111111111111\","
                                                + "\"msgChainId\":\"bench\"}}";
                                seq[0]++;
                                out.add(wrapped.getBytes(StandardCharsets.UTF_8));
                            }
                        },
                        new TruthSink() {});
        if (out.isEmpty()) {
            throw new IllegalStateException("the generator produced no records");
        }
        while (out.size() < messages) {
            out.add(out.get(out.size() % Math.max(1, out.size())));
        }
        return out;
    }

    private static MqttAsyncClient client(MqttTestBroker mqtt, String id, MqttCallback callback)
            throws MqttException {
        MqttAsyncClient c = new MqttAsyncClient(mqtt.url(), id, new MemoryPersistence());
        if (callback != null) {
            c.setCallback(callback);
        }
        MqttConnectOptions o = new MqttConnectOptions();
        o.setUserName(id);
        o.setPassword(KEY.toCharArray());
        o.setCleanSession(true);
        o.setMaxInflight(1000);
        c.connect(o).waitForCompletion(10_000);
        return c;
    }

    /** Publishes every payload at QoS 1, as fast as the broker acknowledges. */
    private static void publishAll(MqttAsyncClient publisher, List<byte[]> payloads)
            throws Exception {
        for (byte[] p : payloads) {
            while (true) {
                try {
                    publisher.publish(STREAM, p, 1, false);
                    break;
                } catch (MqttException e) {
                    if (e.getReasonCode() != MqttException.REASON_CODE_MAX_INFLIGHT) {
                        throw e;
                    }
                    Thread.sleep(0, 200_000);
                }
            }
        }
    }

    private static double mqttFloor(MqttTestBroker mqtt, List<byte[]> payloads) throws Exception {
        CountDownLatch all = new CountDownLatch(payloads.size());
        MqttAsyncClient subscriber =
                client(
                        mqtt,
                        "bench-floor-sub",
                        new MqttCallback() {
                            @Override
                            public void connectionLost(Throwable cause) {}

                            @Override
                            public void messageArrived(String topic, MqttMessage message) {
                                all.countDown();
                            }

                            @Override
                            public void deliveryComplete(IMqttDeliveryToken token) {}
                        });
        subscriber.subscribe(STREAM, 1).waitForCompletion(10_000);
        MqttAsyncClient publisher = client(mqtt, "bench-floor-pub", null);
        long start = System.nanoTime();
        publishAll(publisher, payloads);
        if (!all.await(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException("the MQTT floor did not receive every message");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        publisher.disconnect().waitForCompletion(5_000);
        subscriber.disconnect().waitForCompletion(5_000);
        publisher.close();
        subscriber.close();
        return payloads.size() / seconds;
    }

    private static double kafkaFloor(BridgeConfig config, List<byte[]> payloads) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(payloads.size());
        for (byte[] p : payloads) {
            ProducerRecord<byte[], byte[]> r =
                    KafkaRecords.of("bench.floor", StreamrMessage.of(mapper, STREAM, p, 0L));
            records.add(r);
        }
        AtomicInteger failed = new AtomicInteger();
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(KafkaRecords.producerSettings(config))) {
            for (ProducerRecord<byte[], byte[]> r : records) {
                producer.send(
                        r,
                        (md, ex) -> {
                            if (ex != null) {
                                failed.incrementAndGet();
                            }
                        });
            }
            producer.flush();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " records failed in the Kafka floor");
        }
        return payloads.size() / seconds;
    }

    /** The bridge's settings for the bench brokers, with the spool under {@code out}. */
    private static BridgeConfig config(MqttTestBroker mqtt, KafkaTestBroker kafka, Path out)
            throws java.io.IOException {
        Path spool = out.resolve("bridge-spool");
        LocalRun.deleteTree(spool);
        Map<String, String> s = new LinkedHashMap<>();
        s.put("mqtt.url", mqtt.url());
        s.put("mqtt.api-key", KEY);
        s.put("mqtt.streams", STREAM);
        s.put("mqtt.client-id", "bench-bridge");
        s.put("kafka.bootstrap-servers", kafka.bootstrapServers());
        s.put("spool.dir", spool.toString());
        s.put("http.port", "-1");
        return BridgeConfig.of(s);
    }

    private static double bridge(MqttTestBroker mqtt, BridgeConfig config, List<byte[]> payloads)
            throws Exception {
        long target = payloads.size();
        try (Bridge bridge = Bridge.start(config)) {
            MqttAsyncClient publisher = client(mqtt, "bench-bridge-pub", null);
            long start = System.nanoTime();
            publishAll(publisher, payloads);
            long deadline = System.currentTimeMillis() + 600_000;
            while (bridge.counts().writtenRaw() < target) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException(
                            "the bridge wrote "
                                    + bridge.counts().writtenRaw()
                                    + " of "
                                    + target
                                    + " in 10 minutes");
                }
                Thread.sleep(1);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            publisher.disconnect().waitForCompletion(5_000);
            publisher.close();
            Bridge.Counts c = bridge.counts();
            if (c.dropped() > 0 || c.received() != target) {
                throw new IllegalStateException("the bridge lost messages: " + c);
            }
            return target / seconds;
        }
    }
}
