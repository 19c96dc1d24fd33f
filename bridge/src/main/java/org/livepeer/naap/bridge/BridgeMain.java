package org.livepeer.naap.bridge;

import java.util.concurrent.CountDownLatch;

/**
 * {@code ./naap bridge}: runs the bridge until it is stopped (SIGTERM or Ctrl-C), then shuts it
 * down cleanly (the spool is flushed to Kafka, or kept on disk for the next start).
 */
public final class BridgeMain {
    private BridgeMain() {}

    public static void main(String[] args) throws Exception {
        for (String a : args) {
            if (a.equals("--help") || a.equals("-h")) {
                System.out.println(
                        "usage: ./naap bridge [--config FILE] [--key=value ...]\n\n"
                                + "Subscribes to Streamr streams through a Streamr node's MQTT"
                                + " plugin and writes every\nmessage, unchanged, to Kafka."
                                + " Settings (also NAAP_BRIDGE_<KEY> in the environment, e.g."
                                + "\nNAAP_BRIDGE_MQTT_API_KEY; a --config properties file takes"
                                + " the same keys):\n\n"
                                + BridgeConfig.help());
                return;
            }
        }
        BridgeConfig config;
        try {
            config = BridgeConfig.load(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("naap bridge: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.out.println("naap bridge: " + config.describe());
        Bridge bridge;
        try {
            bridge = Bridge.start(config);
        } catch (BridgeException | IllegalArgumentException | java.io.IOException e) {
            System.err.println("naap bridge: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    System.out.println("naap bridge: stopping");
                                    bridge.close();
                                    stopped.countDown();
                                },
                                "naap-bridge-shutdown"));
        System.out.println(
                "naap bridge: subscribed to "
                        + config.streams().size()
                        + " stream partition(s) at "
                        + config.mqttUrl()
                        + ", writing to "
                        + config.topic()
                        + " at "
                        + config.bootstrapServers()
                        + (bridge.httpPort() > 0
                                ? "; health at http://localhost:"
                                        + bridge.httpPort()
                                        + "/health, metrics at /metrics"
                                : ""));
        stopped.await();
    }
}
