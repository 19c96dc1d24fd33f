package org.livepeer.naap.jobs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.util.TimeUtils;
import org.livepeer.naap.functions.alerts.AlertConfig;
import org.livepeer.naap.functions.liveness.LivenessConfig;
import org.livepeer.naap.functions.sessions.SessionConfig;
import org.livepeer.naap.jobs.Options.UsageException;
import org.livepeer.naap.schemas.ParserConfig;

/**
 * The job's configuration, parsed once from the command line: the same options serve {@code ./naap
 * run} (embedded, on this machine) and {@link TelemetryJob} (submitted to a cluster). Runtime knobs
 * of a cluster (state backend, restart strategy) come from Flink's own configuration instead.
 *
 * @param inputs files of events (embedded run only; empty means Kafka or the bundled samples)
 * @param out the embedded run's output directory (warehouse, live outputs, summary)
 * @param kafkaBootstrap Kafka bootstrap servers; null for file input
 * @param topics topic to source label, in the order given
 * @param delivery {@code exactly-once} or {@code at-least-once}, for the Kafka live outputs
 * @param transactionalIdPrefix prefix of the Kafka sinks' transactional ids (one per job on a Kafka
 *     cluster)
 * @param catalog Iceberg catalog properties (Iceberg's own keys, e.g. {@code type}, {@code
 *     warehouse}, {@code uri})
 */
public record JobOptions(
        List<Path> inputs,
        Path out,
        String kafkaBootstrap,
        Map<String, String> topics,
        String groupId,
        String startingOffsets,
        String rejectedTopic,
        String sessionsTopic,
        String nodesTopic,
        String metricsTopic,
        String alertsTopic,
        String delivery,
        String transactionalIdPrefix,
        int parallelism,
        Duration checkpointInterval,
        Duration progressInterval,
        PipelineConfig pipeline,
        String catalogName,
        Map<String, String> catalog) {

    public static final String DEFAULT_TOPICS = "naap.events.raw,streaming_events,network_events";
    public static final String CATALOG_PREFIX = "catalog.";

    /** The same options with other input files. */
    public JobOptions withInputs(List<Path> files) {
        return new JobOptions(
                List.copyOf(files),
                out,
                kafkaBootstrap,
                topics,
                groupId,
                startingOffsets,
                rejectedTopic,
                sessionsTopic,
                nodesTopic,
                metricsTopic,
                alertsTopic,
                delivery,
                transactionalIdPrefix,
                parallelism,
                checkpointInterval,
                progressInterval,
                pipeline,
                catalogName,
                catalog);
    }

    /**
     * The same options reading {@code topics} at {@code bootstrap} instead of files (the embedded
     * broker of {@code --embedded-kafka}). The pipeline keeps the watermarks it was configured
     * with: options read for files give a replay's (idleness, no silence grace).
     */
    public JobOptions onKafka(String bootstrap, Map<String, String> topicLabels) {
        return new JobOptions(
                List.of(),
                out,
                bootstrap,
                Map.copyOf(topicLabels),
                groupId,
                startingOffsets,
                rejectedTopic,
                sessionsTopic,
                nodesTopic,
                metricsTopic,
                alertsTopic,
                delivery,
                transactionalIdPrefix,
                parallelism,
                checkpointInterval,
                progressInterval,
                pipeline,
                catalogName,
                catalog);
    }

    private static LivenessConfig livenessConfig(Options o) {
        LivenessConfig d = LivenessConfig.defaults();
        try {
            return new LivenessConfig(
                    o.getDuration("liveness-min-timeout"),
                    Double.parseDouble(o.get("liveness-factor")),
                    d.initialTimeout(),
                    o.getDuration("liveness-forget-after"),
                    d.activeSessionWindow(),
                    d.stateTtl(),
                    o.getDuration("liveness-identity-wait"));
        } catch (NumberFormatException e) {
            throw new UsageException(
                    "--liveness-factor must be a number, got " + o.get("liveness-factor"));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /**
     * The default alert rules, a node-down alert going stale when the liveness detector forgets its
     * node, then every {@code --alert} setting in the order given.
     */
    private static AlertConfig alertConfig(Options o) {
        AlertConfig alerts =
                AlertConfig.defaults()
                        .with(
                                AlertConfig.NODE_DOWN_ABRUPT
                                        + ".stale-after="
                                        + o.getDuration("liveness-forget-after").toMillis()
                                        + "ms",
                                TimeUtils::parseDuration);
        for (String setting : o.getAll("alert")) {
            try {
                alerts = alerts.with(setting, TimeUtils::parseDuration);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }
        return alerts;
    }

    private static SessionConfig sessionConfig(Options o) {
        SessionConfig d = SessionConfig.defaults();
        Duration idle = o.getDuration("session-idle-timeout");
        try {
            return new SessionConfig(
                    idle,
                    o.getDuration("session-update-interval"),
                    d.statusCadence(),
                    d.swapWindow(),
                    d.retainAfterEnd(),
                    d.stateTtl(),
                    d.paymentMappingIdle(),
                    d.paymentWait(),
                    d.maxWaitingPayments(),
                    d.closeGrace(),
                    o.getDuration("session-orchestrator-verdict-wait"));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** Declares every option; {@code embedded} adds the options of the local runner. */
    public static Options declare(String command, boolean embedded) {
        Options o = new Options(command);
        if (embedded) {
            o.repeated(
                    "input",
                    null,
                    "a file of events (JSONL, or a .json file holding a JSON array); without"
                            + " --input and --kafka a small generated network is used");
            o.option("out", "./naap-data", "output directory: warehouse/, live/, summary.json");
            o.option("kafka", null, "read Kafka at these bootstrap servers instead of files");
            o.option("parallelism", "2", "parallelism of the local run");
            o.option("progress-interval", "2s", "how often a long run prints its progress");
        } else {
            o.option("kafka", null, "Kafka bootstrap servers (required)");
        }
        o.option(
                "topics",
                DEFAULT_TOPICS,
                "Kafka topics to read, comma-separated; 'label=topic' names the source label");
        o.option("group-id", "naap-telemetry", "Kafka consumer group");
        o.option(
                "starting-offsets",
                "committed",
                "where a new job starts reading: committed (earliest when none), earliest, latest");
        o.option("rejected-topic", "naap.events.rejected", "Kafka topic for rejected records");
        o.option("nodes-topic", "naap.nodes.v1", "Kafka topic for node liveness transitions");
        o.option("alerts-topic", "naap.alerts.v1", "Kafka topic for alert records");
        o.repeated(
                "alert",
                null,
                "change one alert rule setting: Rule.setting=value, e.g."
                        + " StartupFailuresHigh.threshold=0.1, SwapRateHigh.for=5m,"
                        + " JitterHigh.enabled=false (settings: severity, enabled, threshold,"
                        + " min-volume, window, for, clear-for, stale-after; see README)");
        o.option(
                "metrics-topic",
                "naap.metrics.v1",
                "Kafka topic for windowed metric rows (1m and 1h, every revision)");
        o.option(
                "sessions-topic",
                "naap.sessions.v1",
                "Kafka topic for session facts (live updates and final facts)");
        o.option(
                "delivery",
                "exactly-once",
                "Kafka live-output delivery: exactly-once (transactions committed with each"
                        + " checkpoint; consumers must read with isolation.level=read_committed)"
                        + " or at-least-once");
        o.option(
                "transactional-id-prefix",
                embedded ? "naap-local" : "naap-telemetry",
                "prefix of the Kafka transactional ids of the live outputs; two jobs writing to"
                        + " one Kafka cluster must not share it");
        o.option(
                "checkpoint-interval",
                embedded ? "2s" : "30s",
                "checkpoint interval; Iceberg commits on each checkpoint");
        o.option("watermark-out-of-orderness", "10s", "how out of order events may arrive");
        o.option("watermark-idleness", "30s", "an input split idle this long stops holding time");
        o.option(
                "silence-grace",
                "5s",
                "Kafka input: after this much wall-clock silence event time follows the clock, so"
                        + " timeouts fire even when every producer is silent");
        o.option("allowed-lateness", "0s", "behind the watermark by more than this is late");
        o.option("dedup-retention", "1h", "how long event ids are remembered to drop redeliveries");
        o.option(
                "session-idle-timeout",
                "60s",
                "a session with no event for this long (event time) ends as timed_out");
        o.option(
                "session-orchestrator-verdict-wait",
                "30s",
                "a silent session waits this long past its idle timeout for liveness to say"
                        + " whether its orchestrator died (orchestrator_lost)");
        o.option(
                "liveness-min-timeout",
                "30s",
                "a node is down when silent past max(this, factor x its usual gap)");
        o.option("liveness-factor", "3", "multiple of a node's usual gap it may stay silent");
        o.option(
                "liveness-forget-after",
                "1h",
                "a node gone this long is forgotten (its state cleared)");
        o.option(
                "liveness-identity-wait",
                "2m",
                "an orchestrator named only by URI or hot wallet waits this long for a capabilities"
                        + " snapshot to give its address, then is known by its URI");
        o.option(
                "session-update-interval",
                "10s",
                "an open session emits a live update at most this often (event time)");
        o.option(
                "max-record-bytes",
                String.valueOf(ParserConfig.DEFAULT_MAX_RECORD_BYTES),
                "larger records are rejected as too_large");
        o.option("max-future", "5min", "event times further ahead of ingest are clamped");
        o.option("max-data-skew", "1h", "payload times further from the envelope time are ignored");
        o.option("catalog-name", "naap_lake", "name of the Iceberg catalog");
        o.prefix(
                CATALOG_PREFIX,
                "Iceberg catalog property, e.g. --catalog.type jdbc --catalog.uri ..."
                        + (embedded ? " (default: a hadoop catalog in OUT/warehouse)" : ""));
        return o;
    }

    /** Reads the typed configuration from parsed options. */
    public static JobOptions from(Options o, boolean embedded) {
        List<Path> inputs = new ArrayList<>();
        for (String p : o.getAll("input")) {
            Path path = Paths.get(p);
            if (!Files.isReadable(path)) {
                throw new UsageException(
                        "input file "
                                + p
                                + " does not exist or cannot be read; give a JSONL file of events");
            }
            if (Files.isDirectory(path)) {
                throw new UsageException(
                        "input "
                                + p
                                + " is a directory; give the files in it, e.g. "
                                + p
                                + "/*.jsonl");
            }
            inputs.add(path);
        }
        String kafka = o.get("kafka");
        if (!embedded && kafka == null) {
            throw new UsageException("--kafka is required: give the Kafka bootstrap servers");
        }
        if (kafka != null && !inputs.isEmpty()) {
            throw new UsageException("give either --input files or --kafka, not both");
        }
        Map<String, String> topics = new LinkedHashMap<>();
        for (String t : o.get("topics").split(",")) {
            String item = t.trim();
            if (item.isEmpty()) {
                continue;
            }
            int eq = item.indexOf('=');
            String label = eq < 0 ? item : item.substring(0, eq).trim();
            String topic = eq < 0 ? item : item.substring(eq + 1).trim();
            topics.put(topic, label);
        }
        if (topics.isEmpty()) {
            throw new UsageException("--topics is empty; give at least one Kafka topic");
        }
        String offsets = o.get("starting-offsets");
        if (!List.of("committed", "earliest", "latest").contains(offsets)) {
            throw new UsageException(
                    "--starting-offsets must be committed, earliest or latest, got " + offsets);
        }
        String delivery = o.get("delivery");
        if (!List.of("at-least-once", "exactly-once").contains(delivery)) {
            throw new UsageException(
                    "--delivery must be at-least-once or exactly-once, got " + delivery);
        }
        String transactionalIdPrefix = o.get("transactional-id-prefix").trim();
        if (transactionalIdPrefix.isEmpty()) {
            throw new UsageException("--transactional-id-prefix must not be empty");
        }
        Path out = Paths.get(embedded ? o.get("out") : ".").toAbsolutePath().normalize();
        Map<String, String> catalog = new LinkedHashMap<>(o.withPrefix(CATALOG_PREFIX));
        if (catalog.isEmpty()) {
            if (!embedded) {
                throw new UsageException(
                        "no Iceberg catalog configured: give --catalog.type (hadoop, jdbc, rest,"
                                + " hive) and its properties, e.g. --catalog.warehouse s3://bucket/w");
            }
            catalog.put("type", "hadoop");
            catalog.put("warehouse", out.resolve("warehouse").toString());
        }
        try {
            new org.livepeer.naap.iceberg.CatalogSettings(o.get("catalog-name"), catalog);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        long maxRecordBytes = o.getInt("max-record-bytes");
        PipelineConfig pipeline =
                new PipelineConfig(
                        new ParserConfig(
                                (int) maxRecordBytes,
                                o.getDuration("max-future").toMillis(),
                                o.getDuration("max-data-skew").toMillis()),
                        o.getDuration("watermark-out-of-orderness"),
                        o.getDuration("watermark-idleness"),
                        o.getDuration("allowed-lateness"),
                        o.getDuration("dedup-retention"),
                        sessionConfig(o),
                        livenessConfig(o),
                        kafka == null ? null : o.getDuration("silence-grace"),
                        alertConfig(o));
        return new JobOptions(
                List.copyOf(inputs),
                out,
                kafka,
                topics,
                o.get("group-id"),
                offsets,
                o.get("rejected-topic"),
                o.get("sessions-topic"),
                o.get("nodes-topic"),
                o.get("metrics-topic"),
                o.get("alerts-topic"),
                delivery,
                transactionalIdPrefix,
                embedded ? o.getInt("parallelism") : -1,
                o.getDuration("checkpoint-interval"),
                embedded ? o.getDuration("progress-interval") : Duration.ZERO,
                pipeline,
                o.get("catalog-name"),
                catalog);
    }
}
