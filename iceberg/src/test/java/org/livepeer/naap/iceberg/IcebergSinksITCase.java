package org.livepeer.naap.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.livepeer.naap.schemas.Rejection;
import org.livepeer.naap.schemas.TelemetryEvent;

/**
 * Writes hand-built events and rejections through the real sinks on a MiniCluster, in streaming
 * mode with checkpointing, into a Hadoop catalog, and reads the committed rows back with Flink SQL
 * through the same catalog registration the jobs use. Rows only become visible through a commit, so
 * every read-back assertion fails when nothing was committed.
 */
class IcebergSinksITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @TempDir Path warehouse;

    @Test
    void archivesEventsAndRejectionsCommittedOnCheckpoints() throws Exception {
        CatalogSettings catalog = CatalogSettings.localHadoop(warehouse);
        List<TelemetryEvent> events =
                List.of(
                        ArchiveFixtures.fullEvent(),
                        ArchiveFixtures.event(
                                "evt-2", "ai_stream_status", ArchiveFixtures.T0.plusSeconds(5), 2),
                        ArchiveFixtures.event(
                                "evt-3", "ai_stream_status", ArchiveFixtures.NEXT_DAY, 3),
                        ArchiveFixtures.event(
                                "evt-4", "stream_trace", ArchiveFixtures.T0.plusSeconds(9), 4),
                        withId(ArchiveFixtures.sparseEvent(), "evt-5", "stream_trace"),
                        ArchiveFixtures.event(
                                "evt-6", "unknown_family", ArchiveFixtures.NEXT_DAY, 6));
        List<Rejection> rejections =
                List.of(
                        ArchiveFixtures.fullRejection(),
                        ArchiveFixtures.malformed(10, ArchiveFixtures.T0),
                        ArchiveFixtures.malformed(11, ArchiveFixtures.NEXT_DAY));

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
        env.setParallelism(2);
        env.enableCheckpointing(100);
        IcebergSinks.rawEvents(
                env.fromData(events, TypeInformation.of(TelemetryEvent.class)), catalog);
        IcebergSinks.rejectedEvents(
                env.fromData(rejections, TypeInformation.of(Rejection.class)), catalog);
        env.execute("iceberg-sinks-itcase");

        TableEnvironment sql = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        catalog.registerAndUse(sql);

        assertThat(query(sql, "SELECT family, COUNT(*) FROM naap.raw_events GROUP BY family"))
                .containsExactlyInAnyOrder(
                        List.of("ai_stream_status", 3L),
                        List.of("stream_trace", 2L),
                        List.of("unknown_family", 1L));
        assertThat(rawEvent(sql, "evt-1"))
                .containsExactlyEntriesOf(ArchiveFixtures.fullEventColumns());
        Map<String, Object> sparse = ArchiveFixtures.sparseEventColumns();
        sparse.put("event_id", "evt-5");
        sparse.put("family", "stream_trace");
        assertThat(rawEvent(sql, "evt-5")).containsExactlyEntriesOf(sparse);

        assertThat(
                        query(
                                sql,
                                "SELECT reason, stage, COUNT(*) FROM naap.rejected_events"
                                        + " GROUP BY reason, stage"))
                .containsExactlyInAnyOrder(
                        List.of("malformed_json", "parse", 2L),
                        List.of("missing_field:id", "validate", 1L));
        assertThat(
                        columns(
                                NaapTables.REJECTED_EVENTS,
                                query(
                                        sql,
                                        "SELECT * FROM naap.rejected_events"
                                                + " WHERE reason = 'missing_field:id'")))
                .containsExactlyEntriesOf(ArchiveFixtures.fullRejectionColumns());

        Table raw = catalog.withCatalog(c -> c.loadTable(NaapTables.RAW_EVENTS.identifier()));
        assertThat(raw.spec().fields())
                .extracting(f -> f.name() + "=" + f.transform())
                .containsExactly("event_time_day=day", "family=identity");
        int june1 = (int) LocalDate.of(2025, 6, 1).toEpochDay();
        int june2 = june1 + 1;
        assertThat(partitions(raw))
                .containsExactlyInAnyOrder(
                        june1 + "/ai_stream_status",
                        june2 + "/ai_stream_status",
                        june1 + "/stream_trace",
                        june2 + "/unknown_family");
        Table rejected =
                catalog.withCatalog(c -> c.loadTable(NaapTables.REJECTED_EVENTS.identifier()));
        for (Table table : List.of(raw, rejected)) {
            Snapshot snapshot = table.currentSnapshot();
            assertThat(snapshot).as(table.name()).isNotNull();
            // The Flink committer records the checkpoint it committed: the rows came in through a
            // checkpoint commit, not some other write.
            assertThat(snapshot.summary())
                    .as(table.name())
                    .containsKey("flink.job-id")
                    .containsKey("flink.max-committed-checkpoint-id");
            assertThat(Long.parseLong(snapshot.summary().get("flink.max-committed-checkpoint-id")))
                    .isPositive();
        }
        assertThat(raw.currentSnapshot().summary()).containsEntry("total-records", "6");
        assertThat(rejected.currentSnapshot().summary()).containsEntry("total-records", "3");
        // Sanity of the hand-computed partition days.
        assertThat(ArchiveFixtures.NEXT_DAY.atZone(ZoneOffset.UTC).toLocalDate().toEpochDay())
                .isEqualTo(june2);
    }

    private static TelemetryEvent withId(TelemetryEvent event, String id, String family) {
        event.eventId = id;
        event.family = family;
        return event;
    }

    private static Map<String, Object> rawEvent(TableEnvironment sql, String eventId) {
        return columns(
                NaapTables.RAW_EVENTS,
                query(sql, "SELECT * FROM naap.raw_events WHERE event_id = '" + eventId + "'"));
    }

    /** The single row of a SELECT * as column name to plain value. */
    private static Map<String, Object> columns(TableDefinition table, List<List<Object>> rows) {
        assertThat(rows).hasSize(1);
        List<Types.NestedField> fields = table.schema().columns();
        Map<String, Object> columns = new LinkedHashMap<>();
        for (int i = 0; i < fields.size(); i++) {
            columns.put(fields.get(i).name(), rows.get(0).get(i));
        }
        return columns;
    }

    private static List<List<Object>> query(TableEnvironment sql, String statement) {
        List<List<Object>> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = sql.executeSql(statement).collect()) {
            while (it.hasNext()) {
                Row row = it.next();
                List<Object> values = new ArrayList<>();
                for (int i = 0; i < row.getArity(); i++) {
                    values.add(ArchiveFixtures.plain(row.getField(i)));
                }
                rows.add(values);
            }
        } catch (Exception e) {
            throw new IllegalStateException(statement, e);
        }
        return rows;
    }

    private static Set<String> partitions(Table table) throws Exception {
        Set<String> partitions = new TreeSet<>();
        try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
            for (FileScanTask task : tasks) {
                partitions.add(
                        task.file().partition().get(0, Integer.class)
                                + "/"
                                + task.file().partition().get(1, String.class));
            }
        }
        return partitions;
    }
}
