package org.livepeer.naap.bridge;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The bridge's settings, from (later wins) the defaults, a properties file ({@code --config FILE}),
 * the environment ({@code NAAP_BRIDGE_} + the key upper-cased with dots and dashes as underscores:
 * {@code mqtt.api-key} is {@code NAAP_BRIDGE_MQTT_API_KEY}), and the command line ({@code
 * --key=value} or {@code --key value}). Keys under {@code kafka.producer.} are handed to the Kafka
 * producer as they are (security settings, for example). Every problem is reported at start with
 * what was wrong and what to do.
 */
public final class BridgeConfig {
    /** A Streamr stream partition the bridge subscribes to. */
    public record StreamPartition(String streamId, int partition) {
        public String topic() {
            return StreamrMessage.topicOf(streamId, partition);
        }
    }

    private static final String ENV_PREFIX = "NAAP_BRIDGE_";
    private static final String PRODUCER_PREFIX = "kafka.producer.";

    /** Every key with its default and meaning; the README's table lists the same. */
    static final Map<String, String[]> KEYS = new LinkedHashMap<>();

    static {
        key(
                "mqtt.url",
                "tcp://localhost:1883",
                "the Streamr node's MQTT plugin (tcp:// or ssl://)");
        key("mqtt.api-key", "", "the node's API key, sent as the MQTT password (required)");
        key("mqtt.username", "naap-bridge", "the MQTT user name (the plugin accepts any)");
        key("mqtt.client-id", "", "the MQTT client id (default naap-bridge-<host name>)");
        key("mqtt.qos", "1", "subscription QoS, 0 or 1");
        key(
                "mqtt.streams",
                "",
                "comma-separated stream ids to subscribe to (required); a partition other than 0"
                        + " as <id>?partition=N, a range as <id>?partitions=0-3");
        key("mqtt.keep-alive-seconds", "30", "MQTT keep-alive");
        key("mqtt.connect-timeout-seconds", "10", "how long one connection attempt may take");
        key("mqtt.reconnect-min-ms", "500", "first wait before reconnecting; doubles per attempt");
        key("mqtt.reconnect-max-ms", "30000", "longest wait between reconnection attempts");
        key("kafka.bootstrap-servers", "localhost:9092", "the Kafka cluster");
        key("kafka.topic", "naap.events.raw", "where accepted messages go");
        key("kafka.quarantine-topic", "naap.events.quarantine", "where refused messages go");
        key(
                "kafka.max-request-bytes",
                "16777216",
                "the largest record the bridge sends (the topics' max.message.bytes must allow"
                        + " it); a larger one is kept in the dead-letter directory");
        key("spool.dir", "naap-data/bridge/spool", "the local disk spool (write-ahead)");
        key("spool.max-bytes", "1073741824", "spool bound: messages beyond it are dropped, loudly");
        key("spool.segment-bytes", "67108864", "size of one spool file");
        key("spool.sync-interval-ms", "1000", "how often the spool is forced to disk");
        key("access.file", "", "allowlist and delegations (JSON); empty: every publisher allowed");
        key("access.reload-seconds", "10", "how often the access file is checked for changes");
        key("http.port", "9464", "health (/health, /live) and Prometheus (/metrics); -1: off");
        key("http.host", "0.0.0.0", "the address the HTTP endpoint binds");
        key(
                "shutdown.timeout-seconds",
                "30",
                "how long a clean shutdown waits for Kafka to take the spool");
    }

    private static void key(String name, String defaultValue, String help) {
        KEYS.put(name, new String[] {defaultValue, help});
    }

    private final Map<String, String> values;
    private final Properties producer;

    private BridgeConfig(Map<String, String> values, Properties producer) {
        this.values = values;
        this.producer = producer;
    }

    /**
     * Reads the settings from the command line and the environment.
     *
     * @throws IllegalArgumentException naming the setting that is wrong and what to do
     */
    public static BridgeConfig load(String[] args, Map<String, String> env) throws IOException {
        Map<String, String> cli = new LinkedHashMap<>();
        String file = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException(
                        "unexpected argument '" + a + "': settings are --key=value (see --help)");
            }
            String name = a.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException("--" + name + " needs a value");
            }
            if (name.equals("config")) {
                file = value;
            } else {
                cli.put(name, value);
            }
        }
        Map<String, String> merged = new TreeMap<>();
        if (file == null) {
            file = env.get(ENV_PREFIX + "CONFIG");
        }
        if (file != null && !file.isBlank()) {
            Path path = Path.of(file);
            if (!Files.isRegularFile(path)) {
                throw new IllegalArgumentException(
                        "the configuration file " + path.toAbsolutePath() + " does not exist");
            }
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
                p.load(r);
            }
            for (String name : p.stringPropertyNames()) {
                merged.put(name, p.getProperty(name).trim());
            }
        }
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (e.getKey().startsWith(ENV_PREFIX) && !e.getKey().equals(ENV_PREFIX + "CONFIG")) {
                merged.put(fromEnv(e.getKey()), e.getValue().trim());
            }
        }
        merged.putAll(cli);
        return of(merged);
    }

    /** The settings from a map of keys to values (the defaults fill the rest). */
    public static BridgeConfig of(Map<String, String> settings) {
        Map<String, String> values = new LinkedHashMap<>();
        KEYS.forEach((k, v) -> values.put(k, v[0]));
        Properties producer = new Properties();
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, String> e : settings.entrySet()) {
            if (e.getKey().startsWith(PRODUCER_PREFIX)) {
                producer.put(e.getKey().substring(PRODUCER_PREFIX.length()), e.getValue());
            } else if (KEYS.containsKey(e.getKey())) {
                values.put(e.getKey(), e.getValue());
            } else {
                unknown.add(e.getKey());
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(
                    "unknown setting(s) "
                            + unknown
                            + "; the settings are "
                            + KEYS.keySet()
                            + " and kafka.producer.*");
        }
        for (String guarded : List.of("acks", "enable.idempotence", "key.serializer")) {
            if (producer.containsKey(guarded)) {
                throw new IllegalArgumentException(
                        "kafka.producer."
                                + guarded
                                + " cannot be set: the bridge needs an idempotent producer with"
                                + " acks=all to lose nothing and write nothing twice");
            }
        }
        BridgeConfig c = new BridgeConfig(values, producer);
        c.validate();
        return c;
    }

    /** The environment variable's key: {@code NAAP_BRIDGE_MQTT_API_KEY} to mqtt.api-key. */
    static String fromEnv(String variable) {
        String rest = variable.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT);
        if (rest.startsWith("kafka_producer_")) {
            return PRODUCER_PREFIX + rest.substring("kafka_producer_".length()).replace('_', '.');
        }
        for (String k : KEYS.keySet()) {
            if (k.replace('.', '_').replace('-', '_').equals(rest)) {
                return k;
            }
        }
        return rest;
    }

    private void validate() {
        if (apiKey().isEmpty()) {
            throw new IllegalArgumentException(
                    "mqtt.api-key is not set: give the Streamr node's API key"
                            + " (NAAP_BRIDGE_MQTT_API_KEY, or --mqtt.api-key=...)");
        }
        if (streams().isEmpty()) {
            throw new IllegalArgumentException(
                    "mqtt.streams is not set: name the stream ids to bridge, e.g."
                            + " --mqtt.streams=0x1234.../livepeer/events");
        }
        URI url = URI.create(mqttUrl());
        if (!List.of("tcp", "ssl").contains(String.valueOf(url.getScheme()))
                || url.getHost() == null) {
            throw new IllegalArgumentException(
                    "mqtt.url '" + mqttUrl() + "' is not tcp://host:port or ssl://host:port");
        }
        if (qos() != 0 && qos() != 1) {
            throw new IllegalArgumentException("mqtt.qos must be 0 or 1, not " + qos());
        }
        for (String k :
                List.of(
                        "mqtt.keep-alive-seconds",
                        "mqtt.connect-timeout-seconds",
                        "mqtt.reconnect-min-ms",
                        "mqtt.reconnect-max-ms",
                        "spool.max-bytes",
                        "spool.segment-bytes",
                        "spool.sync-interval-ms",
                        "access.reload-seconds",
                        "kafka.max-request-bytes",
                        "shutdown.timeout-seconds")) {
            if (number(k) <= 0) {
                throw new IllegalArgumentException(k + " must be a positive number");
            }
        }
        number("http.port");
    }

    private long number(String key) {
        String v = values.get(key);
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, not '" + v + "'");
        }
    }

    public String mqttUrl() {
        return values.get("mqtt.url");
    }

    public String apiKey() {
        return values.get("mqtt.api-key");
    }

    public String username() {
        return values.get("mqtt.username");
    }

    /** The client id: the configured one, else naap-bridge-<host name>. */
    public String clientId() {
        String id = values.get("mqtt.client-id");
        if (!id.isEmpty()) {
            return id;
        }
        String host = System.getenv().getOrDefault("HOSTNAME", "");
        return host.isEmpty()
                ? "naap-bridge-" + ProcessHandle.current().pid()
                : "naap-bridge-" + host;
    }

    public int qos() {
        return (int) number("mqtt.qos");
    }

    /** The stream partitions to subscribe to, in the order given. */
    public List<StreamPartition> streams() {
        List<StreamPartition> out = new ArrayList<>();
        for (String item : values.get("mqtt.streams").split(",")) {
            String s = item.trim();
            if (s.isEmpty()) {
                continue;
            }
            if (s.contains("+") || s.contains("#")) {
                throw new IllegalArgumentException(
                        "mqtt.streams: '" + s + "' has a wildcard; the plugin takes exact ids");
            }
            int q = s.indexOf('?');
            if (q < 0) {
                out.add(new StreamPartition(s, 0));
                continue;
            }
            String id = s.substring(0, q);
            String query = s.substring(q + 1);
            try {
                if (query.startsWith("partition=")) {
                    out.add(new StreamPartition(id, partitionNumber(query.substring(10))));
                } else if (query.startsWith("partitions=")) {
                    String[] range = query.substring(11).split("-", 2);
                    int from = partitionNumber(range[0]);
                    int to = range.length == 2 ? partitionNumber(range[1]) : from;
                    for (int p = from; p <= to; p++) {
                        out.add(new StreamPartition(id, p));
                    }
                } else {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "mqtt.streams: '"
                                + s
                                + "' is not <id>, <id>?partition=N or <id>?partitions=A-B");
            }
        }
        return out;
    }

    private static int partitionNumber(String s) {
        int p = Integer.parseInt(s.trim());
        if (p < 0 || p > 99) {
            throw new NumberFormatException();
        }
        return p;
    }

    public int keepAliveSeconds() {
        return (int) number("mqtt.keep-alive-seconds");
    }

    public int connectTimeoutSeconds() {
        return (int) number("mqtt.connect-timeout-seconds");
    }

    public long reconnectMinMs() {
        return number("mqtt.reconnect-min-ms");
    }

    public long reconnectMaxMs() {
        return number("mqtt.reconnect-max-ms");
    }

    public String bootstrapServers() {
        return values.get("kafka.bootstrap-servers");
    }

    public String topic() {
        return values.get("kafka.topic");
    }

    public String quarantineTopic() {
        return values.get("kafka.quarantine-topic");
    }

    public int maxRequestBytes() {
        return (int) number("kafka.max-request-bytes");
    }

    /** The kafka.producer.* settings, without the prefix. */
    public Properties producerOverrides() {
        Properties p = new Properties();
        p.putAll(producer);
        return p;
    }

    public Path spoolDir() {
        return Path.of(values.get("spool.dir"));
    }

    public long spoolMaxBytes() {
        return number("spool.max-bytes");
    }

    public long spoolSegmentBytes() {
        return number("spool.segment-bytes");
    }

    public long spoolSyncIntervalMs() {
        return number("spool.sync-interval-ms");
    }

    /** The access file, or null when access control is off. */
    public Path accessFile() {
        String f = values.get("access.file");
        return f.isBlank() ? null : Path.of(f);
    }

    public long accessReloadSeconds() {
        return number("access.reload-seconds");
    }

    /** The HTTP port; -1 when the endpoint is off, 0 for any free port. */
    public int httpPort() {
        return (int) number("http.port");
    }

    public String httpHost() {
        return values.get("http.host");
    }

    public long shutdownTimeoutSeconds() {
        return number("shutdown.timeout-seconds");
    }

    /** The settings as one line for the log, the API key and producer secrets masked. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        values.forEach(
                (k, v) ->
                        b.append(k)
                                .append('=')
                                .append(k.equals("mqtt.api-key") ? "****" : v)
                                .append(' '));
        producer.stringPropertyNames()
                .forEach(k -> b.append(PRODUCER_PREFIX).append(k).append("=**** "));
        return b.toString().trim();
    }

    /** The --help text: every key, its default and meaning. */
    public static String help() {
        StringBuilder b = new StringBuilder();
        KEYS.forEach(
                (k, v) ->
                        b.append(
                                String.format(
                                        "  --%-30s %s%s%n",
                                        k, v[1], v[0].isEmpty() ? "" : " [" + v[0] + "]")));
        b.append(
                String.format(
                        "  --%-30s %s%n",
                        "kafka.producer.<name>",
                        "any Kafka producer setting (security.protocol, sasl.*, ssl.*)"));
        return b.toString();
    }
}
