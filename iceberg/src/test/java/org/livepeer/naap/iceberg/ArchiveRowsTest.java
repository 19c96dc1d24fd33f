package org.livepeer.naap.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.apache.flink.table.data.RowData;
import org.apache.flink.util.InstantiationUtil;
import org.apache.iceberg.Schema;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.livepeer.naap.schemas.Rejection;
import org.livepeer.naap.schemas.TelemetryEvent;
import org.livepeer.naap.schemas.output.JobRow;
import org.livepeer.naap.schemas.output.PaymentRow;
import org.livepeer.naap.schemas.output.SessionFact;

class ArchiveRowsTest {

    private static final Schema RAW = NaapTables.RAW_EVENTS.schema();
    private static final Schema REJECTED = NaapTables.REJECTED_EVENTS.schema();

    @Test
    void everyColumnOfEveryArchiveSinkIsFilledByItsMapping() {
        for (ArchiveSink<?> sink :
                List.of(
                        IcebergSinks.RAW_EVENTS,
                        IcebergSinks.REJECTED_EVENTS,
                        IcebergSinks.SESSIONS,
                        IcebergSinks.PAYMENTS,
                        IcebergSinks.JOBS)) {
            RowDataMapper<?> mapper = RowDataMapper.of(sink.table().schema(), sink.columns());
            assertThat(mapper.unmappedColumns()).as(sink.table().name()).isEmpty();
            assertThat(sink.columns().keySet())
                    .as(sink.table().name())
                    .containsExactlyElementsOf(columnNames(sink.table().schema()));
        }
    }

    @Test
    void rowTypeIsDerivedFromTheIcebergSchema() {
        RowDataMapper<TelemetryEvent> mapper = RowDataMapper.of(RAW, ArchiveRows.RAW_EVENTS);
        assertThat(mapper.rowType()).isEqualTo(FlinkSchemaUtil.convert(RAW));
        assertThat(mapper.rowType().getFieldNames()).isEqualTo(columnNames(RAW));
    }

    @Test
    void mapsASessionFactKeepingUnknownMeasuresNull() {
        Schema schema = NaapTables.SESSIONS.schema();
        SessionFact f = new SessionFact();
        f.sessionId = "stream-a|req-a";
        f.startedAt = 1_768_478_400_000L;
        f.requested = true;
        f.startupOutcome = "success";
        f.segments = 2;
        f.startupMs = 3000L;
        f.outputFpsMean = 19.5;
        f.paymentsWei = "101645537087.5";
        f.emittedAt = 1_768_478_460_000L;

        Map<String, Object> row =
                ArchiveFixtures.columns(
                        schema, RowDataMapper.of(schema, ArchiveRows.SESSIONS).map(f));

        assertThat(row.get("session_id")).isEqualTo("stream-a|req-a");
        assertThat(row.get("started_at"))
                .isEqualTo(java.time.Instant.parse("2026-01-15T12:00:00Z"));
        assertThat(row.get("requested")).isEqualTo(true);
        assertThat(row.get("segments")).isEqualTo(2);
        assertThat(row.get("startup_ms")).isEqualTo(3000L);
        assertThat(row.get("output_fps_mean")).isEqualTo(19.5);
        assertThat(row.get("payments_wei")).isEqualTo("101645537087.5");
        assertThat(row.get("ptff_ms")).isNull();
        assertThat(row.get("ended_at")).isNull();
        assertThat(row.get("health_coverage")).isNull();
    }

    @Test
    void mapsAPaymentWithItsWeiAmountsAsDecimals() {
        Schema schema = NaapTables.PAYMENTS.schema();
        PaymentRow p = new PaymentRow();
        p.eventId = "pay-1";
        p.eventTime = ArchiveFixtures.T0.toEpochMilli();
        p.paymentSessionId = "5ea1";
        p.faceValueText = "0.0034 ETH";
        p.faceValueWei = new BigDecimal("3400000000000000");
        p.winProb = 0.0000147059;
        p.expectedValueWei = new BigDecimal("50000060000.0000000000");
        p.priceText = "1635.021 wei/pixel";
        p.priceWeiPerUnit = new BigDecimal("1635.021");
        p.priceUnit = "wei/pixel";
        p.numTickets = 2L;

        Map<String, Object> row =
                ArchiveFixtures.columns(
                        schema, RowDataMapper.of(schema, ArchiveRows.PAYMENTS).map(p));

        assertThat(row.get("event_id")).isEqualTo("pay-1");
        assertThat(row.get("event_time")).isEqualTo(ArchiveFixtures.T0);
        assertThat(row.get("payment_session_id")).isEqualTo("5ea1");
        assertThat(row.get("face_value_text")).isEqualTo("0.0034 ETH");
        assertThat((BigDecimal) row.get("face_value_wei"))
                .isEqualTo(new BigDecimal("3400000000000000.0000000000"));
        assertThat(row.get("win_prob")).isEqualTo(0.0000147059);
        assertThat((BigDecimal) row.get("expected_value_wei"))
                .isEqualTo(new BigDecimal("50000060000.0000000000"));
        assertThat((BigDecimal) row.get("price_wei_per_unit"))
                .isEqualTo(new BigDecimal("1635.0210000000"));
        assertThat(row.get("price_unit")).isEqualTo("wei/pixel");
        assertThat(row.get("num_tickets")).isEqualTo(2L);
        assertThat(row.get("model")).isNull();
        assertThat(row.get("request_id")).isNull();
    }

    @Test
    void mapsAJobKeepingWhatItsKindDoesNotReportNull() {
        Schema schema = NaapTables.JOBS.schema();
        JobRow j = new JobRow();
        j.eventId = "jp-1";
        j.eventTime = ArchiveFixtures.T0.toEpochMilli();
        j.family = "job-processed";
        j.kind = JobRow.KIND_TRANSCODE;
        j.stage = "job-processed";
        j.orchestratorAddress = "0x5263e0ce3a97b634d8828ce4337ad0f70b30b077";
        j.success = true;
        j.durationMs = 845.0;
        j.realtimeRatio = 4.0;
        j.feesWei = new BigDecimal("5696460000");
        j.computeUnits = 41_580_000L;

        Map<String, Object> row =
                ArchiveFixtures.columns(schema, RowDataMapper.of(schema, ArchiveRows.JOBS).map(j));

        assertThat(row.get("kind")).isEqualTo("transcode");
        assertThat(row.get("success")).isEqualTo(true);
        assertThat(row.get("duration_ms")).isEqualTo(845.0);
        assertThat(row.get("realtime_ratio")).isEqualTo(4.0);
        assertThat((BigDecimal) row.get("fees_wei"))
                .isEqualByComparingTo(new BigDecimal("5696460000"));
        assertThat(row.get("compute_units")).isEqualTo(41_580_000L);
        for (String none :
                List.of("request_id", "gateway", "pipeline", "tokens", "ttft_ms", "error")) {
            assertThat(row.get(none)).as(none).isNull();
        }
    }

    @Test
    void mapsEveryColumnOfAFullEvent() {
        RowData row =
                RowDataMapper.of(RAW, ArchiveRows.RAW_EVENTS).map(ArchiveFixtures.fullEvent());

        Map<String, Object> expected = ArchiveFixtures.fullEventColumns();
        assertThat(expected.keySet()).containsExactlyElementsOf(columnNames(RAW));
        assertThat(ArchiveFixtures.columns(RAW, row)).containsExactlyEntriesOf(expected);
    }

    @Test
    void nullFieldsOfAnEventStayNull() {
        RowData row =
                RowDataMapper.of(RAW, ArchiveRows.RAW_EVENTS).map(ArchiveFixtures.sparseEvent());

        assertThat(ArchiveFixtures.columns(RAW, row))
                .containsExactlyEntriesOf(ArchiveFixtures.sparseEventColumns());
    }

    @Test
    void mapsEveryColumnOfAFullRejectionKeepingBytesThatAreNotUtf8() {
        RowData row =
                RowDataMapper.of(REJECTED, ArchiveRows.REJECTED_EVENTS)
                        .map(ArchiveFixtures.fullRejection());

        Map<String, Object> expected = ArchiveFixtures.fullRejectionColumns();
        assertThat(expected.keySet()).containsExactlyElementsOf(columnNames(REJECTED));
        assertThat(ArchiveFixtures.columns(REJECTED, row)).containsExactlyEntriesOf(expected);
    }

    @Test
    void nullFieldsOfARejectionStayNull() {
        Rejection r = new Rejection();
        r.index = -1;
        r.ingestTime = ArchiveFixtures.T0.toEpochMilli();

        RowData row = RowDataMapper.of(REJECTED, ArchiveRows.REJECTED_EVENTS).map(r);

        Map<String, Object> columns = ArchiveFixtures.columns(REJECTED, row);
        assertThat(columns)
                .containsEntry("array_index", -1)
                .containsEntry("source_partition", 0)
                .containsEntry("source_offset", 0L)
                .containsEntry("raw_size", 0)
                .containsEntry("ingest_time", ArchiveFixtures.T0);
        for (String nullable :
                List.of(
                        "reason",
                        "detail",
                        "stage",
                        "source",
                        "source_topic",
                        "event_id",
                        "type",
                        "raw_text",
                        "raw")) {
            assertThat(columns.get(nullable)).as(nullable).isNull();
        }
    }

    @Test
    void mapperWorksAfterJavaSerializationAsFlinkShipsIt() throws Exception {
        RowDataMapper<TelemetryEvent> shipped =
                InstantiationUtil.clone(RowDataMapper.of(RAW, ArchiveRows.RAW_EVENTS));

        RowData row = shipped.map(ArchiveFixtures.fullEvent());

        assertThat(ArchiveFixtures.columns(RAW, row))
                .containsExactlyEntriesOf(ArchiveFixtures.fullEventColumns());
    }

    private static List<String> columnNames(Schema schema) {
        return schema.columns().stream().map(Types.NestedField::name).toList();
    }
}
