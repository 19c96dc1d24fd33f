package org.livepeer.naap.iceberg;

import java.util.Map;

/**
 * Binds a record type to its archive table: the table definition, how its columns are read from the
 * record, and the sink's stable uid and name (its operators' uids derive from the uid, so
 * savepoints survive upgrades: never change it for an existing table).
 *
 * @param <T> the record type that flows into the sink
 */
public record ArchiveSink<T>(
        TableDefinition table, Map<String, ColumnValue<T>> columns, String uid, String name) {}
