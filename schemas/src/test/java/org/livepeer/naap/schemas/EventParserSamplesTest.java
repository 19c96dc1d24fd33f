package org.livepeer.naap.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every real sample line is accepted, with values worked out by hand from the sample text. */
class EventParserSamplesTest {
    /** 2025-12-05T00:00:00Z in epoch ms (see TimestampsTest for the arithmetic). */
    private static final long DEC_5_2025_MS = 1_764_892_800_000L;

    @ParameterizedTest(name = "sink line {0}: {1}")
    @CsvSource(
            nullValues = "-",
            value = {
                // event-sink samples: RFC 3339 envelope time, no session
                "0, node_trace, gateway-reset, 16:24:24.271",
                "1, node_trace, orchestrator-reset, 16:24:26.646",
                "2, worker-connected, -, 16:24:31.228",
                "3, node_trace, transcoder-reset, 16:24:31.226",
                "4, discovery_results, -, 16:24:36.844",
                "5, network_capabilities, -, 16:24:46.259",
                "6, create_new_payment, -, 16:24:49.259",
                "7, job-processed, -, 16:24:50.197",
                "8, discovery_results, -, 16:24:50.380",
                "9, worker-disconnected, -, 16:28:26.112"
            })
    void acceptsEventSinkSamplesAtTheirEnvelopeTime(
            int line, String family, String subtype, String clock) {
        TelemetryEvent e = Parsed.parse(Samples.lines(Samples.SINK).get(line)).single();

        assertThat(e.family).isEqualTo(family);
        assertThat(e.type).isEqualTo(family);
        assertThat(e.subtype).isEqualTo(subtype);
        assertThat(e.shape).isEqualTo("event_sink");
        assertThat(e.eventTime).isEqualTo(DEC_5_2025_MS + clockMs(clock));
        assertThat(e.eventTimeSource).isEqualTo("envelope");
        assertThat(e.envelopeTime).isEqualTo(e.eventTime);
        assertThat(e.sessionId).isNull();
        assertThat(e.gateway).isNull();
        assertThat(e.streamrWrapped).isFalse();
        assertThat(e.index).isEqualTo(-1);
    }

    @ParameterizedTest(name = "kafka line {0}: {1}")
    @CsvSource(
            nullValues = "-",
            value = {
                "0, discovery_results, -, 1768483782392, envelope, -",
                "1, ai_stream_events, error, 1768483619196, envelope, stream-3hc4ok-mkfh9jxs|5291f1cf",
                "2, stream_ingest_metrics, -, 1768483618943, data, stream-3hc4ok-mkfh9jxs|5291f1cf",
                // envelope says ...951, the runner's own status time ...933 is within the skew
                "3, ai_stream_status, status, 1768483618933, data, stream-3hc4ok-mkfh9jxs|5291f1cf",
                "4, stream_trace, gateway_ingest_stream_closed, 1768483619196, data,"
                        + " stream-3hc4ok-mkfh9jxs|5291f1cf",
                "5, create_new_payment, -, 1768483061892, envelope, -",
                "6, stream_trace, gateway_ingest_stream_closed, 1768483063894, data,"
                        + " stream-z24wz2-mkfh5j30|499ae98f",
                "7, ai_stream_events, error, 1768483063894, envelope, stream-z24wz2-mkfh5j30|499ae98f"
            })
    void acceptsKafkaSamplesWithTheirSessionAndEventTime(
            int line,
            String family,
            String subtype,
            long eventTime,
            String timeSource,
            String sessionId) {
        TelemetryEvent e = Parsed.parse(Samples.lines(Samples.KAFKA).get(line)).single();

        assertThat(e.family).isEqualTo(family);
        assertThat(e.subtype).isEqualTo(subtype);
        assertThat(e.shape).isEqualTo("kafka_queue");
        assertThat(e.eventTime).isEqualTo(eventTime);
        assertThat(e.eventTimeSource).isEqualTo(timeSource);
        assertThat(e.sessionId).isEqualTo(sessionId);
        assertThat(e.gateway).as("gateway \"\" is unknown").isNull();
    }

    @Test
    void keepsEnvelopeAndPayloadTimestampTexts() {
        TelemetryEvent status = Parsed.parse(Samples.lines(Samples.KAFKA).get(3)).single();

        assertThat(status.envelopeTimestamp).isEqualTo("1768483618951");
        assertThat(status.envelopeTime).isEqualTo(1_768_483_618_951L);
        assertThat(status.dataTimestamp).isEqualTo("1768483618933");
        assertThat(status.dataTime).isEqualTo(1_768_483_618_933L);

        TelemetryEvent sink = Parsed.parse(Samples.lines(Samples.SINK).get(0)).single();
        assertThat(sink.envelopeTimestamp).isEqualTo("2025-12-05T16:24:24.271818368Z");
        assertThat(sink.dataTimestamp).isNull();
        assertThat(sink.dataTime).isNull();
    }

    @Test
    void splitsSessionIdIntoRawStreamAndRequest() {
        TelemetryEvent e = Parsed.parse(Samples.lines(Samples.KAFKA).get(4)).single();

        assertThat(e.streamId).isEqualTo("stream-3hc4ok-mkfh9jxs");
        assertThat(e.requestId).isEqualTo("5291f1cf");
        assertThat(e.eventId).isEqualTo("9198f8ef-8800-49b5-b432-8faa7ff2e948");
    }

    @Test
    void paymentCarriesItsRequestIdButNoSession() {
        TelemetryEvent kafka = Parsed.parse(Samples.lines(Samples.KAFKA).get(5)).single();
        assertThat(kafka.sessionId).isNull();
        assertThat(kafka.streamId).isNull();
        assertThat(kafka.requestId).isEqualTo("499ae98f");

        TelemetryEvent sink = Parsed.parse(Samples.lines(Samples.SINK).get(6)).single();
        assertThat(sink.requestId).as("requestID \"\" is unknown").isNull();
    }

    @Test
    void namesTheNodesOfEachSample() {
        List<String> sink = Samples.lines(Samples.SINK);
        List<String> kafka = Samples.lines(Samples.KAFKA);
        String orch = "orchestrator:0x5263e0ce3a97b634d8828ce4337ad0f70b30b077";

        assertThat(Parsed.parse(sink.get(0)).single().nodeIds).isEmpty();
        assertThat(Parsed.parse(sink.get(2)).single().nodeIds)
                .containsExactly(
                        orch, "worker:0x5263e0ce3a97b634d8828ce4337ad0f70b30b077@127.0.0.1:46800");
        assertThat(Parsed.parse(sink.get(5)).single().nodeIds)
                .containsExactly(orch, "orchestrator_uri:https://localhost:18935");
        assertThat(Parsed.parse(sink.get(7)).single().nodeIds).containsExactly(orch);
        assertThat(Parsed.parse(kafka.get(3)).single().nodeIds)
                .containsExactly(
                        "orchestrator:0x52cf2968b3dc6016778742d3539449a6597d5954",
                        "orchestrator_uri:https://rtav-orch2.xodeapp.xyz:28935");
        assertThat(Parsed.parse(kafka.get(4)).single().nodeIds)
                .as("orchestrator_info {\"\",\"\"} names no node")
                .isEmpty();
        assertThat(Parsed.parse(kafka.get(5)).single().nodeIds)
                .containsExactly(
                        "orchestrator:0xd00354656922168815fcd1e51cbddb9e359e3c7f",
                        "orchestrator_uri:https://rtav-orch2.xodeapp.xyz:28935");
    }

    @Test
    void copiesTheSourcePointerOntoEveryEvent() {
        for (String line : Samples.all()) {
            TelemetryEvent e = Parsed.parse(line, 1_768_483_700_000L).single();
            assertThat(e.source).isEqualTo(Parsed.SOURCE);
            assertThat(e.topic).isEqualTo(Parsed.TOPIC);
            assertThat(e.partition).isEqualTo(Parsed.PARTITION);
            assertThat(e.offset).isEqualTo(Parsed.OFFSET);
            assertThat(e.ingestTime).isEqualTo(1_768_483_700_000L);
            assertThat(e.timeClamped).isFalse();
        }
    }

    /** {@code HH:mm:ss.SSS} to ms of the day. */
    private static long clockMs(String clock) {
        String[] hms = clock.split(":");
        String[] sec = hms[2].split("\\.");
        return Long.parseLong(hms[0]) * 3_600_000L
                + Long.parseLong(hms[1]) * 60_000L
                + Long.parseLong(sec[0]) * 1_000L
                + Long.parseLong(sec[1]);
    }
}
