package org.livepeer.naap.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.InstantiationUtil;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogSettingsTest {

    @TempDir Path dir;

    @Test
    void refusesAnUnknownTypeAndSaysWhatToUse() {
        assertThatThrownBy(() -> new CatalogSettings("lake", Map.of("type", "glue")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Iceberg catalog 'lake': unknown type 'glue'")
                .hasMessageContaining("use hadoop, hive, rest or jdbc")
                .hasMessageContaining("catalog-impl");
    }

    @Test
    void refusesAHadoopCatalogWithoutWarehouse() {
        assertThatThrownBy(() -> new CatalogSettings("lake", Map.of("type", "hadoop")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("(type=hadoop) needs 'warehouse'");
    }

    @Test
    void refusesRestWithoutUriAndJdbcWithoutAJdbcUrl() {
        assertThatThrownBy(() -> new CatalogSettings("lake", Map.of("type", "rest")))
                .hasMessageContaining("(type=rest) needs 'uri'");
        assertThatThrownBy(
                        () ->
                                new CatalogSettings(
                                        "lake",
                                        Map.of(
                                                "type", "jdbc",
                                                "uri", "postgresql://db/iceberg",
                                                "warehouse", "file:///w")))
                .hasMessageContaining("'uri' must be a JDBC URL starting with 'jdbc:'");
    }

    @Test
    void refusesNeitherOrBothOfTypeAndCatalogImplAndFlinksSpelling() {
        assertThatThrownBy(() -> new CatalogSettings("lake", Map.of("warehouse", "file:///w")))
                .hasMessageContaining("has neither 'type' nor 'catalog-impl'");
        assertThatThrownBy(
                        () ->
                                new CatalogSettings(
                                        "lake",
                                        Map.of(
                                                "type",
                                                "hadoop",
                                                "catalog-impl",
                                                "com.example.MyCatalog")))
                .hasMessageContaining("sets both 'type' (hadoop) and 'catalog-impl'");
        assertThatThrownBy(
                        () ->
                                new CatalogSettings(
                                        "lake",
                                        Map.of("catalog-type", "hadoop", "warehouse", "file:///w")))
                .hasMessageContaining("'catalog-type' is the Flink SQL spelling");
        assertThatThrownBy(() -> new CatalogSettings(" ", Map.of("type", "rest", "uri", "x")))
                .hasMessageContaining("catalog name is empty");
    }

    @Test
    void refusesHiveWhenTheMetastoreClientIsNotOnTheClasspath() {
        assertThatThrownBy(() -> new CatalogSettings("lake", Map.of("type", "hive")))
                .hasMessageContaining("needs the Hive metastore client on the classpath");
    }

    @Test
    void translatesIcebergTypeToFlinkCatalogOptions() {
        CatalogSettings hadoop =
                new CatalogSettings("lake", Map.of("type", "HADOOP", "warehouse", "file:///w"));
        assertThat(hadoop.flinkCatalogOptions())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of(
                                "type", "iceberg",
                                "catalog-type", "hadoop",
                                "warehouse", "file:///w"));

        CatalogSettings jdbc =
                new CatalogSettings(
                        "lake",
                        Map.of(
                                "type", "jdbc",
                                "uri", "jdbc:postgresql://db:5432/iceberg",
                                "warehouse", "s3a://bucket/w",
                                "jdbc.user", "naap"));
        assertThat(jdbc.kind()).isEqualTo(CatalogSettings.Kind.JDBC);
        assertThat(jdbc.flinkCatalogOptions())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of(
                                "type", "iceberg",
                                "catalog-impl", "org.apache.iceberg.jdbc.JdbcCatalog",
                                "uri", "jdbc:postgresql://db:5432/iceberg",
                                "warehouse", "s3a://bucket/w",
                                "jdbc.user", "naap"));

        CatalogSettings custom =
                new CatalogSettings("lake", Map.of("catalog-impl", "com.example.MyCatalog"));
        assertThat(custom.kind()).isEqualTo(CatalogSettings.Kind.CUSTOM);
        assertThat(custom.flinkCatalogOptions())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("type", "iceberg", "catalog-impl", "com.example.MyCatalog"));
    }

    @Test
    void readsPrefixedOptionsFromAFlatConfiguration() {
        CatalogSettings settings =
                CatalogSettings.fromPrefixed(
                        "lake",
                        Map.of(
                                "iceberg.catalog.type", "rest",
                                "iceberg.catalog.uri", "http://rest:8181",
                                "kafka.bootstrap", "k:9092"),
                        "iceberg.catalog.");

        assertThat(settings.properties())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("type", "rest", "uri", "http://rest:8181"));
        assertThatThrownBy(() -> CatalogSettings.fromPrefixed("lake", Map.of(), "iceberg.catalog."))
                .hasMessageContaining("set at least iceberg.catalog.type");
    }

    @Test
    void masksSecretsWhenPrinted() {
        CatalogSettings settings =
                new CatalogSettings(
                        "lake",
                        Map.of(
                                "type", "jdbc",
                                "uri", "jdbc:postgresql://db/iceberg",
                                "warehouse", "file:///w",
                                "jdbc.password", "hunter2",
                                "s3.secret-access-key", "abc"));

        assertThat(settings.toString())
                .doesNotContain("hunter2")
                .doesNotContain("abc")
                .contains("jdbc.password=****")
                .contains("uri=jdbc:postgresql://db/iceberg");
    }

    @Test
    void localHadoopLoadsAHadoopCatalogAtTheWarehouseAfterSerialization() throws Exception {
        CatalogSettings settings = CatalogSettings.localHadoop(dir.resolve("warehouse"));
        assertThat(settings.name()).isEqualTo("iceberg");
        assertThat(settings.properties())
                .containsEntry("type", "hadoop")
                .containsEntry("warehouse", "file://" + dir.toAbsolutePath() + "/warehouse");

        CatalogSettings shipped = InstantiationUtil.clone(settings);
        Catalog catalog = InstantiationUtil.clone(shipped.catalogLoader()).loadCatalog();

        assertThat(shipped).isEqualTo(settings);
        assertThat(catalog).isInstanceOf(HadoopCatalog.class);
        assertThat(catalog.name()).isEqualTo("iceberg");
    }

    @Test
    void jdbcCatalogServesTheSinksAndFlinkSqlAlike() throws Exception {
        CatalogSettings settings =
                new CatalogSettings(
                        "lake",
                        Map.of(
                                "type",
                                "jdbc",
                                "uri",
                                "jdbc:h2:file:" + dir.resolve("catalog").toAbsolutePath(),
                                "warehouse",
                                dir.resolve("warehouse").toUri().toString()));

        settings.withCatalog(
                catalog -> {
                    assertThat(catalog).isInstanceOf(JdbcCatalog.class);
                    NaapTables.ensureTables(catalog);
                    return null;
                });

        TableEnvironment sql = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        settings.registerAndUse(sql);
        try (CloseableIterator<Row> tables = sql.executeSql("SHOW TABLES IN naap").collect()) {
            assertThat(tables)
                    .toIterable()
                    .map(row -> row.getField(0))
                    .containsExactlyInAnyOrder(
                            "raw_events",
                            "rejected_events",
                            "sessions",
                            "node_status",
                            "alerts",
                            "capabilities",
                            "payments",
                            "jobs",
                            "metrics_1m",
                            "metrics_1h");
        }
    }
}
