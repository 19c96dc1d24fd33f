package org.livepeer.naap.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/** Messages as nodes publish them, bridge settings for the test brokers, and waiting. */
final class BridgeTesting {
    static final String API_KEY = "node-api-key-0123";
    static final String STREAM = "0x7e57000000000000000000000000000000000001/livepeer/events";
    static final String GATEWAY = "0x1111111111111111111111111111111111111111";

    private BridgeTesting() {}

    /** An event-sink envelope (what nodes publish onto Streamr) of one session. */
    static String event(String id, String streamId, String subtype) {
        return "{\"id\":\""
                + id
                + "\",\"type\":\"stream_trace\",\"timestamp\":\"2026-11-27T12:00:00.123456789Z\","
                + "\"payload\":{\"type\":\""
                + subtype
                + "\",\"stream_id\":\""
                + streamId
                + "\",\"request_id\":\"req-"
                + streamId
                + "\",\"orchestrator_info\":{\"address\":\"0x2222222222222222222222222222222222222222\","
                + "\"url\":\"https://o.example:8935\"}}}";
    }

    /** The plugin's payloadMetadata wrapper around content. */
    static String wrapped(String content, String publisher, String chain, long ts, long seq) {
        return "{\"content\":"
                + content
                + ",\"metadata\":{\"timestamp\":"
                + ts
                + ",\"sequenceNumber\":"
                + seq
                + ",\"publisherId\":\""
                + publisher
                + "\",\"msgChainId\":\""
                + chain
                + "\"}}";
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static Map<String, String> settings(
            String mqttUrl, String bootstrap, String topic, String quarantine, Path spool) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("mqtt.url", mqttUrl);
        m.put("mqtt.api-key", API_KEY);
        m.put("mqtt.streams", STREAM + "," + STREAM + "?partition=1");
        m.put("mqtt.client-id", "bridge-under-test-" + System.nanoTime());
        m.put("mqtt.reconnect-min-ms", "100");
        m.put("mqtt.reconnect-max-ms", "1000");
        m.put("kafka.bootstrap-servers", bootstrap);
        m.put("kafka.topic", topic);
        m.put("kafka.quarantine-topic", quarantine);
        m.put("spool.dir", spool.toString());
        m.put("http.port", "0");
        m.put("http.host", "127.0.0.1");
        m.put("access.reload-seconds", "1");
        m.put("shutdown.timeout-seconds", "20");
        return m;
    }

    static void await(String what, long timeoutMs, BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(
                        "timed out after " + timeoutMs + " ms waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    static String value(ConsumerRecord<byte[], byte[]> r) {
        return new String(r.value(), StandardCharsets.UTF_8);
    }

    /** Per key, the values in partition order. */
    static Map<String, List<String>> byKey(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        List<ConsumerRecord<byte[], byte[]>> sorted = new ArrayList<>(records);
        sorted.sort(
                (a, b) ->
                        a.partition() != b.partition()
                                ? Integer.compare(a.partition(), b.partition())
                                : Long.compare(a.offset(), b.offset()));
        for (ConsumerRecord<byte[], byte[]> r : sorted) {
            String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
            out.computeIfAbsent(key, k -> new ArrayList<>()).add(value(r));
        }
        return out;
    }

    /** GET on the bridge's HTTP endpoint: status and body. */
    static HttpResponse<String> get(Bridge bridge, String path) throws Exception {
        assertThat(bridge.httpPort()).isPositive();
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(
                                        URI.create("http://127.0.0.1:" + bridge.httpPort() + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }
}
