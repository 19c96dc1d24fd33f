package org.livepeer.naap.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.SqlParserException;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.livepeer.naap.iceberg.CatalogSettings;
import org.livepeer.naap.jobs.Options.UsageException;

/**
 * {@code ./naap query "SQL"}: Flink SQL in batch mode over the Iceberg warehouse. Tables are
 * addressed as {@code naap.<table>}; the output is a table, or JSON Lines with {@code --format
 * json}.
 */
public final class QueryCommand {
    static final String USAGE = "./naap query [--warehouse DIR] [--format table|json] \"SQL\"";

    private QueryCommand() {}

    public static void main(String[] args) throws Exception {
        Options options =
                new Options("./naap query")
                        .option(
                                "warehouse",
                                "./naap-data/warehouse",
                                "the warehouse directory of a local run (hadoop catalog)")
                        .option("format", "table", "output format: table or json (JSON Lines)")
                        .option("catalog-name", "naap_lake", "name of the Iceberg catalog")
                        .prefix(
                                JobOptions.CATALOG_PREFIX,
                                "Iceberg catalog property instead of --warehouse, e.g."
                                        + " --catalog.type rest --catalog.uri http://...")
                        .positional("the SQL statement")
                        .parse(args);
        if (options.flagSet("help")) {
            System.out.print(options.help(USAGE));
            return;
        }
        List<String> sql = options.positional();
        if (sql.size() != 1) {
            throw new UsageException(
                    "give one SQL statement in quotes, e.g. ./naap query \"SELECT family, count(*)"
                            + " FROM naap.raw_events GROUP BY family\"");
        }
        String format = options.get("format");
        if (!format.equals("table") && !format.equals("json")) {
            throw new UsageException("--format must be table or json, got " + format);
        }
        Map<String, String> props =
                new LinkedHashMap<>(options.withPrefix(JobOptions.CATALOG_PREFIX));
        if (props.isEmpty()) {
            Path warehouse = Paths.get(options.get("warehouse")).toAbsolutePath().normalize();
            if (!Files.isDirectory(warehouse)) {
                throw new UsageException(
                        "no warehouse at "
                                + warehouse
                                + "; run ./naap run first, or give --warehouse");
            }
            props.put("type", "hadoop");
            props.put("warehouse", warehouse.toString());
        }
        run(new CatalogSettings(options.get("catalog-name"), props), sql.get(0), format);
    }

    static void run(CatalogSettings catalog, String sql, String format) throws Exception {
        TableEnvironment tEnv = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        catalog.registerAndUse(tEnv);
        TableResult result;
        try {
            result = tEnv.executeSql(sql);
        } catch (ValidationException | SqlParserException e) {
            String message = rootMessage(e);
            int cut = message.indexOf("Was expecting");
            throw new UsageException(
                    "the SQL is not valid here: "
                            + (cut > 0 ? message.substring(0, cut).trim() : message)
                            + " (tables are naap.<table>; SHOW TABLES IN naap lists them; quote"
                            + " reserved column names such as `raw` in backticks)");
        }
        if (format.equals("table")) {
            result.print();
            return;
        }
        ObjectMapper mapper = new ObjectMapper();
        List<String> columns = result.getResolvedSchema().getColumnNames();
        try (CloseableIterator<Row> rows = result.collect()) {
            while (rows.hasNext()) {
                Row row = rows.next();
                ObjectNode node = mapper.createObjectNode();
                for (int i = 0; i < columns.size(); i++) {
                    Object v = row.getField(i);
                    if (v == null) {
                        node.putNull(columns.get(i));
                    } else if (v instanceof Number
                            || v instanceof Boolean
                            || v instanceof String
                            || v instanceof Object[]
                            || v instanceof java.util.Map) {
                        node.set(columns.get(i), mapper.valueToTree(v));
                    } else if (v instanceof byte[] bytes) {
                        node.put(
                                columns.get(i),
                                java.util.Base64.getEncoder().encodeToString(bytes));
                    } else {
                        node.put(columns.get(i), String.valueOf(v));
                    }
                }
                System.out.println(mapper.writeValueAsString(node));
            }
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
