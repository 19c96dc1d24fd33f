package org.livepeer.naap.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NaapTablesTest {

    private static final Type TIMESTAMPTZ = Types.TimestampType.withZone();

    @TempDir Path warehouse;

    private HadoopCatalog catalog;

    @BeforeEach
    void openCatalog() {
        catalog = new HadoopCatalog(new Configuration(), warehouse.toUri().toString());
    }

    @AfterEach
    void closeCatalog() throws Exception {
        catalog.close();
    }

    @Test
    void rawEventsHasTheAgreedColumnsAndLayout() {
        Schema schema = NaapTables.RAW_EVENTS.schema();

        assertThat(names(schema))
                .containsExactly(
                        "event_id",
                        "type",
                        "family",
                        "subtype",
                        "shape",
                        "streamr_wrapped",
                        "event_time",
                        "event_time_source",
                        "time_clamped",
                        "envelope_time",
                        "envelope_timestamp",
                        "data_time",
                        "data_timestamp",
                        "gateway",
                        "publisher_id",
                        "streamr_timestamp",
                        "streamr_sequence_number",
                        "streamr_msg_chain_id",
                        "session_id",
                        "stream_id",
                        "request_id",
                        "node_ids",
                        "payload",
                        "raw",
                        "source",
                        "source_topic",
                        "source_partition",
                        "source_offset",
                        "array_index",
                        "ingest_time");
        for (String time :
                List.of(
                        "event_time",
                        "envelope_time",
                        "data_time",
                        "streamr_timestamp",
                        "ingest_time")) {
            assertThat(schema.findType(time)).as(time).isEqualTo(TIMESTAMPTZ);
        }
        assertThat(schema.findType("node_ids"))
                .isEqualTo(Types.ListType.ofOptional(31, Types.StringType.get()));
        assertThat(schema.findField("data_time").isOptional()).isTrue();
        assertThat(schema.findField("event_time").isRequired()).isTrue();
        assertThat(describe(NaapTables.RAW_EVENTS.spec()))
                .containsExactly("event_time_day=day(event_time)", "family=identity(family)");
    }

    @Test
    void rejectedEventsHasTheAgreedColumnsAndLayout() {
        Schema schema = NaapTables.REJECTED_EVENTS.schema();

        assertThat(names(schema))
                .containsExactly(
                        "reason",
                        "detail",
                        "stage",
                        "source",
                        "source_topic",
                        "source_partition",
                        "source_offset",
                        "array_index",
                        "event_id",
                        "type",
                        "ingest_time",
                        "raw_size",
                        "raw_text",
                        "raw");
        assertThat(schema.findType("ingest_time")).isEqualTo(TIMESTAMPTZ);
        assertThat(schema.findType("raw")).isEqualTo(Types.BinaryType.get());
        assertThat(describe(NaapTables.REJECTED_EVENTS.spec()))
                .containsExactly("ingest_time_day=day(ingest_time)");
    }

    @Test
    void paymentsAndJobsHaveTheAgreedColumnsAndLayout() {
        Schema payments = NaapTables.PAYMENTS.schema();
        Schema jobs = NaapTables.JOBS.schema();
        Type wei = Types.DecimalType.of(38, 10);

        assertThat(names(payments))
                .containsExactly(
                        "event_id",
                        "event_time",
                        "gateway",
                        "payment_session_id",
                        "manifest_id",
                        "request_id",
                        "sender",
                        "recipient",
                        "orchestrator_url",
                        "capability",
                        "model",
                        "face_value_text",
                        "face_value_wei",
                        "win_prob",
                        "expected_value_wei",
                        "price_text",
                        "price_wei_per_unit",
                        "price_unit",
                        "num_tickets");
        for (String amount :
                List.of("face_value_wei", "expected_value_wei", "price_wei_per_unit")) {
            assertThat(payments.findType(amount)).as(amount).isEqualTo(wei);
        }
        assertThat(payments.findField("event_time").isRequired()).isTrue();
        assertThat(describe(NaapTables.PAYMENTS.spec()))
                .containsExactly("event_time_day=day(event_time)");

        assertThat(names(jobs))
                .containsExactly(
                        "event_id",
                        "event_time",
                        "family",
                        "kind",
                        "stage",
                        "request_id",
                        "gateway",
                        "orchestrator_url",
                        "orchestrator_address",
                        "pipeline",
                        "model",
                        "success",
                        "duration_ms",
                        "realtime_ratio",
                        "fees_wei",
                        "compute_units",
                        "tokens",
                        "ttft_ms",
                        "tokens_per_second",
                        "error");
        assertThat(jobs.findType("fees_wei")).isEqualTo(wei);
        assertThat(jobs.findType("duration_ms")).isEqualTo(Types.DoubleType.get());
        assertThat(describe(NaapTables.JOBS.spec()))
                .containsExactly("event_time_day=day(event_time)", "kind=identity(kind)");
    }

    @Test
    void everyTableIsParquetZstdFormatTwoAndEveryColumnHasADoc() {
        for (TableDefinition table : NaapTables.ALL) {
            assertThat(table.properties())
                    .as(table.name())
                    .containsEntry("format-version", "2")
                    .containsEntry("write.format.default", "parquet")
                    .containsEntry("write.parquet.compression-codec", "zstd")
                    .containsEntry(NaapTables.VERSION_PROPERTY, Integer.toString(table.version()))
                    .containsKey("comment");
            for (Types.NestedField field : table.schema().columns()) {
                assertThat(field.doc()).as(table.name() + "." + field.name()).isNotBlank();
            }
        }
    }

    @Test
    void createsNamespaceAndTablesWithTheDefinedIdsSpecAndProperties() {
        NaapTables.ensureTables(catalog);

        assertThat(catalog.namespaceExists(NaapTables.NAMESPACE)).isTrue();
        for (TableDefinition definition : NaapTables.ALL) {
            Table table = catalog.loadTable(definition.identifier());
            // The definition's ids are those of a freshly created table: a new column must take
            // the next free id, or this fails.
            assertThat(table.schema().asStruct())
                    .as(definition.name())
                    .isEqualTo(definition.schema().asStruct());
            assertThat(describe(table.spec())).isEqualTo(describe(definition.spec()));
            assertThat(formatVersion(table)).isEqualTo(2);
            assertThat(table.properties())
                    .containsEntry("write.parquet.compression-codec", "zstd")
                    .containsEntry(
                            NaapTables.VERSION_PROPERTY, String.valueOf(definition.version()));
            assertThat(table.currentSnapshot()).isNull();
        }
    }

    @Test
    void ensureTablesIsIdempotentAndCommitsNothingTheSecondTime() {
        NaapTables.ensureTables(catalog);
        List<String> before = metadataLocations();

        NaapTables.ensureTables(catalog);
        NaapTables.ensureTables(catalog);

        assertThat(metadataLocations()).isEqualTo(before);
    }

    @Test
    void addsMissingColumnsToAnOlderTableAndDropsNone() {
        TableDefinition current = NaapTables.RAW_EVENTS;
        // An older definition: no request_id yet, and a column the current one no longer lists.
        List<Types.NestedField> olderColumns = new ArrayList<>();
        for (Types.NestedField field : current.schema().columns()) {
            if (!field.name().equals("request_id")) {
                olderColumns.add(field);
            }
        }
        olderColumns.add(
                Types.NestedField.optional(40, "legacy_note", Types.StringType.get(), "old"));
        Schema older = new Schema(olderColumns);
        catalog.createNamespace(NaapTables.NAMESPACE);
        catalog.buildTable(current.identifier(), older)
                .withPartitionSpec(
                        PartitionSpec.builderFor(older)
                                .day("event_time")
                                .identity("family")
                                .build())
                .withProperty(NaapTables.VERSION_PROPERTY, "0")
                .withProperty("write.parquet.compression-codec", "snappy")
                .create();

        Table table = NaapTables.ensureTable(catalog, current);

        Schema evolved = table.schema();
        List<String> names = names(evolved);
        assertThat(names).contains("legacy_note");
        assertThat(names).contains("request_id");
        assertThat(evolved.findField("request_id").isOptional()).isTrue();
        assertThat(evolved.findField("request_id").doc())
                .isEqualTo(current.schema().findField("request_id").doc());
        assertThat(names(evolved).size()).isEqualTo(current.schema().columns().size() + 1);
        assertThat(table.properties())
                .containsEntry(NaapTables.VERSION_PROPERTY, "1")
                // an operator's choice on an existing table is kept
                .containsEntry("write.parquet.compression-codec", "snappy")
                .containsEntry("write.metadata.delete-after-commit.enabled", "true");
        // The sink maps by name against the live schema: the dropped column is written as null.
        RowDataMapper<?> mapper = RowDataMapper.of(evolved, ArchiveRows.RAW_EVENTS);
        assertThat(mapper.unmappedColumns()).containsExactly("legacy_note");
    }

    @Test
    void leavesATableShapedByANewerDefinitionAlone() {
        NaapTables.ensureTables(catalog);
        Table table = catalog.loadTable(NaapTables.RAW_EVENTS.identifier());
        table.updateSchema().updateColumnDoc("family", "newer doc").commit();
        table.updateProperties().set(NaapTables.VERSION_PROPERTY, "2").commit();

        Table after = NaapTables.ensureTable(catalog, NaapTables.RAW_EVENTS);

        assertThat(after.schema().findField("family").doc()).isEqualTo("newer doc");
        assertThat(after.properties()).containsEntry(NaapTables.VERSION_PROPERTY, "2");
    }

    @Test
    void refusesAnIncompatibleColumnTypeWithAClearMessage() {
        TableIdentifier id = NaapTables.REJECTED_EVENTS.identifier();
        catalog.createNamespace(NaapTables.NAMESPACE);
        catalog.createTable(
                id, new Schema(Types.NestedField.optional(1, "raw_size", Types.StringType.get())));

        assertThatThrownBy(() -> NaapTables.ensureTables(catalog))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("naap.rejected_events")
                .hasMessageContaining("raw_size")
                .hasMessageContaining("a type change needs a new column");
    }

    private List<String> metadataLocations() {
        List<String> locations = new ArrayList<>();
        for (TableDefinition definition : NaapTables.ALL) {
            Table table = catalog.loadTable(definition.identifier());
            locations.add(
                    ((HasTableOperations) table).operations().current().metadataFileLocation());
        }
        return locations;
    }

    private static int formatVersion(Table table) {
        return ((HasTableOperations) table).operations().current().formatVersion();
    }

    private static List<String> names(Schema schema) {
        return schema.columns().stream().map(Types.NestedField::name).toList();
    }

    private static List<String> describe(PartitionSpec spec) {
        List<String> fields = new ArrayList<>();
        for (PartitionField field : spec.fields()) {
            fields.add(
                    field.name()
                            + "="
                            + field.transform()
                            + "("
                            + spec.schema().findColumnName(field.sourceId())
                            + ")");
        }
        return fields;
    }
}
