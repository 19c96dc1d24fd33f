package org.livepeer.naap.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings from the file, the environment and the command line, and the errors they give. */
class BridgeConfigTest {
    private static final String STREAM =
            "0x1111111111111111111111111111111111111111/livepeer/events";

    @Test
    void laterSourcesWinAndPartitionsAreExpanded(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bridge.properties");
        Files.writeString(
                file,
                "mqtt.url=tcp://node:1883\n"
                        + "mqtt.api-key=from-file\n"
                        + "mqtt.streams="
                        + STREAM
                        + ", "
                        + STREAM
                        + "?partitions=2-4\n"
                        + "kafka.topic=from-file\n"
                        + "spool.max-bytes=1000\n");
        BridgeConfig c =
                BridgeConfig.load(
                        new String[] {"--config", file.toString(), "--kafka.topic=from-cli"},
                        Map.of(
                                "NAAP_BRIDGE_MQTT_API_KEY", "from-env",
                                "NAAP_BRIDGE_KAFKA_TOPIC", "from-env",
                                "NAAP_BRIDGE_KAFKA_PRODUCER_SECURITY_PROTOCOL", "SASL_SSL",
                                "HOME", "/root"));
        assertThat(c.mqttUrl()).isEqualTo("tcp://node:1883");
        assertThat(c.apiKey()).isEqualTo("from-env");
        assertThat(c.topic()).isEqualTo("from-cli");
        assertThat(c.quarantineTopic()).isEqualTo("naap.events.quarantine");
        assertThat(c.spoolMaxBytes()).isEqualTo(1000);
        assertThat(c.producerOverrides()).containsEntry("security.protocol", "SASL_SSL");
        assertThat(c.streams())
                .extracting(BridgeConfig.StreamPartition::topic)
                .containsExactly(
                        STREAM,
                        STREAM + "?partition=2",
                        STREAM + "?partition=3",
                        STREAM + "?partition=4");
        assertThat(c.describe()).doesNotContain("from-env").contains("mqtt.api-key=****");
    }

    @Test
    void mistakesAreNamed() {
        assertThatThrownBy(() -> config("mqtt.streams", STREAM))
                .hasMessageContaining("mqtt.api-key is not set");
        assertThatThrownBy(() -> config("mqtt.api-key", "k"))
                .hasMessageContaining("mqtt.streams is not set");
        assertThatThrownBy(() -> config("mqtt.api-key", "k", "mqtt.streams", "a/#"))
                .hasMessageContaining("wildcard");
        assertThatThrownBy(
                        () -> config("mqtt.api-key", "k", "mqtt.streams", STREAM + "?partition=x"))
                .hasMessageContaining("<id>?partition=N");
        assertThatThrownBy(
                        () ->
                                config(
                                        "mqtt.api-key",
                                        "k",
                                        "mqtt.streams",
                                        STREAM,
                                        "spool.max-byte",
                                        "5"))
                .hasMessageContaining("unknown setting(s) [spool.max-byte]");
        assertThatThrownBy(
                        () ->
                                config(
                                        "mqtt.api-key",
                                        "k",
                                        "mqtt.streams",
                                        STREAM,
                                        "kafka.producer.acks",
                                        "1"))
                .hasMessageContaining("kafka.producer.acks cannot be set");
        assertThatThrownBy(
                        () ->
                                config(
                                        "mqtt.api-key",
                                        "k",
                                        "mqtt.streams",
                                        STREAM,
                                        "mqtt.url",
                                        "http://x:1"))
                .hasMessageContaining("is not tcp://host:port");
        assertThatThrownBy(
                        () ->
                                BridgeConfig.load(
                                        new String[] {"--config", "/nonexistent/b.properties"},
                                        Map.of()))
                .hasMessageContaining("does not exist");
    }

    @Test
    void environmentNamesMapToKeys() {
        assertThat(BridgeConfig.fromEnv("NAAP_BRIDGE_MQTT_API_KEY")).isEqualTo("mqtt.api-key");
        assertThat(BridgeConfig.fromEnv("NAAP_BRIDGE_SPOOL_MAX_BYTES"))
                .isEqualTo("spool.max-bytes");
        assertThat(BridgeConfig.fromEnv("NAAP_BRIDGE_KAFKA_PRODUCER_SASL_MECHANISM"))
                .isEqualTo("kafka.producer.sasl.mechanism");
        assertThat(List.copyOf(BridgeConfig.KEYS.keySet())).contains("http.port");
    }

    @Test
    void theExamplesInTheRepositoryAreValid() throws Exception {
        Path conf = Path.of("conf");
        BridgeConfig c =
                BridgeConfig.load(
                        new String[] {
                            "--config", conf.resolve("bridge.example.properties").toString()
                        },
                        Map.of("NAAP_BRIDGE_MQTT_API_KEY", "k"));
        assertThat(c.streams()).hasSize(4);
        assertThat(c.spoolDir()).isEqualTo(Path.of("/var/lib/naap-bridge/spool"));
        AccessControl access = AccessControl.load(conf.resolve("access.example.json"));
        assertThat(access.current().delegations()).hasSize(1);
    }

    private static BridgeConfig config(String... kv) {
        java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return BridgeConfig.of(m);
    }
}
