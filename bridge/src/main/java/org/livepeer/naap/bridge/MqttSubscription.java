package org.livepeer.naap.bridge;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge's MQTT session with the Streamr node's plugin (Paho): connects with the API key as the
 * password, subscribes to each stream partition's exact topic, and reconnects with exponential
 * backoff (and jitter) whenever the connection is lost, subscribing again. The first connection
 * fails at once, with a message that says what to do, when the node refuses the key or a
 * subscription; while the node is unreachable it is retried. Every disconnection is counted and
 * reported to the handler: the plugin does not replay what was published meanwhile.
 */
final class MqttSubscription implements MqttCallbackExtended, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MqttSubscription.class);

    /** What the subscription hands on. Called on Paho's single callback thread. */
    interface Handler {
        void onMessage(String topic, byte[] payload);

        /** The connection was lost at {@code at} (epoch ms). */
        void onDisconnected(long at);
    }

    private final BridgeConfig config;
    private final Handler handler;
    private final MqttAsyncClient client;
    private final ExecutorService reconnector =
            Executors.newSingleThreadExecutor(
                    r -> {
                        Thread t = new Thread(r, "naap-bridge-mqtt-reconnect");
                        t.setDaemon(true);
                        return t;
                    });
    private final LongAdder disconnections;
    private final LongAdder reconnectAttempts;
    private volatile boolean connected;
    private volatile boolean closed;
    private volatile long disconnectedSince = System.currentTimeMillis();
    private volatile String lastError = "not connected yet";

    MqttSubscription(BridgeConfig config, Handler handler, Metrics metrics) {
        this.config = config;
        this.handler = handler;
        try {
            this.client =
                    new MqttAsyncClient(
                            config.mqttUrl(), config.clientId(), new MemoryPersistence());
        } catch (MqttException e) {
            throw new BridgeException("mqtt.url '" + config.mqttUrl() + "': " + e.getMessage(), e);
        }
        client.setCallback(this);
        disconnections =
                metrics.counter(
                        "naap_bridge_mqtt_disconnections_total",
                        "Times the connection to the Streamr node was lost (messages published"
                                + " meanwhile were not received: the plugin does not replay).");
        reconnectAttempts =
                metrics.counter(
                        "naap_bridge_mqtt_reconnect_attempts_total",
                        "Connection attempts after a loss.");
        metrics.gauge(
                "naap_bridge_mqtt_connected",
                "1 while connected to the Streamr node and subscribed.",
                () -> connected ? 1 : 0);
    }

    /**
     * Connects and subscribes; returns once subscribed. Retries while the node is unreachable.
     *
     * @throws BridgeException when the node refuses the API key or a subscription
     */
    void start() throws InterruptedException {
        long wait = config.reconnectMinMs();
        for (int attempt = 1; ; attempt++) {
            try {
                connectAndSubscribe();
                return;
            } catch (MqttException e) {
                if (refusedForGood(e)) {
                    throw new BridgeException(explain(e), e);
                }
                lastError = explain(e);
                LOG.warn(
                        "MQTT connection attempt {} failed: {}; retrying in {} ms",
                        attempt,
                        lastError,
                        wait);
            }
            Thread.sleep(wait);
            wait = Math.min(wait * 2, config.reconnectMaxMs());
            if (closed) {
                throw new InterruptedException("closed while connecting");
            }
        }
    }

    boolean connected() {
        return connected;
    }

    /** Since when the bridge has been disconnected (epoch ms), or 0 while connected. */
    long disconnectedSince() {
        return connected ? 0 : disconnectedSince;
    }

    String lastError() {
        return lastError;
    }

    private void connectAndSubscribe() throws MqttException {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName(config.username());
        options.setPassword(config.apiKey().toCharArray());
        // 3.1.1, not Paho's default of trying 3.1 too: 3.1 limits client ids to 23 characters.
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(true);
        options.setAutomaticReconnect(false);
        options.setKeepAliveInterval(config.keepAliveSeconds());
        options.setConnectionTimeout(config.connectTimeoutSeconds());
        options.setMaxInflight(1000);
        long timeout = config.connectTimeoutSeconds() * 1000L + 1000;
        client.connect(options).waitForCompletion(timeout);
        List<BridgeConfig.StreamPartition> streams = config.streams();
        String[] topics = new String[streams.size()];
        int[] qos = new int[streams.size()];
        for (int i = 0; i < topics.length; i++) {
            topics[i] = streams.get(i).topic();
            qos[i] = config.qos();
        }
        IMqttToken sub = client.subscribe(topics, qos);
        sub.waitForCompletion(timeout);
        int[] granted = sub.getGrantedQos();
        for (int i = 0; i < topics.length; i++) {
            if (granted == null || i >= granted.length || granted[i] == 0x80) {
                disconnectQuietly();
                throw new MqttException(MqttException.REASON_CODE_SUBSCRIBE_FAILED);
            }
        }
        connected = true;
        lastError = "";
        LOG.info("subscribed to {} at {}", String.join(", ", topics), config.mqttUrl());
    }

    /** Refusals that retrying does not cure: a wrong key, a refused subscription. */
    private static boolean refusedForGood(MqttException e) {
        int code = e.getReasonCode();
        return code == MqttException.REASON_CODE_FAILED_AUTHENTICATION
                || code == MqttException.REASON_CODE_NOT_AUTHORIZED
                || code == MqttException.REASON_CODE_SUBSCRIBE_FAILED
                || code == MqttException.REASON_CODE_INVALID_CLIENT_ID;
    }

    private String explain(MqttException e) {
        return switch (e.getReasonCode()) {
            case MqttException.REASON_CODE_FAILED_AUTHENTICATION,
                    MqttException.REASON_CODE_NOT_AUTHORIZED ->
                    "the Streamr node at "
                            + config.mqttUrl()
                            + " refused the API key (MQTT reason "
                            + e.getReasonCode()
                            + "): set mqtt.api-key (NAAP_BRIDGE_MQTT_API_KEY) to a key listed in"
                            + " the node's apiAuthentication.keys";
            case MqttException.REASON_CODE_SUBSCRIBE_FAILED ->
                    "the Streamr node at "
                            + config.mqttUrl()
                            + " refused a subscription to "
                            + config.streams()
                            + ": check each stream id (exact ids, no wildcards) and that the"
                            + " node may subscribe to it";
            case MqttException.REASON_CODE_INVALID_CLIENT_ID ->
                    "the node refused the client id '" + config.clientId() + "'";
            default ->
                    "cannot reach the Streamr node's MQTT plugin at "
                            + config.mqttUrl()
                            + " ("
                            + e.getMessage()
                            + (e.getCause() == null ? "" : ": " + e.getCause().getMessage())
                            + "); is the node running with the mqtt plugin on that port?";
        };
    }

    @Override
    public void connectionLost(Throwable cause) {
        connected = false;
        long at = System.currentTimeMillis();
        disconnectedSince = at;
        disconnections.increment();
        lastError = "connection lost: " + (cause == null ? "unknown" : cause.getMessage());
        LOG.warn(
                "lost the connection to {} ({}); messages published until the bridge is back are"
                        + " not received (the plugin does not replay); reconnecting",
                config.mqttUrl(),
                cause == null ? "no cause given" : cause.toString());
        handler.onDisconnected(at);
        if (!closed) {
            reconnector.execute(this::reconnect);
        }
    }

    private void reconnect() {
        long wait = config.reconnectMinMs();
        while (!closed && !connected) {
            try {
                long jittered = wait / 2 + ThreadLocalRandom.current().nextLong(wait / 2 + 1);
                Thread.sleep(jittered);
                reconnectAttempts.increment();
                connectAndSubscribe();
                LOG.info(
                        "reconnected to {} after {} ms",
                        config.mqttUrl(),
                        System.currentTimeMillis() - disconnectedSince);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (MqttException e) {
                lastError = explain(e);
                if (refusedForGood(e)) {
                    LOG.error("reconnection refused: {}", lastError);
                } else {
                    LOG.warn(
                            "reconnection failed: {}; next attempt in up to {} ms",
                            lastError,
                            wait);
                }
                wait = Math.min(wait * 2, config.reconnectMaxMs());
            }
        }
    }

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {}

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        // Never throw: Paho drops the connection when a callback fails.
        try {
            handler.onMessage(topic, message.getPayload());
        } catch (RuntimeException e) {
            LOG.error("could not hand on a message from {}", topic, e);
        }
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {}

    private void disconnectQuietly() {
        try {
            client.disconnect().waitForCompletion(2000);
        } catch (MqttException ignored) {
            // already gone
        }
    }

    /** Stops receiving: unsubscribes and disconnects, no reconnection after this. */
    @Override
    public void close() {
        closed = true;
        reconnector.shutdownNow();
        if (client.isConnected()) {
            disconnectQuietly();
        }
        connected = false;
        try {
            client.close(true);
        } catch (MqttException e) {
            LOG.debug("closing the MQTT client", e);
        }
    }
}
