package org.livepeer.naap.testkit;

import io.moquette.broker.Server;
import io.moquette.broker.config.IConfig;
import io.moquette.broker.config.MemoryConfig;
import io.moquette.broker.security.IAuthorizatorPolicy;
import io.moquette.broker.subscriptions.Topic;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Properties;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * An MQTT broker in the JVM (Moquette) that behaves, towards a client, like the MQTT plugin of a
 * Streamr node, so that the bridge is tested against the rules it meets in production rather than
 * against a permissive broker:
 *
 * <ul>
 *   <li>any user name is accepted, the password must be the node's API key; anything else is
 *       refused at connect with CONNACK return code 4 (bad user name or password), which Paho
 *       reports as {@link MqttException#REASON_CODE_FAILED_AUTHENTICATION};
 *   <li>a subscription must name one exact topic: the plugin has no wildcards, so a filter with
 *       {@code +} or {@code #} is granted QoS 128 (failure), which Paho's {@code
 *       MqttClient.subscribe} throws as {@link MqttException#REASON_CODE_SUBSCRIBE_FAILED};
 *   <li>a topic may carry a partition, {@code <stream id>?partition=N}, and is then a topic of its
 *       own: it neither receives nor leaks the messages of the partition-0 topic.
 * </ul>
 *
 * <p>It listens on 127.0.0.1 on a port chosen at the first start and kept by {@link #restart()},
 * because a bridge reconnects to the URL it was configured with. Nothing is written to the working
 * directory: sessions, subscriptions and queues live in memory (Moquette's persistence is off), so
 * a restart loses them as a node restart does, and clients must subscribe again.
 *
 * <p>Stopping takes about two seconds: Moquette waits out Netty's graceful-shutdown quiet period.
 */
public final class MqttTestBroker implements AutoCloseable {
    /**
     * The largest MQTT packet (its remaining length) the broker accepts. Streamr messages of
     * several megabytes must pass, 8 MB at least; Moquette's default of 8 KB would drop the
     * connection of any client that sends more.
     */
    static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

    private final byte[] apiKey;
    private final int port;
    private Server server;
    private MqttClient node;

    private MqttTestBroker(String apiKey, int port) {
        this.apiKey = apiKey.getBytes(StandardCharsets.UTF_8);
        this.port = port;
    }

    /** Starts a broker on a free port of 127.0.0.1 that admits clients whose password is apiKey. */
    public static MqttTestBroker start(String apiKey) throws IOException, MqttException {
        MqttTestBroker broker = new MqttTestBroker(apiKey, freePort());
        try {
            broker.startServer();
        } catch (IOException | MqttException | RuntimeException e) {
            broker.stop();
            throw e;
        }
        return broker;
    }

    /** The URL clients connect to, {@code tcp://127.0.0.1:<port>}; the same across restarts. */
    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    /**
     * Publishes a message as the node delivers it to the subscribers of the topic: the payload
     * unchanged, at QoS 1 (a subscriber gets it at the lower of that and its own QoS). Returns once
     * the broker has acknowledged it; the messages of successive calls reach a subscriber in order.
     */
    public void publish(String topic, byte[] payload) throws MqttException {
        if (node == null) {
            throw new IllegalStateException("the broker is stopped");
        }
        // Past the limit Moquette would drop the publishing connection, and every later publish
        // would fail with "client is not connected" instead of this.
        int packet = 2 + topic.getBytes(StandardCharsets.UTF_8).length + 2 + payload.length;
        if (packet > MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException(
                    "a " + packet + "-byte PUBLISH exceeds the broker's " + MAX_MESSAGE_BYTES);
        }
        // Paho counts a publish in flight until a moment after its acknowledgement has been
        // handed back; a publisher that sends right away can find the count full: wait, retry.
        for (int attempt = 0; ; attempt++) {
            try {
                node.publish(topic, payload, 1, false);
                return;
            } catch (MqttException e) {
                if (e.getReasonCode() != MqttException.REASON_CODE_MAX_INFLIGHT || attempt > 1000) {
                    throw e;
                }
                try {
                    Thread.sleep(1);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /**
     * Shuts the broker down as a crashing node would go away: connected clients lose their
     * connection, and sessions and subscriptions are gone.
     */
    public void stop() {
        if (node != null) {
            try {
                // A plain disconnect: publish waits for its acknowledgement, so nothing is in
                // flight, and Paho's forcible disconnect would wait out its full timeout.
                node.disconnect();
                node.close();
            } catch (MqttException e) {
                // The client only publishes; the server goes away next in any case.
            }
            node = null;
        }
        if (server != null) {
            server.stopServer();
            server = null;
        }
    }

    /** Stops the broker if it runs and starts it again on the same port. */
    public void restart() throws IOException, MqttException {
        stop();
        startServer();
    }

    private void startServer() throws IOException, MqttException {
        Properties p = new Properties();
        p.setProperty(IConfig.HOST_PROPERTY_NAME, "127.0.0.1");
        p.setProperty(IConfig.PORT_PROPERTY_NAME, Integer.toString(port));
        p.setProperty(IConfig.ALLOW_ANONYMOUS_PROPERTY_NAME, "false");
        p.setProperty(IConfig.PERSISTENCE_ENABLED_PROPERTY_NAME, "false");
        p.setProperty(IConfig.NETTY_MAX_BYTES_PROPERTY_NAME, Integer.toString(MAX_MESSAGE_BYTES));
        // Moquette otherwise reports usage to its authors over the network at every start.
        p.setProperty(IConfig.ENABLE_TELEMETRY_NAME, "false");
        Server started = new Server();
        started.startServer(
                new MemoryConfig(p), List.of(), null, this::checkValid, new ExactTopicsOnly());
        server = started;
        node = connectNode();
    }

    /**
     * A port of 127.0.0.1 that is free now, for the broker to bind at every start. Moquette could
     * bind port 0 itself, but it reports the port it got through a listener on Netty's thread that
     * writes a plain HashMap, which {@code Server.getPort()} reads unsynchronized (a poll of it
     * failed with ConcurrentModificationException).
     */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Any user name, the password must be the API key (compared in constant time). */
    private boolean checkValid(String clientId, String username, byte[] password) {
        return password != null && MessageDigest.isEqual(password, apiKey);
    }

    /** The client through which {@link #publish} injects messages, as the node's own publisher. */
    private MqttClient connectNode() throws MqttException {
        MqttClient client =
                new MqttClient(url(), "streamr-node-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName("node");
        options.setPassword(new String(apiKey, StandardCharsets.UTF_8).toCharArray());
        options.setMaxInflight(100);
        client.setTimeToWait(30_000);
        client.connect(options);
        return client;
    }

    @Override
    public void close() {
        stop();
    }

    /**
     * The plugin's rule for subscriptions: one exact topic, no {@code +} or {@code #}. Publishing
     * is open to any authenticated client, as on the node.
     */
    private static final class ExactTopicsOnly implements IAuthorizatorPolicy {
        @Override
        public boolean canWrite(Topic topic, String user, String client) {
            return true;
        }

        @Override
        public boolean canRead(Topic topic, String user, String client) {
            String filter = topic.toString();
            return filter.indexOf('+') < 0 && filter.indexOf('#') < 0;
        }
    }
}
