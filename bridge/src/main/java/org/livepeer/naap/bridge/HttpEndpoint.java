package org.livepeer.naap.bridge;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * The bridge's HTTP endpoint (the JDK's own server, no framework): {@code /metrics} for Prometheus,
 * {@code /health} (200 when the bridge is up, 503 otherwise, with a JSON body that says why) for
 * readiness probes and people, {@code /live} (200 while the process runs) for liveness probes: a
 * Kafka outage is not a reason to restart the bridge, its spool holds the messages.
 */
final class HttpEndpoint implements AutoCloseable {
    /** What /health answers. */
    record Health(boolean up, String json) {}

    private final HttpServer server;

    HttpEndpoint(String host, int port, Metrics metrics, Supplier<Health> health)
            throws IOException {
        server = HttpServer.create(new InetSocketAddress(host, port), 0);
        server.createContext(
                "/metrics",
                ex -> respond(ex, 200, "text/plain; version=0.0.4", metrics.prometheus()));
        server.createContext(
                "/health",
                ex -> {
                    Health h = health.get();
                    respond(ex, h.up() ? 200 : 503, "application/json", h.json());
                });
        server.createContext("/live", ex -> respond(ex, 200, "text/plain", "ok\n"));
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private static void respond(HttpExchange ex, int status, String type, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
