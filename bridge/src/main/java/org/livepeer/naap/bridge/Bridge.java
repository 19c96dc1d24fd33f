package org.livepeer.naap.bridge;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Streamr-to-Kafka bridge: messages from the node's MQTT plugin are checked against the access
 * list, followed per publisher chain, and appended to the disk spool on the MQTT thread (which
 * never waits for Kafka); one sender thread sends the spool in order with an idempotent {@code
 * acks=all} producer and removes what Kafka acknowledged. So a Kafka outage, a restart or a crash
 * of the bridge loses nothing that reached the spool: it is sent when Kafka is back, in the order
 * it came (at least once; the job drops the copies a crash can leave by event id).
 *
 * <p>Accounting: every message received is either spooled or dropped (spool full, or the disk
 * failed), counted and logged; every spooled message ends up written to the raw topic, written to
 * the quarantine topic, kept in the dead-letter directory (Kafka refuses it: too large), or is
 * still in the spool.
 */
public final class Bridge implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Bridge.class);
    public static final String QUARANTINE_REASON = "bridge.quarantine_reason";
    public static final String QUARANTINE_DETAIL = "bridge.quarantine_detail";

    private final BridgeConfig config;
    private final ObjectMapper mapper = new ObjectMapper();
    private final Metrics metrics = new Metrics();
    private final ChainTracker chains = new ChainTracker();
    private final AccessControl access;
    private final Spool spool;
    private final Path deadLetters;
    private final MqttSubscription mqtt;
    private final ScheduledExecutorService scheduler;
    private final Thread sender;
    private HttpEndpoint http;

    private final LongAdder received;
    private final LongAdder receivedBytes;
    private final Metrics.Labeled dropped;
    private final Metrics.Labeled written;
    private final Metrics.Labeled quarantined;
    private final LongAdder deadLettered;
    private final LongAdder kafkaErrors;

    private volatile boolean stopping;
    private volatile long deadline = Long.MAX_VALUE;
    private volatile long lastDropAt;
    private volatile long kafkaUnreachableSince;
    private volatile String kafkaLastError = "";
    private volatile int generation;
    private volatile RuntimeException sendFailure;
    private volatile String rewindReason;

    /** Why the sender stopped before a shutdown (the disk failed under it); null while it runs. */
    private volatile String senderStopped;

    private long lastAckedSeen = -1;
    private long lastAdvanceAt = System.currentTimeMillis();
    private long lastDropLogAt;
    private long dropsSinceLog;

    private Bridge(BridgeConfig config, AccessControl access) throws IOException {
        this.config = config;
        this.access = access;
        this.spool =
                Spool.open(config.spoolDir(), config.spoolMaxBytes(), config.spoolSegmentBytes());
        this.deadLetters = config.spoolDir().resolve("dead-letter");
        if (spool.recoveredTornBytes() > 0) {
            LOG.warn(
                    "the spool at {} ended in a torn write ({} bytes cut, from a crash); the"
                            + " messages before it are kept",
                    config.spoolDir(),
                    spool.recoveredTornBytes());
        }
        if (spool.depth() > 0) {
            LOG.info("{} messages left in the spool by the last run are sent first", spool.depth());
        }
        received =
                metrics.counter(
                        "naap_bridge_messages_received_total",
                        "Messages received from the Streamr node.");
        receivedBytes =
                metrics.counter("naap_bridge_received_bytes_total", "Payload bytes received.");
        dropped =
                metrics.labeled(
                        "naap_bridge_messages_dropped_total",
                        "Messages that could not be spooled (spool_full, spool_error): lost.",
                        "reason");
        written =
                metrics.labeled(
                        "naap_bridge_messages_written_total",
                        "Messages Kafka acknowledged, by topic.",
                        "topic");
        quarantined =
                metrics.labeled(
                        "naap_bridge_messages_quarantined_total",
                        "Messages sent to the quarantine topic instead of the raw topic, by"
                                + " reason.",
                        "reason");
        deadLettered =
                metrics.counter(
                        "naap_bridge_dead_letters_total",
                        "Messages Kafka refused for good (e.g. larger than the topic allows),"
                                + " kept in the dead-letter directory.");
        kafkaErrors =
                metrics.counter(
                        "naap_bridge_kafka_errors_total",
                        "Kafka sends that failed (unreachable, timed out, refused); the"
                                + " messages stay in the spool and are sent again.");
        metrics.gauge(
                "naap_bridge_spool_depth_messages",
                "Messages in the spool not yet acknowledged by Kafka.",
                spool::depth);
        metrics.gauge("naap_bridge_spool_depth_bytes", "Bytes of those.", spool::depthBytes);
        metrics.gauge("naap_bridge_spool_max_bytes", "The spool's bound.", config::spoolMaxBytes);
        metrics.gauge(
                "naap_bridge_kafka_reachable",
                "0 while Kafka does not take messages.",
                () -> kafkaUnreachableSince == 0 ? 1 : 0);
        metrics.counter(
                "naap_bridge_chain_gaps_total",
                "Gaps the Streamr sequence numbers show in publisher chains.",
                chains::gaps);
        metrics.counter(
                "naap_bridge_chain_missed_messages_total",
                "Messages missing in those gaps.",
                chains::missed);
        metrics.counter(
                "naap_bridge_chain_duplicates_total",
                "Messages at or before their chain's last one (redeliveries, out of order);"
                        + " written on, the job drops copies by event id.",
                chains::duplicates);
        metrics.counter(
                "naap_bridge_chains_resumed_total",
                "Chains that went on after the bridge was disconnected: what they published"
                        + " meanwhile was not received.",
                chains::resumed);
        metrics.gauge("naap_bridge_chains", "Publisher chains followed.", chains::chains);
        metrics.counter(
                "naap_bridge_access_reloads_total",
                "Times the access file was reloaded after a change.",
                access::reloads);
        metrics.counter(
                "naap_bridge_access_reload_errors_total",
                "Changed access files that were invalid (the previous list stays).",
                access::reloadErrors);
        this.mqtt = new MqttSubscription(config, new Handler(), metrics);
        this.sender = new Thread(this::sendLoop, "naap-bridge-sender");
        this.scheduler =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "naap-bridge-housekeeping");
                            t.setDaemon(true);
                            return t;
                        });
    }

    /**
     * Starts the bridge: opens the spool (sending what a previous run left), starts the sender, the
     * HTTP endpoint and the MQTT subscription; returns once subscribed.
     *
     * @throws BridgeException when the node refuses the key or a subscription, or the access file
     *     is invalid
     */
    public static Bridge start(BridgeConfig config) throws IOException, InterruptedException {
        AccessControl access =
                config.accessFile() == null
                        ? AccessControl.allowAll()
                        : AccessControl.load(config.accessFile());
        Bridge bridge = new Bridge(config, access);
        try {
            bridge.begin();
        } catch (RuntimeException | IOException | InterruptedException e) {
            bridge.close();
            throw e;
        }
        return bridge;
    }

    private void begin() throws IOException, InterruptedException {
        sender.start();
        if (config.httpPort() >= 0) {
            http = new HttpEndpoint(config.httpHost(), config.httpPort(), metrics, this::health);
        }
        scheduler.scheduleWithFixedDelay(
                this::syncSpool,
                config.spoolSyncIntervalMs(),
                config.spoolSyncIntervalMs(),
                TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(
                access::reloadIfChanged,
                config.accessReloadSeconds(),
                config.accessReloadSeconds(),
                TimeUnit.SECONDS);
        scheduler.scheduleWithFixedDelay(this::watchKafka, 1, 1, TimeUnit.SECONDS);
        scheduler.scheduleWithFixedDelay(this::logProgress, 60, 60, TimeUnit.SECONDS);
        mqtt.start();
    }

    /** The HTTP port the endpoint listens on, or -1 when it is off. */
    public int httpPort() {
        return http == null ? -1 : http.port();
    }

    public Metrics metrics() {
        return metrics;
    }

    /** The counts a test or the progress line reads. */
    public record Counts(
            long received,
            long dropped,
            long writtenRaw,
            long writtenQuarantine,
            long deadLetters,
            long spoolDepth,
            long kafkaErrors,
            long gaps,
            long resumedChains,
            long duplicates) {}

    public Counts counts() {
        return new Counts(
                received.sum(),
                dropped.total(),
                written.get(config.topic()),
                written.get(config.quarantineTopic()),
                deadLettered.sum(),
                spool.depth(),
                kafkaErrors.sum(),
                chains.gaps(),
                chains.resumed(),
                chains.duplicates());
    }

    public long quarantined(String reason) {
        return quarantined.get(reason);
    }

    public boolean mqttConnected() {
        return mqtt.connected();
    }

    /** On Paho's callback thread: check, follow, spool; never waits for Kafka. */
    private final class Handler implements MqttSubscription.Handler {
        @Override
        public void onMessage(String topic, byte[] payload) {
            long now = System.currentTimeMillis();
            received.increment();
            receivedBytes.add(payload.length);
            StreamrMessage m = StreamrMessage.of(mapper, topic, payload, now);
            ChainTracker.Verdict v =
                    chains.observe(
                            m.publisherId(), m.msgChainId(), m.timestamp(), m.sequenceNumber());
            if (v.kind() == ChainTracker.Kind.GAP) {
                LOG.warn(
                        "gap in the chain {}/{}: {} message(s) before {}/{} never came",
                        m.publisherId(),
                        m.msgChainId(),
                        v.missed(),
                        m.timestamp(),
                        m.sequenceNumber());
            }
            AccessPolicy.Decision d = access.check(m);
            ProducerRecord<byte[], byte[]> r =
                    KafkaRecords.of(d.allowed() ? config.topic() : config.quarantineTopic(), m);
            List<SpoolEntry.Header> headers = new ArrayList<>();
            for (Header h : r.headers()) {
                headers.add(new SpoolEntry.Header(h.key(), h.value()));
            }
            if (!d.allowed()) {
                quarantined.increment(d.reason());
                headers.add(new SpoolEntry.Header(QUARANTINE_REASON, utf8(d.reason())));
                if (d.detail() != null) {
                    headers.add(new SpoolEntry.Header(QUARANTINE_DETAIL, utf8(d.detail())));
                }
            }
            long seq;
            try {
                seq = spool.append(r.topic(), r.key(), r.value(), headers);
            } catch (IOException e) {
                drop(now, "spool_error", e.toString());
                return;
            }
            if (seq < 0) {
                drop(now, "spool_full", null);
            }
        }

        @Override
        public void onDisconnected(long at) {
            chains.interrupted();
        }
    }

    /** Loud, but at most one log line per 10 s, with the count since the last. */
    private void drop(long now, String reason, String error) {
        dropped.increment(reason);
        lastDropAt = now;
        dropsSinceLog++;
        if (now - lastDropLogAt >= 10_000) {
            LOG.error(
                    "DROPPING MESSAGES: {} message(s) could not be spooled ({}{}); the spool at {}"
                            + " holds {} bytes of at most {}; Kafka unreachable since {}. Make"
                            + " Kafka reachable, or raise spool.max-bytes",
                    dropsSinceLog,
                    reason,
                    error == null ? "" : ": " + error,
                    config.spoolDir(),
                    spool.depthBytes(),
                    config.spoolMaxBytes(),
                    kafkaUnreachableSince == 0
                            ? "-"
                            : Instant.ofEpochMilli(kafkaUnreachableSince).toString());
            lastDropLogAt = now;
            dropsSinceLog = 0;
        }
    }

    private KafkaProducer<byte[], byte[]> newProducer() {
        return new KafkaProducer<>(KafkaRecords.producerSettings(config));
    }

    private void sendLoop() {
        KafkaProducer<byte[], byte[]> producer = newProducer();
        long backoff = 100;
        try {
            while (!(stopping && (spool.depth() == 0 || System.currentTimeMillis() > deadline))) {
                if (rewindReason != null) {
                    LOG.warn(
                            "Kafka failed a send ({}); sending again from the oldest message"
                                    + " not acknowledged, with a new producer",
                            rewindReason);
                    Thread.sleep(backoff);
                    backoff = Math.min(backoff * 2, 5000);
                    generation++;
                    producer.close(Duration.ZERO);
                    producer = newProducer();
                    rewindReason = null;
                    spool.rewind();
                }
                SpoolEntry e = spool.poll(100, TimeUnit.MILLISECONDS);
                if (e == null) {
                    continue;
                }
                ProducerRecord<byte[], byte[]> r = toRecord(e);
                while (true) {
                    sendFailure = null;
                    producer.send(r, callback(e, generation));
                    RuntimeException failure = sendFailure;
                    if (failure == null) {
                        break;
                    }
                    // Not taken (no metadata, buffer full: Kafka unreachable): wait, try again.
                    if (!(failure instanceof org.apache.kafka.common.errors.TimeoutException)) {
                        rewindReason = failure.toString();
                        break;
                    }
                    if (stopping && System.currentTimeMillis() > deadline) {
                        break;
                    }
                    Thread.sleep(backoff);
                    backoff = Math.min(backoff * 2, 5000);
                }
                if (sendFailure == null) {
                    backoff = 100;
                }
            }
            long left = Math.max(0, deadline - System.currentTimeMillis());
            producer.close(Duration.ofMillis(stopping ? left : 0));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            producer.close(Duration.ZERO);
        } catch (IOException | RuntimeException e) {
            // Messages are still spooled, but nothing reaches Kafka: the health says DOWN, so that
            // a restart (which sends the spool first) is the remedy.
            senderStopped = e.toString();
            LOG.error(
                    "the sender stopped, nothing more reaches Kafka until the bridge restarts: {}",
                    e.toString(),
                    e);
            producer.close(Duration.ZERO);
        }
    }

    private Callback callback(SpoolEntry e, int gen) {
        Thread senderThread = Thread.currentThread();
        return (metadata, ex) -> {
            if (gen != generation) {
                return; // a producer replaced after a failure: its messages are sent again
            }
            if (ex == null) {
                ack(e);
                written.increment(e.topic());
                if (kafkaUnreachableSince != 0) {
                    LOG.info(
                            "Kafka takes messages again after {} s; {} message(s) in the spool",
                            (System.currentTimeMillis() - kafkaUnreachableSince) / 1000,
                            spool.depth());
                    kafkaUnreachableSince = 0;
                }
                return;
            }
            kafkaErrors.increment();
            kafkaLastError = ex.toString();
            if (ex instanceof RecordTooLargeException || ex instanceof InvalidRecordException) {
                deadLetter(e, ex);
                ack(e);
                return;
            }
            if (kafkaUnreachableSince == 0) {
                kafkaUnreachableSince = System.currentTimeMillis();
                LOG.warn(
                        "Kafka at {} does not take messages ({}); spooling to {}",
                        config.bootstrapServers(),
                        ex.toString(),
                        config.spoolDir());
            }
            if (Thread.currentThread() == senderThread) {
                sendFailure = (RuntimeException) ex;
            } else if (rewindReason == null) {
                rewindReason = ex.toString();
            }
        };
    }

    /**
     * Marks an entry delivered. The spool counts it before it deletes wholly delivered files; a
     * file it could not delete is tried again at the next acknowledgement.
     */
    private void ack(SpoolEntry e) {
        try {
            spool.ack(e.sequence());
        } catch (java.io.UncheckedIOException io) {
            LOG.error("could not delete a delivered spool file in {}: {}", config.spoolDir(), io);
        }
    }

    /** Keeps a message Kafka refuses for good: its value and a note of why, by sequence. */
    private void deadLetter(SpoolEntry e, Exception why) {
        deadLettered.increment();
        try {
            Files.createDirectories(deadLetters);
            String name = String.format("%020d", e.sequence());
            Files.write(deadLetters.resolve(name + ".value"), e.value());
            StringBuilder note = new StringBuilder();
            note.append("topic=").append(e.topic()).append('\n');
            note.append("reason=").append(why).append('\n');
            for (SpoolEntry.Header h : e.headers()) {
                note.append("header.")
                        .append(h.name())
                        .append('=')
                        .append(new String(h.value(), StandardCharsets.UTF_8))
                        .append('\n');
            }
            Files.writeString(deadLetters.resolve(name + ".txt"), note);
            LOG.error(
                    "Kafka refused a message of {} bytes for {} ({}); kept as {}",
                    e.value().length,
                    e.topic(),
                    why.toString(),
                    deadLetters.resolve(name + ".value"));
        } catch (IOException io) {
            LOG.error("could not keep a refused message in {}: {}", deadLetters, io.toString());
        }
    }

    private static ProducerRecord<byte[], byte[]> toRecord(SpoolEntry e) {
        List<Header> headers = new ArrayList<>(e.headers().size());
        for (SpoolEntry.Header h : e.headers()) {
            headers.add(new RecordHeader(h.name(), h.value()));
        }
        return new ProducerRecord<>(e.topic(), null, e.key(), e.value(), headers);
    }

    /**
     * Kafka is unreachable when messages wait and none was acknowledged for 10 s: while Kafka is
     * away, the producer holds what it took and retries, so no send fails to say so.
     */
    private void watchKafka() {
        long now = System.currentTimeMillis();
        long acked = spool.acked();
        if (spool.depth() == 0 || acked != lastAckedSeen) {
            lastAckedSeen = acked;
            lastAdvanceAt = now;
        } else if (now - lastAdvanceAt >= 10_000 && kafkaUnreachableSince == 0) {
            kafkaUnreachableSince = lastAdvanceAt;
            LOG.warn(
                    "Kafka at {} acknowledged nothing for {} s with {} message(s) waiting;"
                            + " spooling to {}",
                    config.bootstrapServers(),
                    (now - lastAdvanceAt) / 1000,
                    spool.depth(),
                    config.spoolDir());
        }
    }

    private void syncSpool() {
        try {
            spool.sync();
        } catch (IOException e) {
            LOG.error("could not force the spool at {} to disk: {}", config.spoolDir(), e);
        }
    }

    private void logProgress() {
        Counts c = counts();
        LOG.info(
                "bridge: {} received, {} written to {}, {} quarantined, {} dropped, {} in the"
                        + " spool; MQTT {}, Kafka {}",
                c.received(),
                c.writtenRaw(),
                config.topic(),
                c.writtenQuarantine(),
                c.dropped(),
                c.spoolDepth(),
                mqtt.connected() ? "connected" : "disconnected",
                kafkaUnreachableSince == 0 ? "reachable" : "unreachable");
    }

    /** Up while subscribed and not dropping; a Kafka outage alone is degraded, not down. */
    HttpEndpoint.Health health() {
        long now = System.currentTimeMillis();
        boolean dropping = lastDropAt != 0 && now - lastDropAt < 60_000;
        boolean kafkaUp = kafkaUnreachableSince == 0;
        boolean up = mqtt.connected() && !dropping && senderStopped == null;
        String status = !up ? "DOWN" : kafkaUp ? "UP" : "DEGRADED";
        String json =
                String.format(
                        "{\"status\":\"%s\",\"mqtt\":{\"connected\":%b,\"url\":\"%s\","
                                + "\"last_error\":%s},\"kafka\":{\"reachable\":%b,"
                                + "\"unreachable_since_ms\":%d,\"last_error\":%s},"
                                + "\"spool\":{\"depth\":%d,\"bytes\":%d,\"max_bytes\":%d,"
                                + "\"dropping\":%b},\"sender_stopped\":%s,\"received\":%d}\n",
                        status,
                        mqtt.connected(),
                        config.mqttUrl(),
                        quote(mqtt.lastError()),
                        kafkaUp,
                        kafkaUnreachableSince,
                        quote(kafkaLastError),
                        spool.depth(),
                        spool.depthBytes(),
                        config.spoolMaxBytes(),
                        dropping,
                        senderStopped == null ? "null" : quote(senderStopped),
                        received.sum());
        return new HttpEndpoint.Health(up, json);
    }

    private String quote(String s) {
        try {
            return mapper.writeValueAsString(s == null ? "" : s);
        } catch (IOException e) {
            return "\"\"";
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A clean shutdown: stops receiving, waits up to shutdown.timeout-seconds for Kafka to take the
     * spool, then closes it; what Kafka has not taken stays on disk for the next start.
     */
    @Override
    public void close() {
        mqtt.close();
        deadline = System.currentTimeMillis() + config.shutdownTimeoutSeconds() * 1000;
        stopping = true;
        try {
            if (sender.isAlive()) {
                sender.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        scheduler.shutdownNow();
        if (http != null) {
            http.close();
        }
        long left = spool.depth();
        try {
            spool.close();
        } catch (IOException e) {
            LOG.error("could not close the spool at {}: {}", config.spoolDir(), e.toString());
        }
        if (left > 0) {
            LOG.warn(
                    "{} message(s) stay in the spool at {}: Kafka did not take them within"
                            + " {} s; they are sent at the next start",
                    left,
                    config.spoolDir(),
                    config.shutdownTimeoutSeconds());
        }
        logProgress();
    }
}
