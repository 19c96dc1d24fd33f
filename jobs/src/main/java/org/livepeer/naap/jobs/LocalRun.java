package org.livepeer.naap.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.TimeUtils;
import org.livepeer.naap.iceberg.CatalogSettings;
import org.livepeer.naap.iceberg.IcebergSinks;
import org.livepeer.naap.jobs.io.FileInputs;
import org.livepeer.naap.jobs.io.JsonLinesFileSink;
import org.livepeer.naap.jobs.io.KafkaConnectors;
import org.livepeer.naap.jobs.io.LiveJson;
import org.livepeer.naap.schemas.RawRecord;
import org.livepeer.naap.schemas.Rejection;
import org.livepeer.naap.schemas.output.Alert;
import org.livepeer.naap.schemas.output.MetricsRow;
import org.livepeer.naap.schemas.output.NodeTransition;
import org.livepeer.naap.schemas.output.SessionFact;
import org.livepeer.naap.workload.WorkloadConfig;
import org.livepeer.naap.workload.WorkloadGenerator;
import org.livepeer.naap.workload.WorkloadSummary;

/**
 * {@code ./naap run}: the job on a local Flink MiniCluster, over files (a generated network by
 * default, or the bundled samples), a Kafka cluster, or the same files through a Kafka broker in
 * this process ({@code --embedded-kafka}, {@link EmbeddedKafkaRun}), with the Iceberg warehouse and
 * the live outputs under one directory:
 *
 * <pre>
 * OUT/warehouse/        Iceberg tables (hadoop catalog), namespace naap
 * OUT/live/*.jsonl      live outputs: rejected, sessions, nodes, metrics, duplicates, late, ...
 * OUT/summary.json      the run's accounting
 * </pre>
 */
public final class LocalRun {
    static final String USAGE =
            "./naap run [--input FILE]... [--samples] [--out DIR] [--embedded-kafka]"
                    + " [--kafka BOOTSTRAP --topics T1,T2]";
    private static final String SAMPLES = "naap/samples/";

    private LocalRun() {}

    public static void main(String[] args) throws Exception {
        Options options = JobOptions.declare("./naap run", true);
        options.flag("append", "keep the warehouse of an earlier file run and add to it");
        options.flag(
                "samples",
                "without --input: run on the bundled real sample events instead of a generated"
                        + " network");
        options.flag(
                "embedded-kafka",
                "the production path on this machine: start a Kafka broker in this process, load"
                        + " the input (as without this flag) into the first --topics topic, run"
                        + " the job on it with every live output on its Kafka topic, and show what"
                        + " the topics hold (committed records) at the end");
        options.flag(
                "via-bridge",
                "with --embedded-kafka: the input reaches Kafka as in production, published to an"
                        + " MQTT broker that behaves like a Streamr node's plugin and written by"
                        + " the Streamr-to-Kafka bridge");
        options.parse(withSampleBound(args));
        if (options.flagSet("help")) {
            System.out.print(options.help(USAGE));
            return;
        }
        JobOptions opts = JobOptions.from(options, true);
        boolean embeddedKafka = options.flagSet("embedded-kafka");
        if (embeddedKafka && opts.kafkaBootstrap() != null) {
            throw new Options.UsageException(
                    "give either --embedded-kafka (a broker in this process) or --kafka, not"
                            + " both");
        }
        if (options.flagSet("via-bridge") && !embeddedKafka) {
            throw new Options.UsageException(
                    "--via-bridge goes with --embedded-kafka; to bridge a real Streamr node, run"
                            + " ./naap bridge");
        }
        Path expected = null;
        if (opts.kafkaBootstrap() == null && opts.inputs().isEmpty()) {
            Path inputDir = opts.out().resolve("input");
            deleteTree(inputDir);
            List<Path> inputs;
            if (options.flagSet("samples")) {
                inputs = extractBundledSamples(inputDir);
                System.out.println("No --input given: running on the bundled sample events");
            } else {
                inputs = List.of(generateDefaultInput(inputDir));
                expected = inputDir.resolve("truth").resolve("expected.json");
            }
            opts = opts.withInputs(inputs);
        }
        Configuration cluster = new Configuration();
        // Accumulators reach the client with each heartbeat: a short interval keeps progress fresh.
        cluster.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, Duration.ofSeconds(1));
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(opts.parallelism(), cluster);
        RunSummary summary =
                embeddedKafka
                        ? EmbeddedKafkaRun.run(
                                        opts,
                                        options.flagSet("append"),
                                        env,
                                        options.flagSet("via-bridge"))
                                .summary()
                        : run(opts, options.flagSet("append"), env);
        if (expected != null) {
            System.out.print(compareWithTruth(summary, expected));
        }
    }

    /**
     * The bundled samples were captured at moments up to 72 minutes apart and are stored in no time
     * order: unless the user says otherwise, {@code --samples} runs with a watermark bound that
     * covers the spread, so that the result does not depend on how fast the file is read.
     */
    private static String[] withSampleBound(String[] args) {
        List<String> list = new ArrayList<>(List.of(args));
        boolean samples = list.contains("--samples");
        boolean bound = list.stream().anyMatch(a -> a.startsWith("--watermark-out-of-orderness"));
        if (samples && !bound) {
            list.add("--watermark-out-of-orderness");
            list.add("2h");
        }
        return list.toArray(new String[0]);
    }

    /** Writes the embedded default, a small simulated network, and says what it is. */
    private static Path generateDefaultInput(Path dir) throws IOException {
        WorkloadConfig config = WorkloadConfig.embedded();
        WorkloadSummary generated = new WorkloadGenerator(config).writeTo(dir);
        System.out.printf(
                "No --input given: running on a generated network (seed %d, %d sessions, %d"
                        + " orchestrators, %d gateways, %s of simulated time, mess on):%n"
                        + "  %d records in %s, ground truth in %s%n",
                config.seed(),
                config.sessions(),
                config.orchestrators(),
                config.gateways(),
                TimeUtils.formatWithHighestUnit(config.duration()),
                generated.records(),
                dir.resolve("events.jsonl"),
                dir.resolve("truth"));
        return dir.resolve("events.jsonl");
    }

    /** The run's accounting beside what the generator says it must be. */
    static String compareWithTruth(RunSummary summary, Path expectedFile) throws IOException {
        JsonNode truth = new ObjectMapper().readTree(expectedFile.toFile());
        long[] want = {
            truth.path("records_in").asLong(),
            truth.path("accepted").asLong(),
            truth.path("rejected").asLong(),
            truth.path("duplicates").asLong()
        };
        long[] got = {
            summary.recordsIn(), summary.accepted(), summary.rejected(), summary.duplicates()
        };
        boolean same = java.util.Arrays.equals(want, got);
        return String.format(
                "generator's truth: records in %d, accepted %d, rejected %d, duplicates %d: %s%n",
                want[0],
                want[1],
                want[2],
                want[3],
                same ? "the run matches it" : "THE RUN DIFFERS: see " + expectedFile);
    }

    /**
     * Runs the job on {@code env}; for file input, waits for the end and returns the summary (for
     * Kafka input, runs until stopped).
     */
    public static RunSummary run(JobOptions opts, boolean append, StreamExecutionEnvironment env)
            throws Exception {
        return run(opts, append, env, false);
    }

    /**
     * @param replay for Kafka input: read up to the offsets latest at the start, from the earliest,
     *     then end like a file run (the embedded broker of {@code --embedded-kafka})
     */
    static RunSummary run(
            JobOptions opts, boolean append, StreamExecutionEnvironment env, boolean replay)
            throws Exception {
        Path live = opts.out().resolve("live");
        List<Path> inputs = opts.inputs();
        boolean files = opts.kafkaBootstrap() == null;
        boolean bounded = files || replay;
        if (files && inputs.isEmpty()) {
            throw new IllegalArgumentException("no input: give files or a Kafka bootstrap");
        }
        deleteTree(live);
        boolean localWarehouse =
                "hadoop".equals(opts.catalog().get("type"))
                        && opts.out()
                                .resolve("warehouse")
                                .toString()
                                .equals(opts.catalog().get("warehouse"));
        if (bounded && localWarehouse && !append) {
            deleteTree(opts.out().resolve("warehouse"));
        }

        env.configure(localRuntime(opts.out()));
        env.enableCheckpointing(opts.checkpointInterval().toMillis());

        DataStream<RawRecord> input =
                files
                        ? FileInputs.of(env, inputs)
                        : KafkaConnectors.rawSource(
                                env,
                                opts.kafkaBootstrap(),
                                opts.topics(),
                                opts.groupId(),
                                replay ? "earliest" : opts.startingOffsets(),
                                replay);
        TelemetryPipeline.define(input, opts.pipeline(), outputs(opts, files));

        long started = System.nanoTime();
        JobClient client = env.executeAsync("NaaP telemetry (local)");
        // Ctrl-C cancels the job rather than leaving it to die with the JVM.
        Thread cancelOnExit = new Thread(() -> cancelQuietly(client), "naap-cancel-on-exit");
        Runtime.getRuntime().addShutdownHook(cancelOnExit);
        JobExecutionResult result;
        try {
            result = awaitWithProgress(client, opts, started);
        } finally {
            Runtime.getRuntime().removeShutdownHook(cancelOnExit);
        }
        RunSummary summary = RunSummary.fromAccumulators(result.getAllAccumulatorResults());
        summary.write(opts.out().resolve("summary.json"));
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("%nNaaP run finished in %.1f s%n", seconds);
        System.out.print(summary.render());
        String table = MetricsTable.render(live.resolve("metrics_1h.jsonl"));
        if (!table.isEmpty()) {
            System.out.print(table);
            System.out.println(
                    "  the same from the archive: ./naap query \"" + MetricsTable.QUERY + "\"");
        }
        String alerts = AlertsSummary.render(live.resolve("alerts.jsonl"));
        if (!alerts.isEmpty()) {
            System.out.print(alerts);
            System.out.println(
                    "  the same from the archive: ./naap query \"" + AlertsSummary.QUERY + "\"");
        }
        System.out.println(
                "warehouse: "
                        + opts.catalog().getOrDefault("warehouse", opts.catalog().toString()));
        System.out.println("live outputs: " + live);
        System.out.println("summary: " + opts.out().resolve("summary.json"));
        System.out.println(
                "next: ./naap query \"SELECT family, count(*) AS events FROM naap.raw_events GROUP"
                        + " BY family\"");
        return summary;
    }

    /**
     * The outputs of a local run: the Iceberg archive and the live outputs as JSON Lines under
     * {@code OUT/live/}; for Kafka input also every live output on its Kafka topic, as the cluster
     * job writes them.
     */
    static TelemetryPipeline.Outputs outputs(JobOptions opts, boolean files) {
        Path live = opts.out().resolve("live");
        CatalogSettings catalog = new CatalogSettings(opts.catalogName(), opts.catalog());
        OutputSink<Rejection> rejected =
                ((OutputSink<Rejection>) s -> IcebergSinks.rejectedEvents(s, catalog))
                        .and(
                                jsonl(
                                        live.resolve("rejected.jsonl"),
                                        LiveJson::rejection,
                                        "rejected"));
        OutputSink<SessionFact> sessions =
                jsonl(live.resolve("sessions.jsonl"), LiveJson::session, "sessions");
        OutputSink<NodeTransition> nodes =
                ((OutputSink<NodeTransition>) s -> IcebergSinks.nodeStatus(s, catalog))
                        .and(jsonl(live.resolve("nodes.jsonl"), LiveJson::node, "nodes"));
        OutputSink<MetricsRow> metrics1m =
                ((OutputSink<MetricsRow>) s -> IcebergSinks.metrics1m(s, catalog))
                        .and(
                                jsonl(
                                        live.resolve("metrics_1m.jsonl"),
                                        LiveJson::metrics,
                                        "metrics-1m"));
        OutputSink<MetricsRow> metrics1h =
                ((OutputSink<MetricsRow>) s -> IcebergSinks.metrics1h(s, catalog))
                        .and(
                                jsonl(
                                        live.resolve("metrics_1h.jsonl"),
                                        LiveJson::metrics,
                                        "metrics-1h"));
        OutputSink<Alert> alerts =
                ((OutputSink<Alert>) s -> IcebergSinks.alerts(s, catalog))
                        .and(jsonl(live.resolve("alerts.jsonl"), LiveJson::alert, "alerts"));
        if (!files) {
            String bootstrap = opts.kafkaBootstrap();
            String delivery = opts.delivery();
            String prefix = opts.transactionalIdPrefix();
            rejected =
                    rejected.and(
                            KafkaConnectors.rejectedSink(
                                    bootstrap, opts.rejectedTopic(), delivery, prefix));
            sessions =
                    sessions.and(
                            KafkaConnectors.sessionsSink(
                                    bootstrap, opts.sessionsTopic(), delivery, prefix));
            nodes =
                    nodes.and(
                            KafkaConnectors.nodesSink(
                                    bootstrap, opts.nodesTopic(), delivery, prefix));
            metrics1m =
                    metrics1m.and(
                            KafkaConnectors.metricsSink(
                                    bootstrap,
                                    opts.metricsTopic(),
                                    delivery,
                                    prefix,
                                    MetricsRow.MINUTE));
            metrics1h =
                    metrics1h.and(
                            KafkaConnectors.metricsSink(
                                    bootstrap,
                                    opts.metricsTopic(),
                                    delivery,
                                    prefix,
                                    MetricsRow.HOUR));
            alerts =
                    alerts.and(
                            KafkaConnectors.alertsSink(
                                    bootstrap, opts.alertsTopic(), delivery, prefix));
        }
        return new TelemetryPipeline.Outputs(
                s -> IcebergSinks.rawEvents(s, catalog),
                rejected,
                jsonl(live.resolve("duplicates.jsonl"), LiveJson::eventPointer, "duplicates"),
                jsonl(live.resolve("late.jsonl"), LiveJson::eventPointer, "late"),
                sessions,
                s -> IcebergSinks.sessions(s, catalog),
                jsonl(
                        live.resolve("late_session_events.jsonl"),
                        LiveJson::eventPointer,
                        "late-session-events"),
                nodes,
                s -> IcebergSinks.capabilities(s, catalog),
                s -> IcebergSinks.payments(s, catalog),
                s -> IcebergSinks.jobs(s, catalog),
                metrics1m,
                metrics1h,
                alerts);
    }

    private static void cancelQuietly(JobClient client) {
        try {
            client.cancel().get(10, TimeUnit.SECONDS);
        } catch (Exception alreadyGone) {
            // The job or the MiniCluster has already stopped: nothing is left to cancel.
        }
    }

    /**
     * What a cluster's Flink configuration would set, chosen for one machine: checkpoints on local
     * disk (the default in-memory storage refuses state over 5 MB, which dedup state reaches within
     * a few hundred thousand events), and a few restarts before a failing run gives up instead of
     * restarting forever.
     */
    static Configuration localRuntime(Path out) {
        Configuration conf = new Configuration();
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(
                CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                out.resolve("checkpoints").toUri().toString());
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 2);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(1));
        return conf;
    }

    private static <T> OutputSink<T> jsonl(
            Path file, JsonLinesFileSink.Encoder<T> encoder, String name) {
        return stream ->
                stream.sinkTo(new JsonLinesFileSink<>(file, encoder))
                        .setParallelism(1)
                        .name("Live " + name)
                        .uid("live-jsonl-" + name);
    }

    private static JobExecutionResult awaitWithProgress(
            JobClient client, JobOptions opts, long started)
            throws InterruptedException, ExecutionException {
        long intervalMs = Math.max(200, opts.progressInterval().toMillis());
        while (true) {
            try {
                return client.getJobExecutionResult().get(intervalMs, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                printProgress(client, started);
            }
        }
    }

    private static void printProgress(JobClient client, long started) {
        try {
            Map<String, Object> acc = client.getAccumulators().get(5, TimeUnit.SECONDS);
            RunSummary s = RunSummary.fromAccumulators(acc);
            double seconds = (System.nanoTime() - started) / 1e9;
            if (s.recordsIn() == 0) {
                System.out.printf("[%6.1fs] running; no records counted yet%n", seconds);
                return;
            }
            System.out.printf(
                    "[%6.1fs] records in %d (%.0f/s): accepted %d, rejected %d, duplicates %d, late %d%n",
                    seconds,
                    s.recordsIn(),
                    s.recordsIn() / Math.max(seconds, 0.001),
                    s.accepted(),
                    s.rejected(),
                    s.duplicates(),
                    s.late());
        } catch (Exception e) {
            // Progress is best effort: the job may be between states; the final summary is exact.
        }
    }

    /**
     * Copies the sample events bundled in the jar to {@code dir}, so a FileSource can read them.
     */
    static List<Path> extractBundledSamples(Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> out = new ArrayList<>();
        ClassLoader loader = LocalRun.class.getClassLoader();
        try (InputStream index = loader.getResourceAsStream(SAMPLES + "INDEX")) {
            if (index == null) {
                throw new IOException("the bundled samples are missing from the build; rebuild");
            }
            for (String name :
                    new String(index.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (name.isBlank()) {
                    continue;
                }
                try (InputStream in = loader.getResourceAsStream(SAMPLES + name.trim())) {
                    Path target = dir.resolve(name.trim());
                    Files.write(target, in.readAllBytes());
                    out.add(target);
                }
            }
        }
        return out;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
