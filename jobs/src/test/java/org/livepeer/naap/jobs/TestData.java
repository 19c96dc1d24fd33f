package org.livepeer.naap.jobs;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.livepeer.naap.iceberg.CatalogSettings;

/** Shared by the pipeline tests: the bundled samples, and SQL over a warehouse. */
final class TestData {
    private TestData() {}

    /** The non-blank lines of one bundled sample file. */
    static List<String> sampleLines(String name) throws Exception {
        try (InputStream in =
                TestData.class.getClassLoader().getResourceAsStream("naap/samples/" + name)) {
            List<String> lines = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    lines.add(line);
                }
            }
            return lines;
        }
    }

    /** Runs one SQL statement in batch mode over the catalog and returns every row. */
    static List<Row> query(CatalogSettings catalog, String sql) throws Exception {
        TableEnvironment tEnv = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        catalog.registerAndUse(tEnv);
        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = tEnv.executeSql(sql).collect()) {
            it.forEachRemaining(rows::add);
        }
        return rows;
    }
}
