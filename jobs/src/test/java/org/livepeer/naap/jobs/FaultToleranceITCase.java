package org.livepeer.naap.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.util.MiniClusterWithClientResource;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.livepeer.naap.iceberg.CatalogSettings;
import org.livepeer.naap.iceberg.IcebergSinks;
import org.livepeer.naap.iceberg.NaapTables;
import org.livepeer.naap.iceberg.TableDefinition;
import org.livepeer.naap.jobs.io.KafkaConnectors;
import org.livepeer.naap.schemas.RawRecord;
import org.livepeer.naap.schemas.Rejection;
import org.livepeer.naap.schemas.output.Alert;
import org.livepeer.naap.schemas.output.MetricsRow;
import org.livepeer.naap.schemas.output.NodeTransition;
import org.livepeer.naap.testkit.KafkaTestBroker;
import org.livepeer.naap.workload.MessConfig;
import org.livepeer.naap.workload.OutcomeMix;
import org.livepeer.naap.workload.WorkloadConfig;
import org.livepeer.naap.workload.WorkloadGenerator;

/**
 * Exactly-once end to end, with real components only: a KRaft broker in this JVM (Kafka's own test
 * kit), the job wired as {@link TelemetryJob} wires it (the Kafka raw source, every live output to
 * Kafka with {@code exactly-once} delivery, every Iceberg table on a hadoop catalog), checkpoints
 * every 400 ms on the filesystem, a fixed-delay restart strategy.
 *
 * <p>A generated network is loaded once into the raw topic. A clean run writes topic set {@code a}
 * and warehouse {@code a}; every other run reads the same raw topic (with its own consumer group)
 * into its own topics and warehouse. Iceberg tables are read back with Iceberg's generic reader,
 * Kafka topics with {@code isolation.level=read_committed} to their last stable offsets (and no
 * transaction may be left open). No column is left out: no output holds a processing-time value
 * ({@code ingest_time} is the raw topic's record timestamp, the same in every run; every other time
 * is event time).
 *
 * <p>What makes two runs comparable at all ({@link #twoCleanRunsGiveTheSameRecords}):
 *
 * <ul>
 *   <li>One raw partition (the second source subtask has none and ends at once). With several, the
 *       order in which records of different partitions reach an operator is a matter of fetch
 *       timing, and the job's results depend on it: a redelivered copy in another partition is
 *       sometimes the one deduplication keeps (so {@code raw_events} holds its partition, offset
 *       and ingest time), and the partition that ends first decides the last watermark before the
 *       end of input (see the next point). Watermarks are assigned after parsing, not per partition
 *       in the source, so a subtask reading several partitions would also interleave their event
 *       times.
 *   <li>No periodic watermarks ({@code pipeline.auto-watermark-interval: 0}): the watermark
 *       generator already emits one at every second of event time as events arrive; the periodic
 *       emission adds values in between that depend on how fast the input is read, and at the end
 *       of a bounded input the last watermark before the final one decides whether a session closed
 *       in the last seconds ends by its timer or by the end of input, which gives its final fact
 *       another {@code emitted_at}.
 *   <li>No event behind the watermark: the generator's {@code late} mess (samples delivered 30 to
 *       120 s late, beyond the 10 s bound) is off, every other kind of mess is on. A late event is
 *       applied when it arrives, against whatever watermark the operator has reached by then (the
 *       session tracker also stamps the live update it causes with that watermark), and after a
 *       restore every watermark starts again from nothing (Flink does not checkpoint them), so what
 *       late events do is not a function of the input.
 *   <li>Silence grace off ({@link PipelineConfig#defaults()}), as for any bounded replay: with it,
 *       event time follows the wall clock after 5 s without input, and a stalled run (a restart, a
 *       broker outage) would time out sessions and nodes that a fast run keeps.
 * </ul>
 *
 * Parallelism is 2, so that the keyed stages really shuffle.
 *
 * <p>The windowed metrics ({@code naap.metrics_1m}, {@code naap.metrics_1h}, the metrics topic) are
 * compared like every other output: their rows, revisions and {@code emitted_at} are a function of
 * the input's event times ({@code WindowedMetrics} merges contributions once the watermark passes
 * them, in a canonical order, and emits revisions on a fixed grid of event time; samples and
 * payments are attributed with the snapshots in force at their own time). Within every run, too,
 * both metrics tables hold exactly the rows the metrics topic holds, and every window's revisions
 * are numbered without a gap or a repeat, in order on the topic: a lost or repeated revision in
 * either sink fails the test.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultToleranceITCase {
    private static final int PARALLELISM = 2;
    private static final long CHECKPOINT_MS = 400;
    private static final String RAW_TOPIC = "naap.events.raw";

    /** The input is slowed to about this many records per millisecond, so runs span checkpoints. */
    private static final int RECORDS_PER_MS = 4;

    /** How long the broker stays down in the broker restart runs. */
    private static final long BROKER_DOWN_MS = 10_000;

    /** Checkpoint timeout of the run whose outage outlasts it (10 minutes by default). */
    private static final Duration SHORT_CHECKPOINT_TIMEOUT = Duration.ofSeconds(4);

    /**
     * The Flink cluster, held rather than registered as an extension so that a test can replace its
     * TaskManager.
     */
    private static MiniClusterWithClientResource cluster;

    /** The outputs that must be the same in every run. */
    private static final List<TableDefinition> TABLES =
            List.of(
                    NaapTables.RAW_EVENTS,
                    NaapTables.REJECTED_EVENTS,
                    NaapTables.SESSIONS,
                    NaapTables.NODE_STATUS,
                    NaapTables.CAPABILITIES,
                    NaapTables.PAYMENTS,
                    NaapTables.JOBS,
                    NaapTables.ALERTS);

    private static final List<String> TOPICS = List.of("rejected", "sessions", "nodes", "alerts");

    private static final String METRICS_1M = table(NaapTables.METRICS_1M);
    private static final String METRICS_1H = table(NaapTables.METRICS_1H);
    private static final String METRICS_TOPIC = topic("metrics");

    @TempDir static Path dir;

    private static KafkaTestBroker kafka;
    private static long rawRecords;
    private static Run clean;

    @BeforeAll
    static void loadTheRawTopicAndRunOnceCleanly() throws Exception {
        cluster =
                new MiniClusterWithClientResource(
                        new MiniClusterResourceConfiguration.Builder()
                                .setNumberTaskManagers(1)
                                .setNumberSlotsPerTaskManager(PARALLELISM)
                                .build());
        cluster.before();
        kafka = KafkaTestBroker.start();
        kafka.createTopic(RAW_TOPIC, 1);
        WorkloadConfig config =
                new WorkloadConfig(
                        21,
                        50,
                        6,
                        3,
                        Duration.ofMinutes(20),
                        WorkloadConfig.DEFAULT_START,
                        OutcomeMix.defaults(),
                        MessConfig.all()
                                .with(MessConfig.Kind.LATE, 0)
                                // Over 1 MiB: a broker with default settings refuses it, so it
                                // cannot be in a raw topic.
                                .with(MessConfig.Kind.OVERSIZED, 0));
        Path input = dir.resolve("input");
        new WorkloadGenerator(config).writeTo(input);
        JsonNode truth = new ObjectMapper().readTree(input.resolve("truth/expected.json").toFile());
        rawRecords = load(input.resolve("events.jsonl"));
        assertThat(rawRecords).isEqualTo(truth.path("records").asLong());

        clean = run("a", Fault.NONE);
        assertThat(clean.restarts).isZero();
        RunSummary summary = clean.summary;
        // The clean run accounts for every record as the generator says it must, no event is late
        // ...
        assertThat(summary.recordsIn()).isEqualTo(truth.path("records_in").asLong());
        assertThat(summary.accepted()).isEqualTo(truth.path("accepted").asLong());
        assertThat(summary.rejected()).isEqualTo(truth.path("rejected").asLong());
        assertThat(summary.duplicates()).isEqualTo(truth.path("duplicates").asLong());
        assertThat(summary.duplicates()).isPositive();
        assertThat(summary.late()).isZero();
        // ... its outputs hold what it counted, every one of them a fair number of records, so
        // that comparing with them means something.
        Map<String, List<String>> out = clean.outputs;
        assertThat(out.get(table(NaapTables.RAW_EVENTS))).hasSize((int) summary.accepted());
        assertThat(out.get(table(NaapTables.REJECTED_EVENTS))).hasSize((int) summary.rejected());
        assertThat(out.get(topic("rejected"))).hasSize((int) summary.rejected());
        assertThat(out.get(table(NaapTables.SESSIONS)))
                .hasSize((int) truth.path("sessions").asLong());
        for (Map.Entry<String, List<String>> output : out.entrySet()) {
            assertThat(output.getValue()).as(output.getKey()).hasSizeGreaterThan(10);
        }
        assertThat(clean.metrics.get(METRICS_1H)).hasSizeGreaterThan(10);
        assertThat(clean.metrics.get(METRICS_1M)).hasSizeGreaterThan(100);
    }

    @AfterAll
    static void stopClusterAndKafka() throws Exception {
        if (cluster != null) {
            cluster.after();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    @Order(1)
    void twoCleanRunsGiveTheSameRecords() throws Exception {
        Run again = run("a2", Fault.NONE);
        assertThat(again.restarts).isZero();
        assertSameRecords(again);
    }

    @Test
    @Order(2)
    void aTaskFailureRestoresFromACheckpointAndLosesOrRepeatsNothing() throws Exception {
        Run faulty = run("b", Fault.TASK_FAILURE);

        assertThat(faulty.restarts).isEqualTo(1);
        assertThat(Injector.FAILED_AT.get())
                .as("records through when the task failed")
                .isGreaterThanOrEqualTo(rawRecords * 2 / 5)
                .isLessThan(rawRecords);
        assertRestoredFromACheckpoint();
        // The latest checkpoint completed when the task failed: at least the last one the task
        // had been told of.
        assertThat(Injector.RESTORES.peek().checkpointId)
                .isGreaterThanOrEqualTo(Injector.COMPLETED_AT_FAILURE.get());
        assertSameRecords(faulty);
    }

    /**
     * The broker stops mid-run and starts again {@link #BROKER_DOWN_MS} later, on the same log
     * directories and port. Kafka clients wait out a short outage by themselves (producers and
     * consumers retry for minutes, checkpoints wait for the Kafka writers' flush), so the job would
     * only stall; to make it recover through its restart strategy while Kafka is away, its
     * TaskManager is lost right after the broker stopped and a new one joins. The restarted job
     * restores its last checkpoint while the broker is down: its Kafka writers abort what the lost
     * attempt left open and its committers commit what the checkpoint holds, waiting for the
     * broker, and it completes once the broker is back.
     */
    @Test
    @Order(3)
    void aBrokerRestartMidRunLosesOrRepeatsNothing() throws Exception {
        Run faulty = run("c", Fault.BROKER_RESTART);

        assertThat(faulty.brokerStoppedAt)
                .as("records through when the broker stopped")
                .isPositive()
                .isLessThan(rawRecords);
        assertThat(faulty.restarts).isEqualTo(1);
        assertRestoredFromACheckpoint();
        assertSameRecords(faulty);
    }

    /**
     * Not true with this connector, hence disabled: an outage longer than the checkpoint timeout
     * fails the checkpoint taken during it (the Kafka writers cannot flush), which fails the job
     * over globally, and a global failover rebuilds the Kafka source's split enumerator from the
     * checkpoint. The rebuilt enumerator of a bounded source finds every partition already assigned
     * and never tells the readers that no more splits will come, so they read to their stopping
     * offsets and then wait forever: the job stays RUNNING, taking empty checkpoints (FLINK-33466,
     * FLINK-31006, open in flink-connector-kafka 5.0.0-2.1). An unbounded source, as {@link
     * TelemetryJob} runs, is not affected. Enable it to check a connector upgrade.
     */
    @Test
    @Order(4)
    @Disabled("a bounded Kafka source never ends after a global failover: FLINK-33466")
    void aBrokerOutageLongerThanTheCheckpointTimeoutLosesOrRepeatsNothing() throws Exception {
        Run faulty = run("d", Fault.BROKER_OUTAGE_PAST_CHECKPOINT_TIMEOUT);

        assertThat(faulty.brokerStoppedAt).isPositive().isLessThan(rawRecords);
        assertThat(faulty.restarts).isPositive();
        assertThat(Injector.RESTORES).allSatisfy(r -> assertThat(r.checkpointId).isPositive());
        assertSameRecords(faulty);
    }

    /**
     * The windowed metrics of two clean runs are the same rows, revisions and record timestamps
     * (also compared by every other test here; kept apart to say so). They were not before {@code
     * WindowedMetrics} merged contributions in a canonical order once the watermark passed them and
     * emitted revisions on a grid of event time (rather than at {@code watermark + 1}), and before
     * {@code PaymentAttribution} learned a payment session's model from its first payment in event
     * time (rather than the first to arrive) and samples and payments were attributed with the
     * snapshots in force at their time (rather than those that had arrived).
     */
    @Test
    @Order(5)
    void metricRowsOfTwoCleanRunsAreTheSame() throws Exception {
        Run again = run("a3", Fault.NONE);
        assertThat(differences(clean.metrics, again.metrics)).isEmpty();
    }

    // ---- runs

    private enum Fault {
        NONE,
        /** A task fails once, after 40 % of the input and a completed checkpoint. */
        TASK_FAILURE,
        /** The broker restarts mid-run, and the TaskManager is lost while it is down. */
        BROKER_RESTART,
        /** The broker restarts mid-run, down for longer than the checkpoint timeout. */
        BROKER_OUTAGE_PAST_CHECKPOINT_TIMEOUT
    }

    /**
     * What a run left: the outputs compared across runs, the metrics outputs, its accounting, how
     * often it restarted, and for a broker restart how many records had passed when it stopped.
     */
    private record Run(
            Map<String, List<String>> outputs,
            Map<String, List<String>> metrics,
            RunSummary summary,
            int restarts,
            long brokerStoppedAt) {}

    private static Run run(String name, Fault fault) throws Exception {
        Injector.reset(fault == Fault.TASK_FAILURE ? rawRecords * 2 / 5 : -1);
        String rejected = "naap.events.rejected." + name;
        String sessions = "naap.sessions.v1." + name;
        String nodes = "naap.nodes.v1." + name;
        String metrics = "naap.metrics.v1." + name;
        String alerts = "naap.alerts.v1." + name;
        // The sinks stamp each record with its event time, ten months before the wall clock here
        // (the network is simulated in January 2026): under the default time retention (7 days,
        // judged on record timestamps) the broker deletes them as soon as their segment rolls,
        // which records that old make it do at once. Kept forever here.
        Map<String, String> keep = Map.of("retention.ms", "-1");
        kafka.createTopic(rejected, 1, keep);
        kafka.createTopic(sessions, 2, keep);
        kafka.createTopic(nodes, 1, keep);
        kafka.createTopic(metrics, 2, keep);
        kafka.createTopic(alerts, 2, keep);

        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 5);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(500));
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(
                CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                dir.resolve("checkpoints-" + name).toUri().toString());
        if (fault == Fault.BROKER_OUTAGE_PAST_CHECKPOINT_TIMEOUT) {
            conf.set(CheckpointingOptions.CHECKPOINTING_TIMEOUT, SHORT_CHECKPOINT_TIMEOUT);
            conf.set(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER, 0);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(conf);
        env.setParallelism(PARALLELISM);
        env.getConfig().setAutoWatermarkInterval(0);
        env.enableCheckpointing(CHECKPOINT_MS);

        CatalogSettings catalog =
                new CatalogSettings(
                        "naap_lake",
                        Map.of(
                                "type",
                                "hadoop",
                                "warehouse",
                                dir.resolve("warehouse-" + name).toString()));
        String bootstrap = kafka.bootstrapServers();
        String delivery = "exactly-once";
        String prefix = "ft-" + name;
        DataStream<RawRecord> raw =
                KafkaConnectors.rawSource(
                                env, bootstrap, Map.of(RAW_TOPIC, "raw"), prefix, "earliest", true)
                        .map(new Injector())
                        .name("Fault injector")
                        .uid("fault-injector");
        TelemetryPipeline.define(
                raw,
                PipelineConfig.defaults(),
                new TelemetryPipeline.Outputs(
                                s -> IcebergSinks.rawEvents(s, catalog),
                                ((OutputSink<Rejection>)
                                                s -> IcebergSinks.rejectedEvents(s, catalog))
                                        .and(
                                                KafkaConnectors.rejectedSink(
                                                        bootstrap, rejected, delivery, prefix)),
                                OutputSink.none(),
                                OutputSink.none(),
                                KafkaConnectors.sessionsSink(bootstrap, sessions, delivery, prefix),
                                s -> IcebergSinks.sessions(s, catalog),
                                OutputSink.none(),
                                ((OutputSink<NodeTransition>)
                                                s -> IcebergSinks.nodeStatus(s, catalog))
                                        .and(
                                                KafkaConnectors.nodesSink(
                                                        bootstrap, nodes, delivery, prefix)),
                                s -> IcebergSinks.capabilities(s, catalog),
                                s -> IcebergSinks.payments(s, catalog),
                                s -> IcebergSinks.jobs(s, catalog),
                                ((OutputSink<MetricsRow>) s -> IcebergSinks.metrics1m(s, catalog))
                                        .and(
                                                KafkaConnectors.metricsSink(
                                                        bootstrap,
                                                        metrics,
                                                        delivery,
                                                        prefix,
                                                        MetricsRow.MINUTE)),
                                ((OutputSink<MetricsRow>) s -> IcebergSinks.metrics1h(s, catalog))
                                        .and(
                                                KafkaConnectors.metricsSink(
                                                        bootstrap,
                                                        metrics,
                                                        delivery,
                                                        prefix,
                                                        MetricsRow.HOUR)))
                        .withAlerts(
                                ((OutputSink<Alert>) s -> IcebergSinks.alerts(s, catalog))
                                        .and(
                                                KafkaConnectors.alertsSink(
                                                        bootstrap, alerts, delivery, prefix))));

        long started = System.nanoTime();
        JobClient client = env.executeAsync("fault tolerance " + name);
        long brokerStoppedAt = -1;
        JobExecutionResult result;
        try {
            if (fault == Fault.BROKER_RESTART
                    || fault == Fault.BROKER_OUTAGE_PAST_CHECKPOINT_TIMEOUT) {
                brokerStoppedAt = restartBrokerMidRun(client, fault == Fault.BROKER_RESTART);
            }
            result = client.getJobExecutionResult().get(2, TimeUnit.MINUTES);
        } finally {
            if (!client.getJobStatus().get().isGloballyTerminalState()) {
                client.cancel().get(30, TimeUnit.SECONDS);
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        RunSummary summary = RunSummary.fromAccumulators(result.getAllAccumulatorResults());

        Map<String, String> topics =
                Map.of(
                        "rejected", rejected,
                        "sessions", sessions,
                        "nodes", nodes,
                        "metrics", metrics,
                        "alerts", alerts);
        Map<String, List<ConsumerRecord<byte[], byte[]>>> records = new TreeMap<>();
        for (Map.Entry<String, String> t : topics.entrySet()) {
            assertThat(kafka.offsetsInOpenTransactions(t.getValue()))
                    .as("offsets of %s in transactions left open", t.getValue())
                    .isZero();
            records.put(t.getKey(), kafka.readCommittedToEnd(t.getValue()));
        }
        Map<String, List<Record>> tables = new TreeMap<>();
        for (TableDefinition t : TABLES) {
            tables.put(table(t), rows(catalog, t));
        }
        tables.put(METRICS_1M, rows(catalog, NaapTables.METRICS_1M));
        tables.put(METRICS_1H, rows(catalog, NaapTables.METRICS_1H));
        assertSinksAgree(tables, records);

        Map<String, List<String>> outputs = new TreeMap<>();
        for (TableDefinition t : TABLES) {
            outputs.put(table(t), canonical(t.schema(), tables.get(table(t))));
        }
        for (String t : TOPICS) {
            outputs.put(topic(t), rendered(records.get(t)));
        }
        Map<String, List<String>> metricOutputs = new TreeMap<>();
        metricOutputs.put(METRICS_1M, canonical(metricsSchema(), tables.get(METRICS_1M)));
        metricOutputs.put(METRICS_1H, canonical(metricsSchema(), tables.get(METRICS_1H)));
        metricOutputs.put(METRICS_TOPIC, rendered(records.get("metrics")));

        int restarts = Injector.MAX_ATTEMPT.get();
        System.out.printf(
                "run %s (%s): %.1f s, %d restarts, restores %s, failed after %d records, broker"
                        + " stopped after %d, records passed by attempt %s; accumulators: accepted %d of"
                        + " %d records in%n  %s%n",
                name,
                fault,
                seconds,
                restarts,
                Injector.RESTORES,
                Injector.FAILED_AT.get(),
                brokerStoppedAt,
                Injector.passedByAttempt(),
                summary.accepted(),
                summary.recordsIn(),
                sizes(outputs) + ", " + sizes(metricOutputs));
        return new Run(outputs, metricOutputs, summary, restarts, brokerStoppedAt);
    }

    private static String sizes(Map<String, List<String>> outputs) {
        return outputs.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue().size())
                .collect(Collectors.joining(", "));
    }

    /**
     * Stops the broker once the job is well into its input and a checkpoint has completed, replaces
     * the TaskManager while it is down if asked, and starts the broker again {@link
     * #BROKER_DOWN_MS} after it stopped. Returns how many records had passed when it stopped.
     */
    private static long restartBrokerMidRun(JobClient client, boolean loseTaskManager)
            throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (Injector.PASSED.get() < rawRecords * 2 / 5
                || Injector.LAST_COMPLETED_CHECKPOINT.get() <= 0) {
            assertThat(System.currentTimeMillis()).isLessThan(deadline);
            assertThat(client.getJobStatus().get().isGloballyTerminalState()).isFalse();
            Thread.sleep(20);
        }
        long passed = Injector.PASSED.get();
        long stopped = System.currentTimeMillis();
        kafka.stopBroker();
        CompletableFuture<Void> lost = CompletableFuture.completedFuture(null);
        if (loseTaskManager) {
            // Not waited for: tasks blocked on the broker (a Kafka writer's flush) may hold the
            // TaskManager's shutdown until it is back.
            lost = cluster.getMiniCluster().terminateTaskManager(0);
            cluster.getMiniCluster().startTaskManager();
        }
        Thread.sleep(Math.max(0, stopped + BROKER_DOWN_MS - System.currentTimeMillis()));
        kafka.startBroker();
        lost.get(60, TimeUnit.SECONDS);
        return passed;
    }

    // ---- comparing

    /**
     * Every subtask restored its state from one checkpoint, which holds a point of the input after
     * its beginning and before the failure: the records between that point and the failure went
     * through twice (before the failure, and again after the restore), and after the restore
     * exactly the records beyond that point went through, none skipped.
     */
    private static void assertRestoredFromACheckpoint() {
        assertThat(Injector.RESTORES).hasSize(PARALLELISM);
        List<Long> checkpoints =
                Injector.RESTORES.stream().map(Restore::checkpointId).distinct().toList();
        assertThat(checkpoints).singleElement().satisfies(id -> assertThat(id).isPositive());
        long resumedAt = Injector.RESTORES.stream().mapToLong(Restore::position).sum();
        assertThat(resumedAt).isPositive().isLessThan(Injector.passed(0));
        assertThat(Injector.passed(1)).isEqualTo(rawRecords - resumedAt);
    }

    /**
     * Every output that must be the same as the clean run's, the metrics tables and topic among
     * them, holds the same records, and the run's accounting (its accumulators, which begin each
     * attempt at the totals of the checkpoint it restored) is the clean run's.
     */
    private static void assertSameRecords(Run other) {
        assertThat(differences(clean.outputs, other.outputs))
                .as("outputs that differ from the clean run")
                .isEmpty();
        assertThat(differences(clean.metrics, other.metrics))
                .as("metric outputs that differ from the clean run")
                .isEmpty();
        assertThat(other.summary).as("the run's accounting").isEqualTo(clean.summary);
    }

    /**
     * Within one run, the sinks fed by one stream hold the same records: each Kafka record of the
     * nodes topic is a row of {@code naap.node_status}, each final fact of the sessions topic a row
     * of {@code naap.sessions}, each record of the metrics topic a row of {@code naap.metrics_1m}
     * or {@code naap.metrics_1h}, and the other way round. And every metrics window's revisions are
     * numbered 0, 1, 2, ... without a gap or a repeat, on the topic in that order.
     */
    private static void assertSinksAgree(
            Map<String, List<Record>> tables,
            Map<String, List<ConsumerRecord<byte[], byte[]>>> topics)
            throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        Schema nodeSchema = NaapTables.NODE_STATUS.schema();
        List<String> nodeRecords = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : topics.get("nodes")) {
            nodeRecords.add(canonical(nodeSchema, mapper.readTree(r.value())));
        }
        List<Record> nodeRows = tables.get(table(NaapTables.NODE_STATUS));
        assertThat(nodeRecords)
                .as("node transitions on the topic and in naap.node_status")
                .containsExactlyInAnyOrderElementsOf(canonical(nodeSchema, nodeRows));

        Schema sessionSchema = NaapTables.SESSIONS.schema();
        List<String> finals = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : topics.get("sessions")) {
            JsonNode fact = mapper.readTree(r.value());
            if ("final".equals(fact.path("status").asText())) {
                finals.add(canonical(sessionSchema, fact));
            }
        }
        assertThat(finals)
                .as("final facts on the topic and in naap.sessions")
                .containsExactlyInAnyOrderElementsOf(
                        canonical(sessionSchema, tables.get(table(NaapTables.SESSIONS))));

        Schema metricSchema = metricsSchema();
        List<String> metricRecords = new ArrayList<>();
        Map<String, List<Integer>> revisionsOnTopic = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : topics.get("metrics")) {
            JsonNode row = mapper.readTree(r.value());
            metricRecords.add(canonical(metricSchema, row));
            revisionsOnTopic
                    .computeIfAbsent(
                            new String(r.key(), StandardCharsets.UTF_8), k -> new ArrayList<>())
                    .add(row.get("revision").asInt());
        }
        List<Record> metricRows = new ArrayList<>(tables.get(METRICS_1M));
        metricRows.addAll(tables.get(METRICS_1H));
        assertThat(metricRecords)
                .as("metric rows on the topic and in naap.metrics_1m and naap.metrics_1h")
                .containsExactlyInAnyOrderElementsOf(canonical(metricSchema, metricRows));
        Map<String, List<Integer>> revisionsInTables = new TreeMap<>();
        for (Record r : metricRows) {
            String key =
                    r.getField("resolution")
                            + "|"
                            + canonical(Types.TimestampType.withZone(), r.getField("window_start"))
                            + "|"
                            + r.getField("aggregation_level")
                            + "|"
                            + r.getField("orchestrator_address")
                            + "|"
                            + r.getField("pipeline")
                            + "|"
                            + r.getField("model")
                            + "|"
                            + r.getField("gpu_id");
            revisionsInTables
                    .computeIfAbsent(key, k -> new ArrayList<>())
                    .add((Integer) r.getField("revision"));
        }
        for (Map.Entry<String, List<Integer>> e : revisionsOnTopic.entrySet()) {
            assertThat(e.getValue())
                    .as("revisions of %s on the topic", e.getKey())
                    .isEqualTo(countingUp(e.getValue().size()));
        }
        for (Map.Entry<String, List<Integer>> e : revisionsInTables.entrySet()) {
            assertThat(e.getValue())
                    .as("revisions of %s in the tables", e.getKey())
                    .containsExactlyInAnyOrderElementsOf(countingUp(e.getValue().size()));
        }
    }

    private static List<Integer> countingUp(int n) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(i);
        }
        return out;
    }

    private static Schema metricsSchema() {
        assertThat(NaapTables.METRICS_1H.schema().sameSchema(NaapTables.METRICS_1M.schema()))
                .isTrue();
        return NaapTables.METRICS_1M.schema();
    }

    /**
     * The outputs of {@code other} that do not hold the same multiset of records as in {@code
     * reference}, each with how many records are missing and extra, and for a few of the missing
     * ones the fields in which the closest extra record differs.
     */
    private static List<String> differences(
            Map<String, List<String>> reference, Map<String, List<String>> other) {
        assertThat(other.keySet()).isEqualTo(reference.keySet());
        List<String> differences = new ArrayList<>();
        for (String output : reference.keySet()) {
            Map<String, Integer> missing = counts(reference.get(output));
            Map<String, Integer> extra = counts(other.get(output));
            for (String row : new ArrayList<>(missing.keySet())) {
                int common = Math.min(missing.get(row), extra.getOrDefault(row, 0));
                subtract(missing, row, common);
                subtract(extra, row, common);
            }
            if (!missing.isEmpty() || !extra.isEmpty()) {
                differences.add(
                        String.format(
                                "%s: %d records, %d missing, %d extra%s",
                                output,
                                reference.get(output).size(),
                                missing.values().stream().mapToInt(Integer::intValue).sum(),
                                extra.values().stream().mapToInt(Integer::intValue).sum(),
                                closest(missing.keySet(), extra.keySet())));
            }
        }
        return differences;
    }

    private static String closest(Iterable<String> missing, Iterable<String> extra) {
        StringBuilder sb = new StringBuilder();
        int shown = 0;
        for (String m : missing) {
            if (shown++ == 5) {
                break;
            }
            List<String> mf = fields(m);
            List<String> best = null;
            int bestDiff = Integer.MAX_VALUE;
            for (String e : extra) {
                List<String> ef = fields(e);
                int diff = 0;
                for (int i = 0; i < Math.max(mf.size(), ef.size()); i++) {
                    if (i >= mf.size() || i >= ef.size() || !mf.get(i).equals(ef.get(i))) {
                        diff++;
                    }
                }
                if (diff < bestDiff) {
                    bestDiff = diff;
                    best = ef;
                }
            }
            sb.append(System.lineSeparator())
                    .append("  missing ")
                    .append(String.join(" ", mf.subList(0, Math.min(4, mf.size()))));
            if (best == null) {
                sb.append(" (nothing extra): ").append(abbreviated(m));
                continue;
            }
            sb.append(" ... differs from the closest extra in");
            for (int i = 0; i < Math.max(mf.size(), best.size()); i++) {
                String a = i < mf.size() ? mf.get(i) : "";
                String b = i < best.size() ? best.get(i) : "";
                if (!a.equals(b)) {
                    sb.append(" [").append(a).append(" -> ").append(b).append(']');
                }
            }
        }
        if (shown == 0) {
            for (String e : extra) {
                if (shown++ == 3) {
                    break;
                }
                sb.append(System.lineSeparator()).append("  extra ").append(abbreviated(e));
            }
        }
        return sb.toString();
    }

    private static String abbreviated(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    /** The fields of a canonical row or of a rendered Kafka record, for diagnostics. */
    private static List<String> fields(String row) {
        return Arrays.asList(row.split("\t|,(?=\"[a-z_0-9]+\":)"));
    }

    private static Map<String, Integer> counts(List<String> rows) {
        Map<String, Integer> counts = new TreeMap<>();
        rows.forEach(r -> counts.merge(r, 1, Integer::sum));
        return counts;
    }

    private static void subtract(Map<String, Integer> counts, String row, int n) {
        int left = counts.getOrDefault(row, 0) - n;
        if (left == 0) {
            counts.remove(row);
        } else {
            counts.put(row, left);
        }
    }

    private static String table(TableDefinition table) {
        return "iceberg " + table.identifier();
    }

    private static String topic(String kind) {
        return "kafka " + kind;
    }

    // ---- reading

    /** Every row of the table's current snapshot. */
    private static List<Record> rows(CatalogSettings catalog, TableDefinition definition) {
        return catalog.withCatalog(
                c -> {
                    Table table = c.loadTable(definition.identifier());
                    List<Record> rows = new ArrayList<>();
                    try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
                        records.forEach(r -> rows.add(r.copy()));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    return rows;
                });
    }

    /** Kafka records as they are: partition, timestamp, key and value. */
    private static List<String> rendered(List<ConsumerRecord<byte[], byte[]>> records) {
        List<String> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            out.add(
                    "partition="
                            + r.partition()
                            + "\ttimestamp="
                            + r.timestamp()
                            + "\tkey="
                            + (r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8))
                            + "\tvalue="
                            + new String(r.value(), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static List<String> canonical(Schema schema, List<Record> rows) {
        return rows.stream().map(r -> canonical(schema, r)).toList();
    }

    /** Every column of a row, in schema order, as {@code name=value}, tab-separated. */
    private static String canonical(Schema schema, Record row) {
        Map<String, String> columns = new LinkedHashMap<>();
        for (Types.NestedField column : schema.columns()) {
            columns.put(column.name(), canonical(column.type(), row.getField(column.name())));
        }
        return joined(columns);
    }

    /**
     * The columns of {@code schema} read from a JSON record of a live output (which uses the column
     * names, RFC 3339 times and base64 binaries), in the form of {@link #canonical(Schema,
     * Record)}; fields that are not columns are left out.
     */
    private static String canonical(Schema schema, JsonNode json) throws IOException {
        Map<String, String> columns = new LinkedHashMap<>();
        for (Types.NestedField column : schema.columns()) {
            JsonNode value = json.get(column.name());
            columns.put(
                    column.name(), value == null ? "<absent>" : canonical(column.type(), value));
        }
        return joined(columns);
    }

    private static String joined(Map<String, String> columns) {
        return columns.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\t"));
    }

    private static String canonical(Type type, Object value) {
        if (value == null) {
            return "null";
        }
        switch (type.typeId()) {
            case TIMESTAMP:
                Instant at =
                        value instanceof OffsetDateTime o
                                ? o.toInstant()
                                : ((LocalDateTime) value).toInstant(ZoneOffset.UTC);
                return at.toString();
            case BINARY:
            case FIXED:
                ByteBuffer b = ((ByteBuffer) value).duplicate();
                byte[] bytes = new byte[b.remaining()];
                b.get(bytes);
                return HexFormat.of().formatHex(bytes);
            case DOUBLE:
            case FLOAT:
                return Double.toString(((Number) value).doubleValue());
            case INTEGER:
            case LONG:
                return Long.toString(((Number) value).longValue());
            case DECIMAL:
                return ((BigDecimal) value).stripTrailingZeros().toPlainString();
            case LIST:
                Type element = type.asListType().elementType();
                return ((List<?>) value)
                        .stream().map(v -> canonical(element, v)).toList().toString();
            default:
                return value.toString();
        }
    }

    private static String canonical(Type type, JsonNode value) throws IOException {
        if (value.isNull()) {
            return "null";
        }
        switch (type.typeId()) {
            case TIMESTAMP:
                return Instant.parse(value.asText()).toString();
            case BINARY:
            case FIXED:
                return HexFormat.of().formatHex(value.binaryValue());
            case DOUBLE:
            case FLOAT:
                return Double.toString(value.asDouble());
            case INTEGER:
            case LONG:
                return Long.toString(value.asLong());
            case DECIMAL:
                BigDecimal d =
                        value.isNumber() ? value.decimalValue() : new BigDecimal(value.asText());
                return d.stripTrailingZeros().toPlainString();
            case LIST:
                Type element = type.asListType().elementType();
                List<String> items = new ArrayList<>();
                for (JsonNode item : value) {
                    items.add(canonical(element, item));
                }
                return items.toString();
            default:
                return value.asText();
        }
    }

    // ---- input

    /** Sends every non-blank line of the file to the raw topic, in order; returns how many. */
    private static long load(Path events) throws Exception {
        byte[] all = Files.readAllBytes(events);
        long sent = 0;
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
            int start = 0;
            for (int i = 0; i <= all.length; i++) {
                if (i == all.length || all[i] == '\n') {
                    int end = i > start && all[i - 1] == '\r' ? i - 1 : i;
                    byte[] line = Arrays.copyOfRange(all, start, end);
                    if (!new String(line, StandardCharsets.ISO_8859_1).isBlank()) {
                        producer.send(new ProducerRecord<>(RAW_TOPIC, null, line));
                        sent++;
                    }
                    start = i + 1;
                }
            }
            producer.flush();
        }
        return sent;
    }

    /** What a subtask of the injector found when the job restored its state. */
    record Restore(int attempt, long checkpointId, long position) {}

    /**
     * Passes raw records through, slowed to about {@link #RECORDS_PER_MS} per subtask, and fails
     * the job once when armed: at the next record once {@code failAt} records have passed (all
     * subtasks together) and a checkpoint has completed. Its position (records passed by the
     * subtask) is operator state, so that a restore tells from which checkpoint, and from which
     * point of the input, the job resumed. The counters are static: the MiniCluster runs in this
     * JVM.
     */
    static final class Injector extends RichMapFunction<RawRecord, RawRecord>
            implements CheckpointedFunction, CheckpointListener {
        private static final long serialVersionUID = 1L;

        static final AtomicLong FAIL_AT = new AtomicLong(-1);
        static final AtomicBoolean FAILED = new AtomicBoolean();
        static final AtomicLong FAILED_AT = new AtomicLong(-1);
        static final AtomicLong COMPLETED_AT_FAILURE = new AtomicLong(-1);
        static final AtomicLong PASSED = new AtomicLong();
        static final Map<Integer, AtomicLong> PASSED_BY_ATTEMPT = new ConcurrentHashMap<>();
        static final AtomicLong LAST_COMPLETED_CHECKPOINT = new AtomicLong();
        static final AtomicInteger MAX_ATTEMPT = new AtomicInteger();
        static final ConcurrentLinkedQueue<Restore> RESTORES = new ConcurrentLinkedQueue<>();

        private transient ListState<Long> state;
        private transient long position;
        private transient AtomicLong passedInAttempt;

        static void reset(long failAt) {
            FAIL_AT.set(failAt);
            FAILED.set(false);
            FAILED_AT.set(-1);
            COMPLETED_AT_FAILURE.set(-1);
            PASSED.set(0);
            PASSED_BY_ATTEMPT.clear();
            LAST_COMPLETED_CHECKPOINT.set(0);
            MAX_ATTEMPT.set(0);
            RESTORES.clear();
        }

        /** Records passed by all subtasks of one attempt (0 for the first execution). */
        static long passed(int attempt) {
            AtomicLong n = PASSED_BY_ATTEMPT.get(attempt);
            return n == null ? 0 : n.get();
        }

        static Map<Integer, Long> passedByAttempt() {
            Map<Integer, Long> out = new TreeMap<>();
            PASSED_BY_ATTEMPT.forEach((attempt, n) -> out.put(attempt, n.get()));
            return out;
        }

        @Override
        public void open(OpenContext openContext) {
            int attempt = getRuntimeContext().getTaskInfo().getAttemptNumber();
            MAX_ATTEMPT.accumulateAndGet(attempt, Math::max);
            passedInAttempt = PASSED_BY_ATTEMPT.computeIfAbsent(attempt, a -> new AtomicLong());
        }

        @Override
        public RawRecord map(RawRecord record) throws Exception {
            long failAt = FAIL_AT.get();
            if (failAt >= 0
                    && PASSED.get() >= failAt
                    && LAST_COMPLETED_CHECKPOINT.get() > 0
                    && FAILED.compareAndSet(false, true)) {
                FAILED_AT.set(PASSED.get());
                COMPLETED_AT_FAILURE.set(LAST_COMPLETED_CHECKPOINT.get());
                throw new IllegalStateException("injected failure after " + PASSED + " records");
            }
            position++;
            PASSED.incrementAndGet();
            passedInAttempt.incrementAndGet();
            if (position % RECORDS_PER_MS == 0) {
                Thread.sleep(1);
            }
            return record;
        }

        @Override
        public void snapshotState(FunctionSnapshotContext context) throws Exception {
            state.update(List.of(position));
        }

        @Override
        public void initializeState(FunctionInitializationContext context) throws Exception {
            state =
                    context.getOperatorStateStore()
                            .getListState(new ListStateDescriptor<>("position", Long.class));
            position = 0;
            for (Long p : state.get()) {
                position += p;
            }
            if (context.isRestored()) {
                RESTORES.add(
                        new Restore(
                                getRuntimeContext().getTaskInfo().getAttemptNumber(),
                                context.getRestoredCheckpointId().orElse(-1),
                                position));
            }
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            LAST_COMPLETED_CHECKPOINT.accumulateAndGet(checkpointId, Math::max);
        }
    }
}
