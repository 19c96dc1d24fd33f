package org.livepeer.naap.iceberg;

import java.io.Serializable;

/**
 * Reads one column's value from a record, as a plain Java value: {@link String} for strings, boxed
 * primitives, epoch milliseconds ({@link Long}) or an {@link java.time.Instant} for timestamps,
 * {@code byte[]} for binary, {@link java.math.BigDecimal} for decimals, an array or collection for
 * lists. {@link RowDataMapper} converts it to Flink's internal data for the column's Iceberg type;
 * null means null.
 *
 * @param <T> the record type
 */
@FunctionalInterface
public interface ColumnValue<T> extends Serializable {
    Object of(T record);
}
