package org.livepeer.naap.iceberg;

import java.io.Serializable;
import java.util.Map;
import java.util.Objects;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * One archive table as this code version defines it: name, definition version, schema (with field
 * ids and docs), partition spec and table properties.
 *
 * <p>The field ids are those Iceberg gives a freshly created table (top-level columns first, in
 * order, then nested ids); a table that was created by an older definition and evolved since may
 * hold other ids for later columns, which is why rows are mapped by column name, never by id or
 * position.
 *
 * @param name the table name inside {@link NaapTables#NAMESPACE}
 * @param version raised whenever the definition changes; stored in {@link
 *     NaapTables#VERSION_PROPERTY}
 * @param schema the columns
 * @param spec the partition spec, bound to {@code schema}
 * @param properties every table property the table is created with
 */
public record TableDefinition(
        String name, int version, Schema schema, PartitionSpec spec, Map<String, String> properties)
        implements Serializable {

    public TableDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(spec, "spec");
        properties = Map.copyOf(properties);
        if (version < 1) {
            throw new IllegalArgumentException(
                    "Table " + name + ": definition version must be 1 or more, was " + version);
        }
        if (spec.schema() != schema) {
            throw new IllegalArgumentException(
                    "Table " + name + ": the partition spec must be built for the table's schema");
        }
    }

    /** {@code naap.<name>}. */
    public TableIdentifier identifier() {
        return TableIdentifier.of(NaapTables.NAMESPACE, name);
    }
}
