package org.livepeer.naap.iceberg;

import static org.apache.iceberg.types.Types.NestedField.optional;
import static org.apache.iceberg.types.Types.NestedField.required;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Map;
import org.apache.flink.table.data.RowData;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

class RowDataMapperTest {

    private static final Schema SCHEMA =
            new Schema(
                    required(1, "id", Types.StringType.get()),
                    required(2, "n", Types.LongType.get()),
                    optional(3, "note", Types.StringType.get()));

    private static final Map<String, ColumnValue<String[]>> COLUMNS =
            Map.of("id", r -> r[0], "n", r -> Long.parseLong(r[1]), "note", r -> r[2]);

    @Test
    void refusesAMappingForAColumnTheSchemaLacks() {
        Map<String, ColumnValue<String[]>> columns =
                Map.of("id", r -> r[0], "n", r -> 1L, "nte", r -> r[2]);

        assertThatThrownBy(() -> RowDataMapper.of(SCHEMA, columns))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[nte]")
                .hasMessageContaining("[id, n, note]");
    }

    @Test
    void refusesARequiredColumnWithoutMapping() {
        Map<String, ColumnValue<String[]>> columns = Map.of("id", r -> r[0], "note", r -> r[2]);

        assertThatThrownBy(() -> RowDataMapper.of(SCHEMA, columns))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Required column 'n' has no mapping");
    }

    @Test
    void writesNullForAnOptionalColumnWithoutMapping() {
        Map<String, ColumnValue<String[]>> columns =
                Map.of("id", r -> r[0], "n", r -> Long.parseLong(r[1]));
        RowDataMapper<String[]> mapper = RowDataMapper.of(SCHEMA, columns);

        RowData row = mapper.map(new String[] {"a", "5", "ignored"});

        assertThat(mapper.unmappedColumns()).containsExactly("note");
        assertThat(row.getString(0).toString()).isEqualTo("a");
        assertThat(row.getLong(1)).isEqualTo(5L);
        assertThat(row.isNullAt(2)).isTrue();
    }

    @Test
    void namesTheColumnWhenAValueHasTheWrongJavaType() {
        Map<String, ColumnValue<String[]>> columns =
                Map.of("id", r -> r[0], "n", r -> Integer.parseInt(r[1]), "note", r -> r[2]);
        RowDataMapper<String[]> mapper = RowDataMapper.of(SCHEMA, columns);

        assertThatThrownBy(() -> mapper.map(new String[] {"a", "5", null}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Column 'n' got a java.lang.Integer");
    }

    @Test
    void namesTheColumnWhenARequiredValueIsNull() {
        RowDataMapper<String[]> mapper = RowDataMapper.of(SCHEMA, COLUMNS);

        assertThatThrownBy(() -> mapper.map(new String[] {null, "5", null}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Required column 'id' is null");
    }

    @Test
    void refusesAColumnTypeItCannotConvert() {
        Schema withUuid = new Schema(optional(1, "token", Types.UUIDType.get()));
        Map<String, ColumnValue<String[]>> columns = Map.of("token", r -> r[0]);

        assertThatThrownBy(() -> RowDataMapper.of(withUuid, columns))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Column 'token' has Iceberg type uuid");
    }

    @Test
    void writesDecimalsAtTheColumnsScaleAndRefusesOnesThatDoNotFit() {
        Schema withDecimal = new Schema(optional(1, "amount", Types.DecimalType.of(10, 2)));
        Map<String, ColumnValue<BigDecimal>> columns = Map.of("amount", v -> v);
        RowDataMapper<BigDecimal> mapper = RowDataMapper.of(withDecimal, columns);

        RowData row = mapper.map(new BigDecimal("1635.021"));

        assertThat(row.getDecimal(0, 10, 2).toBigDecimal()).isEqualTo(new BigDecimal("1635.02"));
        assertThatThrownBy(() -> mapper.map(new BigDecimal("123456789.5")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(
                        "Column 'amount' is decimal(10, 2) and cannot hold 123456789.5");
    }
}
