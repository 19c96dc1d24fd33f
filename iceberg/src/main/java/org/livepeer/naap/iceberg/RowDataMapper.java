package org.livepeer.naap.iceberg;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.types.logical.RowType;
import org.apache.iceberg.Schema;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * Turns records into Iceberg-ready {@link RowData} for one table schema, column by column, matched
 * by name. The row type is derived from the Iceberg schema ({@link FlinkSchemaUtil#convert}), and
 * each column's conversion from its Iceberg type, so the mapping and the schema cannot drift apart
 * silently: building the mapper fails when a mapping names a column the schema lacks, or when a
 * required column has no mapping; an optional column without a mapping (one a newer definition
 * added to the table) is written as null and listed by {@link #unmappedColumns()}.
 *
 * @param <T> the record type
 */
public final class RowDataMapper<T>
        implements MapFunction<T, RowData>, ResultTypeQueryable<RowData> {

    private static final long serialVersionUID = 1L;

    private final RowType rowType;
    private final String[] names;
    private final boolean[] required;
    private final ColumnValue<T>[] values;
    private final Converter[] converters;

    private RowDataMapper(
            RowType rowType,
            String[] names,
            boolean[] required,
            ColumnValue<T>[] values,
            Converter[] converters) {
        this.rowType = rowType;
        this.names = names;
        this.required = required;
        this.values = values;
        this.converters = converters;
    }

    /**
     * A mapper for the top-level columns of {@code schema}, in schema order.
     *
     * @param columns how to read each column from a record, by column name
     * @throws IllegalArgumentException when a mapping names no column of the schema, a required
     *     column has no mapping, or a column's type has no conversion
     */
    @SuppressWarnings("unchecked")
    public static <T> RowDataMapper<T> of(Schema schema, Map<String, ColumnValue<T>> columns) {
        List<Types.NestedField> fields = schema.columns();
        Set<String> unknown = new HashSet<>(columns.keySet());
        String[] names = new String[fields.size()];
        boolean[] required = new boolean[fields.size()];
        ColumnValue<T>[] values = new ColumnValue[fields.size()];
        Converter[] converters = new Converter[fields.size()];
        for (int i = 0; i < fields.size(); i++) {
            Types.NestedField field = fields.get(i);
            names[i] = field.name();
            required[i] = field.isRequired();
            values[i] = columns.get(field.name());
            unknown.remove(field.name());
            if (values[i] == null && field.isRequired()) {
                throw new IllegalArgumentException(
                        "Required column '"
                                + field.name()
                                + "' has no mapping: add one for it to the table's column"
                                + " mapping");
            }
            converters[i] = converterFor(field.name(), field.type());
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(
                    "Mappings name columns the table schema does not have: "
                            + unknown
                            + "; the schema has "
                            + schema.columns().stream().map(Types.NestedField::name).toList());
        }
        return new RowDataMapper<>(
                FlinkSchemaUtil.convert(schema), names, required, values, converters);
    }

    /** The Flink row type of the rows, derived from the Iceberg schema. */
    public RowType rowType() {
        return rowType;
    }

    /** Columns of the schema that no mapping fills: they are written as null. */
    public List<String> unmappedColumns() {
        List<String> unmapped = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            if (values[i] == null) {
                unmapped.add(names[i]);
            }
        }
        return unmapped;
    }

    @Override
    public TypeInformation<RowData> getProducedType() {
        return InternalTypeInfo.of(rowType);
    }

    @Override
    public RowData map(T record) {
        GenericRowData row = new GenericRowData(names.length);
        for (int i = 0; i < names.length; i++) {
            Object value = values[i] == null ? null : values[i].of(record);
            if (value == null) {
                if (required[i]) {
                    throw new IllegalArgumentException(
                            "Required column '" + names[i] + "' is null in " + record);
                }
                continue;
            }
            try {
                row.setField(i, converters[i].convert(value));
            } catch (ClassCastException e) {
                throw new IllegalArgumentException(
                        "Column '"
                                + names[i]
                                + "' got a "
                                + value.getClass().getName()
                                + " it cannot store: "
                                + e.getMessage(),
                        e);
            }
        }
        return row;
    }

    /** Plain Java value to Flink internal data, for one Iceberg type. */
    @FunctionalInterface
    private interface Converter extends Serializable {
        Object convert(Object value);
    }

    private static Converter converterFor(String column, Type type) {
        switch (type.typeId()) {
            case STRING:
                return value -> StringData.fromString(((CharSequence) value).toString());
            case BOOLEAN:
                return value -> (Boolean) value;
            case INTEGER:
                return value -> (Integer) value;
            case LONG:
                return value -> (Long) value;
            case FLOAT:
                return value -> (Float) value;
            case DOUBLE:
                return value -> (Double) value;
            case DATE:
                return value ->
                        value instanceof LocalDate date ? (int) date.toEpochDay() : (Integer) value;
            case TIMESTAMP:
                return value ->
                        value instanceof Instant instant
                                ? TimestampData.fromInstant(instant)
                                : TimestampData.fromEpochMillis((Long) value);
            case BINARY:
                return value -> (byte[]) value;
            case DECIMAL:
                Types.DecimalType decimal = (Types.DecimalType) type;
                int precision = decimal.precision();
                int scale = decimal.scale();
                return value -> toDecimal(column, (BigDecimal) value, precision, scale);
            case LIST:
                Types.NestedField element = type.asListType().fields().get(0);
                Converter elementConverter = converterFor(column + ".element", element.type());
                boolean elementRequired = element.isRequired();
                return value -> toArray(column, value, elementConverter, elementRequired);
            default:
                throw new IllegalArgumentException(
                        "Column '"
                                + column
                                + "' has Iceberg type "
                                + type
                                + ", which RowDataMapper cannot convert yet: add a conversion"
                                + " for it");
        }
    }

    /**
     * Rounded half-up to the column's scale, as Flink SQL casts do. A value with more integer
     * digits than the column holds is refused with the column's name: storing null instead would
     * lose a value silently, so records bound for a decimal column must fit it before they get
     * here.
     */
    private static DecimalData toDecimal(
            String column, BigDecimal value, int precision, int scale) {
        DecimalData d = DecimalData.fromBigDecimal(value, precision, scale);
        if (d == null) {
            throw new IllegalArgumentException(
                    "Column '"
                            + column
                            + "' is decimal("
                            + precision
                            + ", "
                            + scale
                            + ") and cannot hold "
                            + value.toPlainString());
        }
        return d;
    }

    private static GenericArrayData toArray(
            String column, Object value, Converter elementConverter, boolean elementRequired) {
        // A copy typed Object[]: a String[] cannot hold the StringData elements.
        Object[] source =
                value instanceof Collection<?> collection ? collection.toArray() : (Object[]) value;
        Object[] elements = Arrays.copyOf(source, source.length, Object[].class);
        for (int i = 0; i < elements.length; i++) {
            if (elements[i] != null) {
                elements[i] = elementConverter.convert(elements[i]);
            } else if (elementRequired) {
                throw new IllegalArgumentException(
                        "Column '" + column + "' holds a null element, which it does not allow");
            }
        }
        return new GenericArrayData(elements);
    }
}
