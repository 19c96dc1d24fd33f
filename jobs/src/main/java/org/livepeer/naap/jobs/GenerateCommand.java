package org.livepeer.naap.jobs;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.util.TimeUtils;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.livepeer.naap.jobs.Options.UsageException;
import org.livepeer.naap.workload.MessConfig;
import org.livepeer.naap.workload.OutcomeMix;
import org.livepeer.naap.workload.TruthSink;
import org.livepeer.naap.workload.WorkloadConfig;
import org.livepeer.naap.workload.WorkloadGenerator;
import org.livepeer.naap.workload.WorkloadSummary;

/**
 * {@code ./naap generate}: a simulated Livepeer network's events and the ground truth of what
 * happened in it, to files ({@code DIR/events.jsonl}, {@code DIR/truth/}) or into a Kafka topic at
 * a given rate.
 */
public final class GenerateCommand {
    static final String USAGE =
            "./naap generate [--seed N] [--sessions N] [--orchestrators N] [--gateways N]"
                    + " [--duration DUR] [--rate EV_PER_S] [--mess LIST] (--out DIR | --kafka"
                    + " BOOTSTRAP --topic T)";

    private GenerateCommand() {}

    static Options declare() {
        WorkloadConfig d = WorkloadConfig.defaults();
        return new Options("./naap generate")
                .option("seed", String.valueOf(d.seed()), "random seed: same seed, same output")
                .option("sessions", String.valueOf(d.sessions()), "stream sessions to simulate")
                .option(
                        "orchestrators",
                        String.valueOf(d.orchestrators()),
                        "orchestrators in the network")
                .option("gateways", String.valueOf(d.gateways()), "gateways in the network")
                .option(
                        "duration",
                        TimeUtils.formatWithHighestUnit(d.duration()),
                        "simulated time over which sessions arrive")
                .option("start", d.start().toString(), "simulated start time (RFC 3339)")
                .option(
                        "mess",
                        "all",
                        "real-world mess: none, all, or kind[=rate],... (kinds in the README)")
                .option("mix", "default", "outcome mix: default, or outcome=weight,...")
                .option("out", "./naap-data/generated", "output directory (files)")
                .option("kafka", null, "write to Kafka at these bootstrap servers instead")
                .option("topic", "naap.events.raw", "Kafka topic to write to")
                .option(
                        "rate",
                        null,
                        "records per second to write (Kafka; default: as fast as possible)");
    }

    public static void main(String[] args) throws Exception {
        Options o = declare().parse(args);
        if (o.flagSet("help")) {
            System.out.print(o.help(USAGE));
            return;
        }
        WorkloadConfig config = config(o);
        long started = System.nanoTime();
        WorkloadSummary summary;
        String where;
        if (o.get("kafka") != null) {
            summary = toKafka(config, o.get("kafka"), o.get("topic"), rate(o));
            where = "Kafka topic " + o.get("topic") + " at " + o.get("kafka");
        } else {
            Path out = Paths.get(o.get("out")).toAbsolutePath().normalize();
            summary = new WorkloadGenerator(config).writeTo(out);
            where = out.resolve("events.jsonl") + " (truth in " + out.resolve("truth") + ")";
        }
        System.out.printf(
                "generated %d records (%d events) in %.1f s to %s%n",
                summary.records(), summary.recordsIn(), (System.nanoTime() - started) / 1e9, where);
        System.out.printf(
                "expected: accepted %d, rejected %d, duplicates %d; dropped %d, late %d%n",
                summary.accepted(),
                summary.rejected(),
                summary.duplicates(),
                summary.dropped(),
                summary.late());
    }

    static WorkloadConfig config(Options o) {
        try {
            Duration duration = o.getDuration("duration");
            return new WorkloadConfig(
                    Long.parseLong(o.get("seed")),
                    positive(o, "sessions"),
                    positive(o, "orchestrators"),
                    positive(o, "gateways"),
                    duration,
                    java.time.Instant.parse(o.get("start")),
                    "default".equals(o.get("mix"))
                            ? OutcomeMix.defaults()
                            : OutcomeMix.parse(o.get("mix")),
                    MessConfig.parse(o.get("mess")));
        } catch (NumberFormatException e) {
            throw new UsageException("--seed must be a whole number, got " + o.get("seed"));
        } catch (java.time.format.DateTimeParseException e) {
            throw new UsageException(
                    "--start must be an RFC 3339 time such as 2026-01-15T12:00:00Z");
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static int positive(Options o, String name) {
        int v = o.getInt(name);
        if (v < 1) {
            throw new UsageException("--" + name + " must be at least 1, got " + v);
        }
        return v;
    }

    private static double rate(Options o) {
        if (o.get("rate") == null) {
            return 0;
        }
        try {
            double r = Double.parseDouble(o.get("rate"));
            if (r <= 0) {
                throw new NumberFormatException();
            }
            return r;
        } catch (NumberFormatException e) {
            throw new UsageException("--rate must be a positive number of records per second");
        }
    }

    /** Writes the records to Kafka in delivery order, paced to {@code rate} records/s if set. */
    static WorkloadSummary toKafka(
            WorkloadConfig config, String bootstrap, String topic, double rate) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("key.serializer", ByteArraySerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        p.put("acks", "all");
        p.put("enable.idempotence", "true");
        p.put("linger.ms", "5");
        long startNanos = System.nanoTime();
        long[] sent = {0};
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            WorkloadSummary summary =
                    new WorkloadGenerator(config)
                            .generate(
                                    (line, deliveryTimeMs) -> {
                                        if (rate > 0) {
                                            long due = startNanos + (long) (sent[0] * 1e9 / rate);
                                            long wait = due - System.nanoTime();
                                            if (wait > 0) {
                                                LockSupport.parkNanos(wait);
                                            }
                                        }
                                        producer.send(
                                                new ProducerRecord<>(
                                                        topic,
                                                        null,
                                                        line.getBytes(StandardCharsets.UTF_8)));
                                        if (++sent[0] % 100_000 == 0) {
                                            System.out.printf("  %d records sent%n", sent[0]);
                                        }
                                    },
                                    new TruthSink() {});
            producer.flush();
            return summary;
        }
    }
}
