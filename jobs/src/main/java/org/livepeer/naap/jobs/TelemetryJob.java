package org.livepeer.naap.jobs;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.livepeer.naap.iceberg.CatalogSettings;
import org.livepeer.naap.iceberg.IcebergSinks;
import org.livepeer.naap.jobs.io.KafkaConnectors;
import org.livepeer.naap.schemas.output.Alert;
import org.livepeer.naap.schemas.output.MetricsRow;
import org.livepeer.naap.schemas.output.NodeTransition;

/**
 * The streaming job as submitted to a Flink cluster ({@code flink run naap-jobs-*-job.jar --kafka
 * ... --catalog.type ...}): reads the raw Kafka topics, archives into Iceberg, and publishes
 * rejected records to Kafka. State backend, restart strategy and parallelism come from the
 * cluster's Flink configuration; checkpointing is switched on here if the cluster left it off,
 * because Kafka offsets and Iceberg commits ride on checkpoints.
 */
public final class TelemetryJob {
    static final String USAGE =
            "flink run naap-jobs-job.jar --kafka BOOTSTRAP --catalog.type TYPE [--catalog.<key> V]...";

    private TelemetryJob() {}

    public static void main(String[] args) throws Exception {
        Options options = JobOptions.declare("TelemetryJob", false).parse(args);
        if (options.flagSet("help")) {
            System.out.print(options.help(USAGE));
            return;
        }
        JobOptions opts = JobOptions.from(options, false);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        if (!env.getCheckpointConfig().isCheckpointingEnabled()) {
            env.enableCheckpointing(opts.checkpointInterval().toMillis());
        }
        CatalogSettings catalog = new CatalogSettings(opts.catalogName(), opts.catalog());
        TelemetryPipeline.define(
                KafkaConnectors.rawSource(
                        env,
                        opts.kafkaBootstrap(),
                        opts.topics(),
                        opts.groupId(),
                        opts.startingOffsets(),
                        false),
                opts.pipeline(),
                new TelemetryPipeline.Outputs(
                        s -> IcebergSinks.rawEvents(s, catalog),
                        ((OutputSink<org.livepeer.naap.schemas.Rejection>)
                                        s -> IcebergSinks.rejectedEvents(s, catalog))
                                .and(
                                        KafkaConnectors.rejectedSink(
                                                opts.kafkaBootstrap(),
                                                opts.rejectedTopic(),
                                                opts.delivery(),
                                                opts.transactionalIdPrefix())),
                        // Duplicates and late events are counted in the job's metrics; late
                        // events are archived in raw_events like any other.
                        OutputSink.none(),
                        OutputSink.none(),
                        KafkaConnectors.sessionsSink(
                                opts.kafkaBootstrap(),
                                opts.sessionsTopic(),
                                opts.delivery(),
                                opts.transactionalIdPrefix()),
                        s -> IcebergSinks.sessions(s, catalog),
                        OutputSink.none(),
                        ((OutputSink<NodeTransition>) s -> IcebergSinks.nodeStatus(s, catalog))
                                .and(
                                        KafkaConnectors.nodesSink(
                                                opts.kafkaBootstrap(),
                                                opts.nodesTopic(),
                                                opts.delivery(),
                                                opts.transactionalIdPrefix())),
                        s -> IcebergSinks.capabilities(s, catalog),
                        s -> IcebergSinks.payments(s, catalog),
                        s -> IcebergSinks.jobs(s, catalog),
                        ((OutputSink<MetricsRow>) s -> IcebergSinks.metrics1m(s, catalog))
                                .and(
                                        KafkaConnectors.metricsSink(
                                                opts.kafkaBootstrap(),
                                                opts.metricsTopic(),
                                                opts.delivery(),
                                                opts.transactionalIdPrefix(),
                                                MetricsRow.MINUTE)),
                        ((OutputSink<MetricsRow>) s -> IcebergSinks.metrics1h(s, catalog))
                                .and(
                                        KafkaConnectors.metricsSink(
                                                opts.kafkaBootstrap(),
                                                opts.metricsTopic(),
                                                opts.delivery(),
                                                opts.transactionalIdPrefix(),
                                                MetricsRow.HOUR)),
                        ((OutputSink<Alert>) s -> IcebergSinks.alerts(s, catalog))
                                .and(
                                        KafkaConnectors.alertsSink(
                                                opts.kafkaBootstrap(),
                                                opts.alertsTopic(),
                                                opts.delivery(),
                                                opts.transactionalIdPrefix()))));
        env.execute("NaaP telemetry");
    }
}
