package org.livepeer.naap.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.livepeer.naap.bridge.BridgeTesting.API_KEY;
import static org.livepeer.naap.bridge.BridgeTesting.STREAM;
import static org.livepeer.naap.bridge.BridgeTesting.await;
import static org.livepeer.naap.bridge.BridgeTesting.byKey;
import static org.livepeer.naap.bridge.BridgeTesting.event;
import static org.livepeer.naap.bridge.BridgeTesting.get;
import static org.livepeer.naap.bridge.BridgeTesting.utf8;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.livepeer.naap.testkit.KafkaTestBroker;
import org.livepeer.naap.testkit.MqttTestBroker;

/**
 * Kafka goes away under the bridge: messages wait in the disk spool and arrive, all of them and in
 * order per key, when Kafka is back; a full spool drops loudly and counts; what a shutdown could
 * not deliver is sent by the next start. A broker per test, since each stops it.
 */
@Timeout(value = 4, unit = java.util.concurrent.TimeUnit.MINUTES)
class BridgeKafkaOutageITCase {
    private static final String RAW = "naap.events.raw";
    private static final String QUARANTINE = "naap.events.quarantine";

    @TempDir Path dir;
    private KafkaTestBroker kafka;
    private MqttTestBroker mqtt;

    @BeforeEach
    void start() throws Exception {
        kafka = KafkaTestBroker.start();
        kafka.createTopic(RAW, 3);
        kafka.createTopic(QUARANTINE, 1);
        mqtt = MqttTestBroker.start(API_KEY);
    }

    @AfterEach
    void stop() throws Exception {
        mqtt.close();
        kafka.close();
    }

    private Map<String, String> settings() {
        return BridgeTesting.settings(
                mqtt.url(), kafka.bootstrapServers(), RAW, QUARANTINE, dir.resolve("spool"));
    }

    /** Publishes n events over 5 sessions; returns them per expected key, in publish order. */
    private Map<String, List<String>> publish(int from, int n, Map<String, List<String>> into)
            throws Exception {
        for (int i = from; i < from + n; i++) {
            String session = "s-" + (i % 5);
            String m = event("e-" + i, session, "gateway_receive_few_processed_segments");
            mqtt.publish(STREAM, utf8(m));
            into.computeIfAbsent("stream:" + session, k -> new ArrayList<>()).add(m);
        }
        return into;
    }

    @Test
    void whileKafkaIsDownMessagesWaitAndArriveInOrderWhenItIsBack() throws Exception {
        try (Bridge bridge = Bridge.start(BridgeConfig.of(settings()))) {
            Map<String, List<String>> expected = publish(0, 100, new LinkedHashMap<>());
            await("100 written", 30_000, () -> bridge.counts().writtenRaw() == 100);

            kafka.stopBroker();
            publish(100, 200, expected);
            await("300 received", 30_000, () -> bridge.counts().received() == 300);
            assertThat(bridge.counts().spoolDepth()).isEqualTo(200);
            await(
                    "Kafka seen unreachable",
                    30_000,
                    () -> metrics(bridge).contains("naap_bridge_kafka_reachable 0\n"));
            HttpResponse<String> health = get(bridge, "/health");
            assertThat(health.statusCode()).isEqualTo(200); // degraded, not down: the spool holds
            assertThat(health.body()).contains("\"status\":\"DEGRADED\"");
            Thread.sleep(2_000); // a while longer down

            kafka.startBroker();
            await("the spool drained", 120_000, () -> bridge.counts().spoolDepth() == 0);
            List<ConsumerRecord<byte[], byte[]>> records = kafka.readToEnd(RAW);
            Map<String, List<String>> keyed = byKey(records);
            assertThat(keyed.keySet()).isEqualTo(expected.keySet());
            // Nothing lost, and per key the first copy of each message in publish order (a
            // producer replaced after a failure may write a message again).
            expected.forEach(
                    (key, msgs) ->
                            assertThat(new ArrayList<>(new LinkedHashSet<>(keyed.get(key))))
                                    .isEqualTo(msgs));
            assertThat(bridge.counts().dropped()).isZero();
            assertThat(metrics(bridge)).contains("naap_bridge_kafka_reachable 1\n");
        }
    }

    @Test
    void aFullSpoolDropsLoudlyAndCountsWhatItDropped() throws Exception {
        Map<String, String> s = settings();
        s.put("spool.max-bytes", "65536");
        s.put("spool.segment-bytes", "16384");
        try (Bridge bridge = Bridge.start(BridgeConfig.of(s))) {
            kafka.stopBroker();
            Map<String, List<String>> published = publish(0, 300, new LinkedHashMap<>());
            await("300 received", 30_000, () -> bridge.counts().received() == 300);
            Bridge.Counts down = bridge.counts();
            // About 400 bytes each: the 64 KiB spool takes some 160, the rest is dropped.
            assertThat(down.dropped()).isBetween(100L, 200L);
            assertThat(down.dropped() + down.spoolDepth()).isEqualTo(300);
            HttpResponse<String> health = get(bridge, "/health");
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.body()).contains("\"dropping\":true");
            assertThat(metrics(bridge))
                    .contains(
                            "naap_bridge_messages_dropped_total{reason=\"spool_full\"} "
                                    + down.dropped()
                                    + "\n");

            kafka.startBroker();
            await("the spool drained", 120_000, () -> bridge.counts().spoolDepth() == 0);
            // Nothing freed room while Kafka was down, so what was spooled is exactly the first
            // messages, up to the first drop.
            List<String> first = new ArrayList<>();
            for (int i = 0; i < down.spoolDepth(); i++) {
                first.add(
                        event("e-" + i, "s-" + (i % 5), "gateway_receive_few_processed_segments"));
            }
            assertThat(kafka.readToEnd(RAW).stream().map(BridgeTesting::value).distinct())
                    .containsExactlyInAnyOrderElementsOf(first);
            assertThat(published.values().stream().mapToInt(List::size).sum()).isEqualTo(300);
        }
    }

    @Test
    void whatAShutdownCouldNotDeliverIsSentByTheNextStart() throws Exception {
        Map<String, String> s = settings();
        s.put("shutdown.timeout-seconds", "1");
        Map<String, List<String>> expected = new LinkedHashMap<>();
        try (Bridge bridge = Bridge.start(BridgeConfig.of(s))) {
            kafka.stopBroker();
            publish(0, 50, expected);
            await("50 received", 30_000, () -> bridge.counts().received() == 50);
        }
        kafka.startBroker();
        try (Bridge next = Bridge.start(BridgeConfig.of(s))) {
            await(
                    "the spool sent",
                    120_000,
                    () -> next.counts().writtenRaw() >= 50 && next.counts().spoolDepth() == 0);
            assertThat(next.counts().received()).isZero();
        }
        Map<String, List<String>> keyed = byKey(kafka.readToEnd(RAW));
        expected.forEach(
                (key, msgs) ->
                        assertThat(new ArrayList<>(new LinkedHashSet<>(keyed.get(key))))
                                .isEqualTo(msgs));
    }

    private static String metrics(Bridge bridge) {
        try {
            return get(bridge, "/metrics").body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
