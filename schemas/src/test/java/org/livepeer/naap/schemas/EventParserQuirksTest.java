package org.livepeer.naap.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The quirks of EVENTS.md, event-time selection and the identity rules. */
class EventParserQuirksTest {
    private static final long ENVELOPE = 1_768_483_619_196L;

    private static String kafka(String type, String data) {
        return "{\"id\":\"q-1\",\"type\":\""
                + type
                + "\",\"timestamp\":\""
                + ENVELOPE
                + "\",\"gateway\":\"\",\"data\":"
                + data
                + "}";
    }

    private static String trace(String dataTimestamp) {
        return kafka(
                "stream_trace",
                "{\"type\":\"gateway_receive_stream_request\",\"stream_id\":\"s\",\"request_id\":\"r\""
                        + (dataTimestamp == null ? "" : ",\"timestamp\":" + dataTimestamp)
                        + "}");
    }

    @Test
    void usesThePayloadTimeWhenWithinTheSkew() {
        TelemetryEvent e = Parsed.parse(trace("1768483619000")).single();

        assertThat(e.eventTime).isEqualTo(1_768_483_619_000L);
        assertThat(e.eventTimeSource).isEqualTo("data");
        assertThat(e.dataTime).isEqualTo(1_768_483_619_000L);
    }

    @Test
    void fallsBackToTheEnvelopeWhenThePayloadTimeIsTooFarOff() {
        // Two hours before the envelope: beyond the default one-hour skew.
        long twoHoursEarlier = ENVELOPE - 7_200_000L;
        TelemetryEvent e = Parsed.parse(trace(Long.toString(twoHoursEarlier))).single();

        assertThat(e.eventTime).isEqualTo(ENVELOPE);
        assertThat(e.eventTimeSource).isEqualTo("envelope");
        assertThat(e.dataTime).as("still reported").isEqualTo(twoHoursEarlier);
    }

    @Test
    void acceptsAnUnreadablePayloadTimeAndKeepsItsText() {
        TelemetryEvent e = Parsed.parse(trace("\"soon\"")).single();

        assertThat(e.eventTime).isEqualTo(ENVELOPE);
        assertThat(e.eventTimeSource).isEqualTo("envelope");
        assertThat(e.dataTime).isNull();
        assertThat(e.dataTimestamp).isEqualTo("soon");
    }

    @Test
    void readsPayloadTimesInAnyForm() {
        // 1768483619.1 seconds and 2026-01-15T13:26:59.1Z are both 1768483619100 ms.
        assertThat(Parsed.parse(trace("1768483619.1")).single().eventTime)
                .isEqualTo(1_768_483_619_100L);
        assertThat(Parsed.parse(trace("\"2026-01-15T13:26:59.1Z\"")).single().eventTime)
                .isEqualTo(1_768_483_619_100L);
    }

    @Test
    void orchestratorSwapWithoutPayloadTimeUsesTheEnvelope() {
        TelemetryEvent e =
                Parsed.parse(kafka("stream_trace", "{\"type\":\"orchestrator_swap\"}")).single();

        assertThat(e.subtype).isEqualTo("orchestrator_swap");
        assertThat(e.eventTime).isEqualTo(ENVELOPE);
        assertThat(e.dataTimestamp).isNull();
    }

    @Test
    void streamEventsNeverUseTheirPayloadTime() {
        TelemetryEvent e =
                Parsed.parse(
                                kafka(
                                        "ai_stream_events",
                                        "{\"type\":\"error\",\"timestamp\":1768483610000}"))
                        .single();

        assertThat(e.eventTime).isEqualTo(ENVELOPE);
        assertThat(e.dataTime).isNull();
    }

    @Test
    void clampsAnEventTimeFarPastItsIngestTime() {
        long ingest = ENVELOPE - 600_000L;
        TelemetryEvent e = Parsed.parse(trace("1768483619000"), ingest).single();

        assertThat(e.eventTime).isEqualTo(ingest);
        assertThat(e.eventTimeSource).isEqualTo("ingest");
        assertThat(e.timeClamped).isTrue();
        assertThat(e.envelopeTime).isEqualTo(ENVELOPE);
    }

    @Test
    void doesNotClampWithinTheAllowedFuture() {
        TelemetryEvent e = Parsed.parse(trace("1768483619000"), ENVELOPE - 60_000L).single();

        assertThat(e.timeClamped).isFalse();
        assertThat(e.eventTime).isEqualTo(1_768_483_619_000L);
    }

    @Test
    void buildsSessionIdsWithDeterministicFallbacks() {
        String both = "{\"type\":\"error\",\"stream_id\":\"s-1\",\"request_id\":\"r-1\"}";
        String stream = "{\"type\":\"error\",\"stream_id\":\"s-1\",\"request_id\":\"\"}";
        String request = "{\"type\":\"error\",\"request_id\":\"r-1\"}";
        String neither = "{\"type\":\"error\",\"stream_id\":\"\",\"request_id\":null}";

        assertThat(Parsed.parse(kafka("ai_stream_events", both)).single().sessionId)
                .isEqualTo("s-1|r-1");
        TelemetryEvent s = Parsed.parse(kafka("ai_stream_events", stream)).single();
        assertThat(s.sessionId).isEqualTo("s-1|_missing_request");
        assertThat(s.requestId).isNull();
        assertThat(Parsed.parse(kafka("ai_stream_events", request)).single().sessionId)
                .isEqualTo("_missing_stream|r-1");
        assertThat(Parsed.parse(kafka("ai_stream_events", neither)).single().sessionId)
                .isEqualTo("_missing_stream|_missing_request|q-1");
    }

    @Test
    void mixedCaseAddressesNameTheSameOrchestrator() {
        String lower = "0xd00354656922168815fcd1e51cbddb9e359e3c7f";
        String mixed = "0xd00354656922168815Fcd1e51CBddB9e359e3C7F";
        TelemetryEvent traced =
                Parsed.parse(
                                kafka(
                                        "stream_trace",
                                        "{\"type\":\"orchestrator_swap\",\"orchestrator_info\":"
                                                + "{\"address\":\""
                                                + lower
                                                + "\",\"url\":\"\"}}"))
                        .single();
        TelemetryEvent paid =
                Parsed.parse(
                                kafka(
                                        "create_new_payment",
                                        "{\"faceValue\":\"1 WEI\",\"winProb\":\"1\",\"recipient\":\""
                                                + mixed
                                                + "\"}"))
                        .single();

        assertThat(traced.nodeIds).containsExactly("orchestrator:" + lower);
        assertThat(paid.nodeIds).containsExactly("orchestrator:" + lower);
        assertThat(paid.payload).as("the original casing stays in the payload").contains(mixed);
        assertThat(paid.raw).contains(mixed);
    }

    @Test
    void emptyStringsMeanUnknown() {
        TelemetryEvent e =
                Parsed.parse(
                                kafka(
                                        "ai_stream_status",
                                        "{\"stream_id\":\"\",\"request_id\":\"r\",\"pipeline_id\":\"\","
                                                + "\"orchestrator_info\":{\"address\":\"\",\"url\":\"\"}}"))
                        .single();

        assertThat(e.gateway).isNull();
        assertThat(e.streamId).isNull();
        assertThat(e.nodeIds).isEmpty();
        assertThat(e.subtype).isNull();
    }

    @Test
    void acceptsNumbersAsStrings() {
        TelemetryEvent e =
                Parsed.parse(
                                kafka(
                                        "stream_ingest_metrics",
                                        "{\"timestamp\":\"1768483619000\",\"stats\":{\"peer_conn_stats\":"
                                                + "{\"BytesReceived\":\"100\"},\"track_stats\":"
                                                + "[{\"type\":\"video\",\"jitter\":\"8.5\"}]}}"))
                        .single();

        assertThat(e.eventTime).isEqualTo(1_768_483_619_000L);
        assertThat(e.eventTimeSource).isEqualTo("data");
    }

    @Test
    void acceptsCapabilitiesAsOneObjectAndGpuInfoAsArrayOrMap() {
        String asArray =
                "{\"address\":\"0xAA\",\"orch_uri\":\"https://a\",\"hardware\":[{\"gpu_info\":"
                        + "[{\"id\":\"GPU-0\"}]}],\"capabilities_prices\":null}";
        String asMap =
                "[{\"address\":\"0xAA\",\"hardware\":[{\"gpu_info\":{\"0\":{\"id\":\"GPU-0\"}}}],"
                        + "\"capabilities_prices\":null}]";

        TelemetryEvent one = Parsed.parse(kafka("network_capabilities", asArray)).single();
        TelemetryEvent many = Parsed.parse(kafka("network_capabilities", asMap)).single();

        assertThat(one.nodeIds).containsExactly("orchestrator:0xaa", "orchestrator_uri:https://a");
        assertThat(many.nodeIds).containsExactly("orchestrator:0xaa");
    }

    @Test
    void acceptsAnUnknownTypeWithTheMinimumEnvelope() {
        TelemetryEvent e = Parsed.parse(kafka("brand_new_thing", "{\"x\":[1,2.50]}")).single();

        assertThat(e.family).isEqualTo("unknown_family");
        assertThat(e.type).isEqualTo("brand_new_thing");
        assertThat(e.payload).isEqualTo("{\"x\":[1,2.50]}");
        assertThat(e.sessionId).isNull();
        assertThat(e.nodeIds).isEmpty();
    }

    @Test
    void keepsTheDigitsOfNumbersInPayloadAndRaw() {
        String line = Samples.lines(Samples.KAFKA).get(2);
        TelemetryEvent e = Parsed.parse(line).single();

        assertThat(e.payload).contains("369.7200555555556").contains("8.667245625521273");
        assertThat(e.raw).isEqualTo(line);
    }

    @Test
    void aByteOrderMarkDoesNotRejectTheRecord() {
        TelemetryEvent e = Parsed.parse("\uFEFF" + trace(null)).single();
        assertThat(e.eventTime).isEqualTo(ENVELOPE);
    }
}
