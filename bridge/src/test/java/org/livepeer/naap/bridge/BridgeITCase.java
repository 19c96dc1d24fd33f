package org.livepeer.naap.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.livepeer.naap.bridge.BridgeTesting.API_KEY;
import static org.livepeer.naap.bridge.BridgeTesting.GATEWAY;
import static org.livepeer.naap.bridge.BridgeTesting.STREAM;
import static org.livepeer.naap.bridge.BridgeTesting.await;
import static org.livepeer.naap.bridge.BridgeTesting.byKey;
import static org.livepeer.naap.bridge.BridgeTesting.event;
import static org.livepeer.naap.bridge.BridgeTesting.get;
import static org.livepeer.naap.bridge.BridgeTesting.header;
import static org.livepeer.naap.bridge.BridgeTesting.utf8;
import static org.livepeer.naap.bridge.BridgeTesting.value;
import static org.livepeer.naap.bridge.BridgeTesting.wrapped;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.livepeer.naap.testkit.KafkaTestBroker;
import org.livepeer.naap.testkit.MqttTestBroker;

/**
 * The bridge between a real MQTT broker that behaves like the Streamr node's plugin and a real
 * KRaft Kafka broker: what is published arrives in Kafka byte for byte, with its key and headers,
 * in order per key; refusals are clear; access control quarantines; reconnection counts the gap.
 */
@Timeout(value = 4, unit = java.util.concurrent.TimeUnit.MINUTES)
class BridgeITCase {
    private static final AtomicInteger TOPICS = new AtomicInteger();
    private static KafkaTestBroker kafka;

    @TempDir Path dir;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = KafkaTestBroker.start();
    }

    @AfterAll
    static void stopKafka() throws Exception {
        kafka.close();
    }

    /** Raw and quarantine topics for one test; records up to 16 MiB allowed unless limited. */
    private String[] topics(String maxMessageBytes) throws Exception {
        int n = TOPICS.incrementAndGet();
        String raw = "raw-" + n;
        String quarantine = "quarantine-" + n;
        kafka.createTopic(raw, 3, Map.of("max.message.bytes", maxMessageBytes));
        kafka.createTopic(quarantine, 1, Map.of("max.message.bytes", maxMessageBytes));
        return new String[] {raw, quarantine};
    }

    /** The bridge's settings for this test's brokers and topics, its spool in the temp dir. */
    private Map<String, String> settings(MqttTestBroker mqtt, String[] t) {
        return BridgeTesting.settings(
                mqtt.url(), kafka.bootstrapServers(), t[0], t[1], dir.resolve("spool"));
    }

    private Bridge start(MqttTestBroker mqtt, String[] t) throws Exception {
        return Bridge.start(BridgeConfig.of(settings(mqtt, t)));
    }

    @Test
    void everyMessageArrivesUnchangedWithItsKeyAndHeaders() throws Exception {
        String[] t = topics("16777216");
        try (MqttTestBroker mqtt = MqttTestBroker.start(API_KEY);
                Bridge bridge = start(mqtt, t)) {
            List<String> published = new ArrayList<>();
            Map<String, List<String>> perSession = new HashMap<>();
            // Partition 0 with the plugin's metadata: three sessions interleaved, one chain.
            for (int i = 0; i < 60; i++) {
                String session = "s-" + (i % 3);
                String m =
                        wrapped(
                                event("e-" + i, session, "gateway_send_first_ingest_segment"),
                                GATEWAY,
                                "chain-1",
                                1_764_244_800_000L + i,
                                0);
                mqtt.publish(STREAM, utf8(m));
                published.add(m);
                perSession.computeIfAbsent("stream:" + session, k -> new ArrayList<>()).add(m);
            }
            // Partition 1 without metadata: a session, an array, a payload that is not JSON and
            // one of 3 MiB.
            String p1 = STREAM + "?partition=1";
            for (int i = 0; i < 20; i++) {
                String m = event("f-" + i, "s-9", "gateway_receive_few_processed_segments");
                mqtt.publish(p1, utf8(m));
                published.add(m);
                perSession.computeIfAbsent("stream:s-9", k -> new ArrayList<>()).add(m);
            }
            String array = "[" + event("g-1", "s-8", "a") + "," + event("g-2", "s-8", "b") + "]";
            mqtt.publish(p1, utf8(array));
            published.add(array);
            byte[] notJson = {'n', 'o', 't', ' ', (byte) 0xff, (byte) 0xfe, '{'};
            mqtt.publish(p1, notJson);
            char[] filler = new char[3 << 20];
            Arrays.fill(filler, 'x');
            String big = event("h-1", "s-7", new String(filler));
            mqtt.publish(p1, utf8(big));
            published.add(big);

            await("83 messages in Kafka", 60_000, () -> bridge.counts().writtenRaw() == 83);
            List<ConsumerRecord<byte[], byte[]>> records = kafka.readToEnd(t[0]);
            assertThat(records).hasSize(83);
            List<String> values = new ArrayList<>();
            List<byte[]> bytes = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> r : records) {
                values.add(value(r));
                bytes.add(r.value());
            }
            List<String> expected = new ArrayList<>(published);
            expected.add(new String(notJson, java.nio.charset.StandardCharsets.UTF_8));
            assertThat(values).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(bytes).anySatisfy(b -> assertThat(b).isEqualTo(notJson));

            Map<String, List<String>> keyed = byKey(records);
            perSession.forEach((key, msgs) -> assertThat(keyed.get(key)).isEqualTo(msgs));
            assertThat(keyed.get("stream:s-8")).containsExactly(array);
            assertThat(keyed.get(null)).hasSize(1); // not JSON: no key, Kafka spreads it

            for (ConsumerRecord<byte[], byte[]> r : records) {
                assertThat(header(r, KafkaRecords.STREAM_ID)).isEqualTo(STREAM);
                assertThat(header(r, KafkaRecords.RECEIVED_AT)).isNotNull();
                if (value(r).startsWith("{\"content\"")) {
                    assertThat(header(r, KafkaRecords.PARTITION)).isEqualTo("0");
                    assertThat(header(r, KafkaRecords.PUBLISHER_ID)).isEqualTo(GATEWAY);
                    assertThat(header(r, KafkaRecords.MSG_CHAIN_ID)).isEqualTo("chain-1");
                    assertThat(header(r, KafkaRecords.SEQUENCE_NUMBER)).isEqualTo("0");
                } else {
                    assertThat(header(r, KafkaRecords.PARTITION)).isEqualTo("1");
                    assertThat(header(r, KafkaRecords.PUBLISHER_ID)).isNull();
                }
            }
            Bridge.Counts c = bridge.counts();
            assertThat(c.received()).isEqualTo(83);
            assertThat(c.dropped()).isZero();
            assertThat(c.writtenQuarantine()).isZero();
            assertThat(c.gaps()).isZero();
            await("the spool emptied", 10_000, () -> bridge.counts().spoolDepth() == 0);

            HttpResponse<String> metrics = get(bridge, "/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body())
                    .contains("naap_bridge_messages_received_total 83\n")
                    .contains("naap_bridge_messages_written_total{topic=\"" + t[0] + "\"} 83\n")
                    .contains("naap_bridge_spool_depth_messages 0\n")
                    .contains("naap_bridge_mqtt_connected 1\n");
            HttpResponse<String> health = get(bridge, "/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"status\":\"UP\"");
        }
    }

    @Test
    void aCleanShutdownWritesEverythingReceived() throws Exception {
        String[] t = topics("1048588");
        try (MqttTestBroker mqtt = MqttTestBroker.start(API_KEY)) {
            Bridge bridge = start(mqtt, t);
            for (int i = 0; i < 500; i++) {
                mqtt.publish(STREAM, utf8(event("e-" + i, "s-" + (i % 7), "x")));
            }
            await("500 received", 30_000, () -> bridge.counts().received() == 500);
            bridge.close();
            assertThat(bridge.counts().writtenRaw()).isEqualTo(500);
            assertThat(bridge.counts().spoolDepth()).isZero();
        }
        assertThat(kafka.readToEnd(t[0])).hasSize(500);
    }

    @Test
    void aWrongApiKeyIsRefusedAtStartWithWhatToDo() throws Exception {
        String[] t = topics("1048588");
        try (MqttTestBroker mqtt = MqttTestBroker.start(API_KEY)) {
            Map<String, String> s = settings(mqtt, t);
            s.put("mqtt.api-key", "not-the-key");
            assertThatThrownBy(() -> Bridge.start(BridgeConfig.of(s)))
                    .isInstanceOf(BridgeException.class)
                    .hasMessageContaining("refused the API key")
                    .hasMessageContaining("NAAP_BRIDGE_MQTT_API_KEY");
        }
    }

    @Test
    void aBridgeStartedBeforeTheNodeWaitsForIt() throws Exception {
        String[] t = topics("1048588");
        try (MqttTestBroker mqtt = MqttTestBroker.start(API_KEY)) {
            mqtt.stop();
            BridgeConfig c = BridgeConfig.of(settings(mqtt, t));
            java.util.concurrent.CompletableFuture<Bridge> starting =
                    java.util.concurrent.CompletableFuture.supplyAsync(
                            () -> {
                                try {
                                    return Bridge.start(c);
                                } catch (Exception e) {
                                    throw new IllegalStateException(e);
                                }
                            });
            Thread.sleep(1_500); // a few refused attempts
            assertThat(starting).isNotDone();
            mqtt.restart();
            try (Bridge bridge = starting.get(30, java.util.concurrent.TimeUnit.SECONDS)) {
                String m = event("late-1", "s-1", "x");
                mqtt.publish(STREAM, utf8(m));
                await("1 written", 30_000, () -> bridge.counts().writtenRaw() == 1);
                assertThat(kafka.readToEnd(t[0]))
                        .extracting(BridgeTesting::value)
                        .containsExactly(m);
                assertThat(get(bridge, "/metrics").body())
                        .contains("naap_bridge_mqtt_disconnections_total 0\n");
            }
        }
    }

    @Test
    void aRestartOfTheNodeIsSurvivedAndTheGapCounted() throws Exception {
        String[] t = topics("1048588");
        try (MqttTestBroker mqtt = MqttTestBroker.start(API_KEY);
                Bridge bridge = start(mqtt, t)) {
            List<String> expected = new ArrayList<>();
            // Chain A publishes a burst within one millisecond (numbers 0..19); chain B one
            // message per second.
            for (int i = 0; i < 10; i++) {
                expected.add(publish(mqtt, "0xa", "A", 5_000L, i));
                expected.add(publish(mqtt, "0xb", "B", 1_000L * (i + 1), 0));
            }
            await("20 written", 30_000, () -> bridge.counts().writtenRaw() == 20);

            mqtt.stop();
            await("the disconnection seen", 10_000, () -> !bridge.mqttConnected());
            // Meanwhile the network carried A's numbers 10..14 and B's next messages: they never
            // reach the bridge (the plugin does not replay).
            mqtt.restart();
            await("reconnected", 30_000, bridge::mqttConnected);
            for (int i = 15; i < 20; i++) {
                expected.add(publish(mqtt, "0xa", "A", 5_000L, i));
                expected.add(publish(mqtt, "0xb", "B", 1_000L * (i + 1), 0));
            }
            await("30 written", 30_000, () -> bridge.counts().writtenRaw() == 30);
            assertThat(kafka.readToEnd(t[0]))
                    .extracting(BridgeTesting::value)
                    .containsExactlyInAnyOrderElementsOf(expected);
            Bridge.Counts c = bridge.counts();
            assertThat(c.gaps()).isEqualTo(1); // A: 10..14 missing within one timestamp
            assertThat(c.resumedChains()).isEqualTo(2); // both chains went on after the loss
            assertThat(get(bridge, "/metrics").body())
                    .contains("naap_bridge_mqtt_disconnections_total 1\n")
                    .contains("naap_bridge_chain_missed_messages_total 5\n")
                    .contains("naap_bridge_chains_resumed_total 2\n");
        }
    }

    private static String publish(MqttTestBroker mqtt, String pub, String chain, long ts, long seq)
            throws Exception {
        String m =
                wrapped(
                        event("e-" + chain + ts + "-" + seq, "s-" + chain, "x"),
                        pub,
                        chain,
                        ts,
                        seq);
        mqtt.publish(STREAM, utf8(m));
        return m;
    }

    @Test
    void refusedPublishersAndClaimsAreQuarantinedAndTheListReloads() throws Exception {
        String[] t = topics("1048588");
        String orchestrator = "0x3333333333333333333333333333333333333333";
        String delegate = "0x4444444444444444444444444444444444444444";
        String stranger = "0x5555555555555555555555555555555555555555";
        String other = "0x6666666666666666666666666666666666666666";
        Path access = dir.resolve("access.json");
        Files.writeString(
                access,
                "{\"publishers\":[\""
                        + GATEWAY
                        + "\"],\"delegations\":[{\"delegate\":\""
                        + delegate
                        + "\",\"orchestrator\":\""
                        + orchestrator
                        + "\"}]}");
        Map<String, String> s;
        try (MqttTestBroker mqtt = MqttTestBroker.start(API_KEY)) {
            s = settings(mqtt, t);
            s.put("access.file", access.toString());
            try (Bridge bridge = Bridge.start(BridgeConfig.of(s))) {
                String gatewayEvent = wrapped(event("a", "s-1", "x"), GATEWAY, "c", 1, 0);
                String fromStranger = wrapped(event("b", "s-2", "x"), stranger, "c", 1, 0);
                String delegated = wrapped(jobProcessed("c", orchestrator), delegate, "c", 1, 0);
                String notDelegated = wrapped(jobProcessed("d", other), delegate, "c", 2, 0);
                String noMetadata = event("e", "s-3", "x");
                String orchestratorItself =
                        wrapped(jobProcessed("f", orchestrator), orchestrator, "c", 1, 0);
                for (String m :
                        List.of(
                                gatewayEvent,
                                fromStranger,
                                delegated,
                                notDelegated,
                                noMetadata,
                                orchestratorItself)) {
                    mqtt.publish(STREAM, utf8(m));
                }
                await(
                        "6 written",
                        30_000,
                        () ->
                                bridge.counts().writtenRaw() + bridge.counts().writtenQuarantine()
                                        == 6);
                assertThat(kafka.readToEnd(t[0]))
                        .extracting(BridgeTesting::value)
                        .containsExactlyInAnyOrder(gatewayEvent, delegated);
                Map<String, String> reasons = new HashMap<>();
                for (ConsumerRecord<byte[], byte[]> r : kafka.readToEnd(t[1])) {
                    reasons.put(value(r), header(r, Bridge.QUARANTINE_REASON));
                }
                assertThat(reasons)
                        .containsOnly(
                                Map.entry(fromStranger, "publisher_not_allowed"),
                                Map.entry(notDelegated, "orchestrator_not_delegated"),
                                Map.entry(noMetadata, "no_publisher_id"),
                                Map.entry(orchestratorItself, "publisher_not_allowed"));
                assertThat(bridge.quarantined("publisher_not_allowed")).isEqualTo(2);

                // The stranger is allowed now: the file is read again without a restart.
                Files.writeString(
                        access, "{\"publishers\":[\"" + GATEWAY + "\",\"" + stranger + "\"]}");
                await(
                        "the list reloaded",
                        10_000,
                        () -> {
                            try {
                                return get(bridge, "/metrics")
                                        .body()
                                        .contains("naap_bridge_access_reloads_total 1\n");
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        });
                String again = wrapped(event("g", "s-2", "x"), stranger, "c", 2, 0);
                mqtt.publish(STREAM, utf8(again));
                await(
                        "the stranger's message in raw",
                        30_000,
                        () -> bridge.counts().writtenRaw() == 3);
                assertThat(kafka.readToEnd(t[0])).extracting(BridgeTesting::value).contains(again);
            }
        }
    }

    private static String jobProcessed(String id, String ethAddress) {
        return "{\"id\":\""
                + id
                + "\",\"type\":\"job-processed\",\"timestamp\":\"2026-11-27T12:00:00Z\","
                + "\"payload\":{\"ethAddress\":\""
                + ethAddress
                + "\",\"computeUnits\":921600,\"duration\":2000}}";
    }

    @Test
    void aMessageKafkaRefusesIsKeptAsADeadLetterAndTheRestGoesOn() throws Exception {
        String[] t = topics("1048588"); // Kafka's default limit, about 1 MiB
        try (MqttTestBroker mqtt = MqttTestBroker.start(API_KEY);
                Bridge bridge = start(mqtt, t)) {
            byte[] big = new byte[2 << 20];
            Arrays.fill(big, (byte) 'y');
            mqtt.publish(STREAM, utf8(event("small-1", "s-1", "x")));
            mqtt.publish(STREAM, big);
            mqtt.publish(STREAM, utf8(event("small-2", "s-1", "x")));
            await(
                    "2 written and 1 refused",
                    30_000,
                    () -> bridge.counts().writtenRaw() == 2 && bridge.counts().deadLetters() == 1);
            Path letters = dir.resolve("spool").resolve("dead-letter");
            try (var files = Files.list(letters)) {
                List<Path> values = files.filter(p -> p.toString().endsWith(".value")).toList();
                assertThat(values).hasSize(1);
                assertThat(Files.readAllBytes(values.get(0))).isEqualTo(big);
                String note =
                        Files.readString(
                                Path.of(values.get(0).toString().replace(".value", ".txt")));
                assertThat(note).contains("RecordTooLargeException").contains("topic=" + t[0]);
            }
            assertThat(kafka.readToEnd(t[0])).hasSize(2);
            await("the spool emptied", 10_000, () -> bridge.counts().spoolDepth() == 0);
        }
    }
}
