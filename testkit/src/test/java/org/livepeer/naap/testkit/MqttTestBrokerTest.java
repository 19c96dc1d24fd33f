package org.livepeer.naap.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.MqttSecurityException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The broker holds a client to the rules of a Streamr node's MQTT plugin, with real Paho clients.
 * One broker serves the tests that leave it running (a stop costs two seconds); the restart test
 * has its own.
 */
class MqttTestBrokerTest {
    private static final String KEY = "the-api-key";
    private static final String STREAM = "0xabc/livepeer/events";

    private static MqttTestBroker broker;

    @BeforeAll
    static void start() throws Exception {
        broker = MqttTestBroker.start(KEY);
    }

    @AfterAll
    static void close() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void listensOnLoopbackAndWritesNothingToTheWorkingDirectory() {
        assertThat(broker.url()).matches("tcp://127\\.0\\.0\\.1:[1-9][0-9]*");
        // Moquette's default data_path, used only if its persistence were on.
        assertThat(Path.of("data")).doesNotExist();
    }

    @Test
    void admitsTheApiKeyUnderAnyUserName() throws Exception {
        for (String user : new String[] {"bridge", "anything at all"}) {
            MqttClient client = connect(broker, user, KEY);
            assertThat(client.isConnected()).isTrue();
            client.disconnect();
            client.close();
        }
    }

    @Test
    void refusesAWrongKeyAsBadCredentials() {
        assertThatThrownBy(() -> connect(broker, "bridge", "not-the-key"))
                .isInstanceOf(MqttSecurityException.class)
                .extracting(e -> ((MqttException) e).getReasonCode())
                .isEqualTo((int) MqttException.REASON_CODE_FAILED_AUTHENTICATION);
    }

    @Test
    void refusesAClientWithoutPassword() {
        assertThatThrownBy(() -> connect(broker, "bridge", null))
                .isInstanceOf(MqttSecurityException.class)
                .extracting(e -> ((MqttException) e).getReasonCode())
                .isEqualTo((int) MqttException.REASON_CODE_FAILED_AUTHENTICATION);
    }

    @Test
    void aPartitionIsATopicOfItsOwn() throws Exception {
        String partition1 = STREAM + "?partition=1";
        MqttClient streamClient = connect(broker, "bridge", KEY);
        MqttClient partitionClient = connect(broker, "bridge", KEY);
        // Each client's callback sees every message its connection carries, whatever the topic,
        // so a message the broker routed to the wrong subscription would show up here.
        BlockingQueue<byte[]> onStream = subscribe(streamClient, STREAM);
        BlockingQueue<byte[]> onPartition1 = subscribe(partitionClient, partition1);

        broker.publish(STREAM, bytes("a"));
        broker.publish(partition1, bytes("b"));
        broker.publish(STREAM, bytes("c"));

        // A connection delivers in the order the broker routed, so a leaked message would come
        // before or between the ones expected.
        assertThat(onStream.poll(10, TimeUnit.SECONDS)).isEqualTo(bytes("a"));
        assertThat(onStream.poll(10, TimeUnit.SECONDS)).isEqualTo(bytes("c"));
        assertThat(onPartition1.poll(10, TimeUnit.SECONDS)).isEqualTo(bytes("b"));
        for (MqttClient client : new MqttClient[] {streamClient, partitionClient}) {
            client.disconnect();
            client.close();
        }
    }

    @Test
    void refusesWildcardSubscriptions() throws Exception {
        MqttClient client = connect(broker, "bridge", KEY);
        for (String filter : new String[] {"0xabc/livepeer/+", "0xabc/#", "#"}) {
            assertThatThrownBy(() -> client.subscribe(filter, 1))
                    .as(filter)
                    .isInstanceOf(MqttException.class)
                    .extracting(e -> ((MqttException) e).getReasonCode())
                    .isEqualTo((int) MqttException.REASON_CODE_SUBSCRIBE_FAILED);
        }
        // A refused subscription leaves the connection usable.
        BlockingQueue<byte[]> received = subscribe(client, STREAM);
        broker.publish(STREAM, bytes("still here"));
        assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo(bytes("still here"));
        client.disconnect();
        client.close();
    }

    @Test
    void deliversALargePayloadByteForByte() throws Exception {
        byte[] payload = new byte[5 * 1024 * 1024];
        new Random(42).nextBytes(payload);
        MqttClient client = connect(broker, "bridge", KEY);
        BlockingQueue<byte[]> received = subscribe(client, STREAM);

        broker.publish(STREAM, payload);

        assertThat(received.poll(30, TimeUnit.SECONDS)).isEqualTo(payload);
        client.disconnect();
        client.close();
    }

    @Test
    void publishesUpToTheSizeLimitAndRefusesMoreBeforeSending() throws Exception {
        // A QoS 1 PUBLISH carries, besides the payload, the topic (2-byte length first) and a
        // 2-byte packet id.
        byte[] largest = new byte[MqttTestBroker.MAX_MESSAGE_BYTES - 2 - STREAM.length() - 2];
        new Random(7).nextBytes(largest);
        MqttClient client = connect(broker, "bridge", KEY);
        BlockingQueue<byte[]> received = subscribe(client, STREAM);

        broker.publish(STREAM, largest);
        assertThat(received.poll(30, TimeUnit.SECONDS)).isEqualTo(largest);

        assertThatThrownBy(() -> broker.publish(STREAM, new byte[largest.length + 1]))
                .isInstanceOf(IllegalArgumentException.class);
        broker.publish(STREAM, bytes("after the refusal"));
        assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo(bytes("after the refusal"));
        client.disconnect();
        client.close();
    }

    @Test
    void restartKeepsThePortAndDropsConnections() throws Exception {
        try (MqttTestBroker own = MqttTestBroker.start(KEY)) {
            String url = own.url();
            MqttClient client = connect(own, "bridge", KEY);

            own.stop();
            long deadline = System.currentTimeMillis() + 10_000;
            while (client.isConnected() && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertThat(client.isConnected()).as("connected after stop").isFalse();
            assertThatThrownBy(() -> connect(own, "bridge", KEY)).isInstanceOf(MqttException.class);
            assertThatThrownBy(() -> own.publish(STREAM, bytes("while stopped")))
                    .isInstanceOf(IllegalStateException.class);

            own.restart();
            assertThat(own.url()).isEqualTo(url);
            // The subscriptions went with the old broker: a client that comes back subscribes
            // again.
            client.connect(options("bridge", KEY));
            BlockingQueue<byte[]> received = subscribe(client, STREAM);
            own.publish(STREAM, bytes("after restart"));
            assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo(bytes("after restart"));
            client.disconnect();
            client.close();
        }
    }

    private static MqttClient connect(MqttTestBroker to, String user, String password)
            throws MqttException {
        MqttClient client =
                new MqttClient(to.url(), "test-" + System.nanoTime(), new MemoryPersistence());
        try {
            client.connect(options(user, password));
        } catch (MqttException e) {
            client.close();
            throw e;
        }
        return client;
    }

    private static MqttConnectOptions options(String user, String password) {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName(user);
        if (password != null) {
            options.setPassword(password.toCharArray());
        }
        options.setConnectionTimeout(10);
        return options;
    }

    /**
     * Subscribes through the client's callback rather than a per-subscription listener: Paho hands
     * a message to the listeners whose filter matches its topic, which would hide a message the
     * broker delivered on the wrong subscription.
     */
    private static BlockingQueue<byte[]> subscribe(MqttClient client, String topic)
            throws MqttException {
        BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
        client.setCallback(
                new MqttCallback() {
                    @Override
                    public void messageArrived(String t, MqttMessage message) {
                        received.add(message.getPayload());
                    }

                    @Override
                    public void connectionLost(Throwable cause) {}

                    @Override
                    public void deliveryComplete(IMqttDeliveryToken token) {}
                });
        client.subscribe(topic, 1);
        return received;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
