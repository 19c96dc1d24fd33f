package org.livepeer.naap.iceberg;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.RowData;
import org.apache.iceberg.DistributionMode;
import org.apache.iceberg.Schema;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.flink.sink.IcebergSink;
import org.livepeer.naap.schemas.Rejection;
import org.livepeer.naap.schemas.TelemetryEvent;
import org.livepeer.naap.schemas.output.Alert;
import org.livepeer.naap.schemas.output.CapabilityRow;
import org.livepeer.naap.schemas.output.JobRow;
import org.livepeer.naap.schemas.output.MetricsRow;
import org.livepeer.naap.schemas.output.NodeTransition;
import org.livepeer.naap.schemas.output.PaymentRow;
import org.livepeer.naap.schemas.output.SessionFact;

/**
 * Attaches Iceberg sinks for the archive tables.
 *
 * <p>Each sink ensures its table (see {@link NaapTables#ensureTable}) while the job graph is built,
 * maps records to {@link RowData} by column name ({@link RowDataMapper}), and writes through
 * Iceberg's Sink-V2 {@link IcebergSink}: writers flush data files at each checkpoint and a single
 * committer commits them to the table once the checkpoint completes; the committer records the
 * checkpoint id with its stable operator id in each snapshot, so a restart neither loses nor
 * repeats a commit. {@code IcebergSink} rather than the older {@code FlinkSink}: it is built on
 * Flink's Sink-V2 API, while {@code FlinkSink} chains custom operators outside it, and {@code
 * FlinkSink}'s committer has an open report of lost files with unaligned checkpoints
 * (apache/iceberg#15846). {@code IcebergSink} is still marked experimental in Iceberg 1.11; the
 * integration test proves its commit on checkpoint with Flink 2.1.
 *
 * <p>Rows are written without a shuffle ({@link DistributionMode#NONE}): a hash by partition would
 * send each day and family to one writer, and a few families carry most events; the price is more,
 * smaller files per checkpoint, for compaction to merge.
 */
public final class IcebergSinks {

    public static final String RAW_EVENTS_UID = "iceberg-sink-raw-events";
    public static final String RAW_EVENTS_NAME = "Iceberg naap.raw_events";
    public static final String REJECTED_EVENTS_UID = "iceberg-sink-rejected-events";
    public static final String REJECTED_EVENTS_NAME = "Iceberg naap.rejected_events";

    public static final String SESSIONS_UID = "iceberg-sink-sessions";
    public static final String SESSIONS_NAME = "Iceberg naap.sessions";

    public static final String NODE_STATUS_UID = "iceberg-sink-node-status";
    public static final String NODE_STATUS_NAME = "Iceberg naap.node_status";

    public static final String ALERTS_UID = "iceberg-sink-alerts";
    public static final String ALERTS_NAME = "Iceberg naap.alerts";

    public static final String METRICS_1M_UID = "iceberg-sink-metrics-1m";
    public static final String METRICS_1M_NAME = "Iceberg naap.metrics_1m";
    public static final String METRICS_1H_UID = "iceberg-sink-metrics-1h";
    public static final String METRICS_1H_NAME = "Iceberg naap.metrics_1h";

    public static final String CAPABILITIES_UID = "iceberg-sink-capabilities";
    public static final String CAPABILITIES_NAME = "Iceberg naap.capabilities";
    public static final String PAYMENTS_UID = "iceberg-sink-payments";
    public static final String PAYMENTS_NAME = "Iceberg naap.payments";

    public static final String JOBS_UID = "iceberg-sink-jobs";
    public static final String JOBS_NAME = "Iceberg naap.jobs";

    /** Suffix of the uid (and name) of the operator that maps records to rows before a sink. */
    public static final String ROWS_SUFFIX = "-rows";

    public static final ArchiveSink<TelemetryEvent> RAW_EVENTS =
            new ArchiveSink<>(
                    NaapTables.RAW_EVENTS, ArchiveRows.RAW_EVENTS, RAW_EVENTS_UID, RAW_EVENTS_NAME);

    public static final ArchiveSink<Rejection> REJECTED_EVENTS =
            new ArchiveSink<>(
                    NaapTables.REJECTED_EVENTS,
                    ArchiveRows.REJECTED_EVENTS,
                    REJECTED_EVENTS_UID,
                    REJECTED_EVENTS_NAME);

    public static final ArchiveSink<SessionFact> SESSIONS =
            new ArchiveSink<>(
                    NaapTables.SESSIONS, ArchiveRows.SESSIONS, SESSIONS_UID, SESSIONS_NAME);

    public static final ArchiveSink<NodeTransition> NODE_STATUS =
            new ArchiveSink<>(
                    NaapTables.NODE_STATUS,
                    ArchiveRows.NODE_STATUS,
                    NODE_STATUS_UID,
                    NODE_STATUS_NAME);

    public static final ArchiveSink<MetricsRow> METRICS_1M =
            new ArchiveSink<>(
                    NaapTables.METRICS_1M, ArchiveRows.METRICS, METRICS_1M_UID, METRICS_1M_NAME);

    public static final ArchiveSink<MetricsRow> METRICS_1H =
            new ArchiveSink<>(
                    NaapTables.METRICS_1H, ArchiveRows.METRICS, METRICS_1H_UID, METRICS_1H_NAME);

    public static final ArchiveSink<Alert> ALERTS =
            new ArchiveSink<>(NaapTables.ALERTS, ArchiveRows.ALERTS, ALERTS_UID, ALERTS_NAME);

    /** Archives alert records into {@code naap.alerts}. */
    public static DataStreamSink<RowData> alerts(
            DataStream<Alert> alerts, CatalogSettings catalog) {
        return append(alerts, catalog, ALERTS);
    }

    /** Archives one-minute metric rows into {@code naap.metrics_1m}. */
    public static DataStreamSink<RowData> metrics1m(
            DataStream<MetricsRow> rows, CatalogSettings catalog) {
        return append(rows, catalog, METRICS_1M);
    }

    /** Archives one-hour metric rows into {@code naap.metrics_1h}. */
    public static DataStreamSink<RowData> metrics1h(
            DataStream<MetricsRow> rows, CatalogSettings catalog) {
        return append(rows, catalog, METRICS_1H);
    }

    public static final ArchiveSink<CapabilityRow> CAPABILITIES =
            new ArchiveSink<>(
                    NaapTables.CAPABILITIES,
                    ArchiveRows.CAPABILITIES,
                    CAPABILITIES_UID,
                    CAPABILITIES_NAME);

    /** Archives capability snapshot rows into {@code naap.capabilities}. */
    public static DataStreamSink<RowData> capabilities(
            DataStream<CapabilityRow> rows, CatalogSettings catalog) {
        return append(rows, catalog, CAPABILITIES);
    }

    public static final ArchiveSink<PaymentRow> PAYMENTS =
            new ArchiveSink<>(
                    NaapTables.PAYMENTS, ArchiveRows.PAYMENTS, PAYMENTS_UID, PAYMENTS_NAME);

    public static final ArchiveSink<JobRow> JOBS =
            new ArchiveSink<>(NaapTables.JOBS, ArchiveRows.JOBS, JOBS_UID, JOBS_NAME);

    private IcebergSinks() {}

    /** Archives normalized payments into {@code naap.payments}. */
    public static DataStreamSink<RowData> payments(
            DataStream<PaymentRow> payments, CatalogSettings catalog) {
        return append(payments, catalog, PAYMENTS);
    }

    /** Archives finished-job reports into {@code naap.jobs}. */
    public static DataStreamSink<RowData> jobs(DataStream<JobRow> jobs, CatalogSettings catalog) {
        return append(jobs, catalog, JOBS);
    }

    /** Archives node liveness transitions into {@code naap.node_status}. */
    public static DataStreamSink<RowData> nodeStatus(
            DataStream<NodeTransition> transitions, CatalogSettings catalog) {
        return append(transitions, catalog, NODE_STATUS);
    }

    /** Archives final session facts into {@code naap.sessions}. */
    public static DataStreamSink<RowData> sessions(
            DataStream<SessionFact> finalFacts, CatalogSettings catalog) {
        return append(finalFacts, catalog, SESSIONS);
    }

    /** Archives accepted events into {@code naap.raw_events}. */
    public static DataStreamSink<RowData> rawEvents(
            DataStream<TelemetryEvent> events, CatalogSettings catalog) {
        return append(events, catalog, RAW_EVENTS);
    }

    /** Archives rejected inputs into {@code naap.rejected_events}. */
    public static DataStreamSink<RowData> rejectedEvents(
            DataStream<Rejection> rejections, CatalogSettings catalog) {
        return append(rejections, catalog, REJECTED_EVENTS);
    }

    /**
     * Archives {@code input} into the sink's table: ensures the table, maps records to rows (uid
     * {@code <sink uid>-rows}) and attaches the Iceberg sink (uid {@code <sink uid>}).
     *
     * <p>Contacts the catalog while the graph is built. In streaming mode checkpointing must
     * already be enabled on the environment: the sink commits only on checkpoints, so without them
     * no row would ever become visible.
     *
     * @throws IllegalStateException in streaming mode without checkpointing, or when the table
     *     cannot be brought to its definition
     */
    public static <T> DataStreamSink<RowData> append(
            DataStream<T> input, CatalogSettings catalog, ArchiveSink<T> sink) {
        requireCheckpointing(input.getExecutionEnvironment(), sink);
        Schema schema = catalog.withCatalog(c -> NaapTables.ensureTable(c, sink.table()).schema());
        RowDataMapper<T> mapper = RowDataMapper.of(schema, sink.columns());
        DataStream<RowData> rows =
                input.map(mapper, mapper.getProducedType())
                        .uid(sink.uid() + ROWS_SUFFIX)
                        .name(sink.name() + ROWS_SUFFIX);
        return IcebergSink.forRowData(rows)
                .tableLoader(catalog.tableLoader(sink.table().identifier()))
                // the writers read rows with exactly the schema the mapper built them for
                .resolvedSchema(FlinkSchemaUtil.toResolvedSchema(schema))
                .distributionMode(DistributionMode.NONE)
                .uidSuffix(sink.uid())
                .append()
                .name(sink.name());
    }

    private static void requireCheckpointing(StreamExecutionEnvironment env, ArchiveSink<?> sink) {
        boolean streaming =
                env.getConfiguration().get(ExecutionOptions.RUNTIME_MODE)
                        == RuntimeExecutionMode.STREAMING;
        if (streaming && !env.getCheckpointConfig().isCheckpointingEnabled()) {
            throw new IllegalStateException(
                    "The Iceberg sink for "
                            + sink.table().identifier()
                            + " commits on checkpoints, and checkpointing is off: enable it"
                            + " (execution.checkpointing.interval, or"
                            + " env.enableCheckpointing(...)) before attaching the sink");
        }
    }
}
