package org.livepeer.naap.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The four envelope shapes, arrays, and the Streamr wrapper. */
class EventParserShapesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String PUBLISHER = "0xAbCdEf0123456789abcdef0123456789ABCDEF01";
    private static final String TRACE =
            "{\"id\":\"t-1\",\"type\":\"stream_trace\",\"timestamp\":\"1768483619196\","
                    + "\"gateway\":\"\",\"data\":{\"type\":\"gateway_receive_stream_request\","
                    + "\"timestamp\":1768483619190,\"stream_id\":\"s-1\",\"request_id\":\"r-1\"}}";
    private static final String WORKER =
            "{\"id\":\"w-1\",\"type\":\"worker-connected\","
                    + "\"timestamp\":\"2025-12-05T16:24:31.228265243Z\","
                    + "\"payload\":{\"connection\":\"127.0.0.1:46800\",\"ethAddress\":\"0xAA\"}}";

    private static String wrapped(String content) {
        return "{\"content\":"
                + content
                + ",\"metadata\":{\"timestamp\":1768483619200,\"sequenceNumber\":7,"
                + "\"publisherId\":\""
                + PUBLISHER
                + "\",\"msgChainId\":\"chain-1\"}}";
    }

    @Test
    void aStreamrSequenceNumberBeyondALongIsUnknown() {
        // 1e2147483647 is a non-negative integer in JSON Schema's sense, but no long.
        TelemetryEvent e =
                Parsed.parse(
                                "{\"content\":"
                                        + TRACE
                                        + ",\"metadata\":{\"sequenceNumber\":1e2147483647}}")
                        .single();

        assertThat(e.streamrWrapped).isTrue();
        assertThat(e.streamrSequenceNumber).isNull();
    }

    @Test
    void readsAnOpenPoolBatchElement() {
        String record =
                "[{\"ID\":\"op-1\",\"EventType\":\"job-received\",\"Version\":1,"
                        + "\"Payload\":{\"ethAddress\":\"0xAbC0\",\"requestID\":\"r-1\","
                        + "\"pipeline\":\"text-to-image\",\"modelID\":\"sdxl\"},"
                        + "\"NodeType\":\"orchestrator\",\"Region\":\"eu\","
                        + "\"DT\":\"2025-12-05T16:24:24.5Z\"}]";

        TelemetryEvent e = Parsed.parse(record).single();

        assertThat(e.shape).isEqualTo("open_pool");
        assertThat(e.eventId).isEqualTo("op-1");
        assertThat(e.type).isEqualTo("job-received");
        assertThat(e.family).isEqualTo("job-received");
        assertThat(e.index).isZero();
        // 2025-12-05T16:24:24.5Z: 1_764_892_800_000 + 59_064_000 + 500
        assertThat(e.eventTime).isEqualTo(1_764_951_864_500L);
        assertThat(e.envelopeTimestamp).isEqualTo("2025-12-05T16:24:24.5Z");
        assertThat(e.gateway).isNull();
        assertThat(e.nodeIds).containsExactly("orchestrator:0xabc0");
        assertThat(e.payload)
                .isEqualTo(
                        "{\"ethAddress\":\"0xAbC0\",\"requestID\":\"r-1\","
                                + "\"pipeline\":\"text-to-image\",\"modelID\":\"sdxl\"}");
    }

    @Test
    void unwrapsAStreamrWrapperAroundOneEvent() throws Exception {
        TelemetryEvent e = Parsed.parse(wrapped(TRACE)).single();

        assertThat(e.streamrWrapped).isTrue();
        assertThat(e.publisherId).isEqualTo(PUBLISHER);
        assertThat(e.streamrTimestamp).isEqualTo(1_768_483_619_200L);
        assertThat(e.streamrSequenceNumber).isEqualTo(7L);
        assertThat(e.streamrMsgChainId).isEqualTo("chain-1");
        assertThat(e.shape).isEqualTo("kafka_queue");
        assertThat(e.index).isEqualTo(-1);
        assertThat(e.sessionId).isEqualTo("s-1|r-1");
        assertThat(e.eventTime).isEqualTo(1_768_483_619_190L);
        assertThat(JSON.readTree(e.raw))
                .as("raw is the event without its wrapper")
                .isEqualTo(JSON.readTree(TRACE));
    }

    @Test
    void namesTheGatewayByPublisherWhenTheEnvelopeGatewayIsEmpty() {
        TelemetryEvent trace = Parsed.parse(wrapped(TRACE)).single();
        assertThat(trace.nodeIds).containsExactly("gateway:" + PUBLISHER.toLowerCase());

        TelemetryEvent named =
                Parsed.parse(wrapped(TRACE.replace("\"gateway\":\"\"", "\"gateway\":\"gw-1\"")))
                        .single();
        assertThat(named.gateway).isEqualTo("gw-1");
        assertThat(named.nodeIds).as("the envelope gateway wins").containsExactly("gateway:gw-1");

        TelemetryEvent worker = Parsed.parse(wrapped(WORKER)).single();
        assertThat(worker.nodeIds)
                .as("an orchestrator-side family does not make its publisher a gateway")
                .containsExactly("orchestrator:0xaa", "worker:0xaa@127.0.0.1:46800");

        TelemetryEvent reset =
                Parsed.parse(
                                wrapped(
                                        "{\"id\":\"n-1\",\"type\":\"node_trace\","
                                                + "\"timestamp\":\"1768483619196\","
                                                + "\"payload\":\"gateway-reset\"}"))
                        .single();
        assertThat(reset.nodeIds).containsExactly("gateway:" + PUBLISHER.toLowerCase());
    }

    @Test
    void unwrapsAStreamrWrapperAroundAnArrayWithIndexes() {
        Parsed p = Parsed.parse(wrapped("[" + TRACE + "," + WORKER + "]"));

        assertThat(p.rejected).isEmpty();
        assertThat(p.accepted).extracting(e -> e.index).containsExactly(0, 1);
        assertThat(p.accepted)
                .extracting(e -> e.shape)
                .containsExactly("kafka_queue", "event_sink");
        assertThat(p.accepted).allSatisfy(e -> assertThat(e.streamrWrapped).isTrue());
        assertThat(p.accepted).allSatisfy(e -> assertThat(e.publisherId).isEqualTo(PUBLISHER));
    }

    @Test
    void splitsAnArrayRecordIntoOneOutputPerElement() {
        String bad =
                "{\"id\":\"b-1\",\"timestamp\":\"1768483619196\",\"payload\":\"gateway-reset\"}";
        String record = "[" + TRACE + "," + bad + "," + WORKER + "]";

        Parsed p = Parsed.parse(record);

        assertThat(p.accepted).extracting(e -> e.index).containsExactly(0, 2);
        assertThat(p.accepted).extracting(e -> e.eventId).containsExactly("t-1", "w-1");
        Rejection r = p.rejected.get(0);
        assertThat(p.rejected).hasSize(1);
        assertThat(r.index).isEqualTo(1);
        assertThat(r.reason).isEqualTo("missing_field:type");
        assertThat(r.eventId).isEqualTo("b-1");
        assertThat(r.rawText()).as("the whole record, not just the element").isEqualTo(record);
        assertThat(r.rawSize).isEqualTo(record.getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void keepsEachElementAsItsOwnRawText() throws Exception {
        Parsed p = Parsed.parse("[" + TRACE + "," + WORKER + "]");

        List<TelemetryEvent> events = p.accepted;
        assertThat(JSON.readTree(events.get(0).raw)).isEqualTo(JSON.readTree(TRACE));
        assertThat(JSON.readTree(events.get(1).raw)).isEqualTo(JSON.readTree(WORKER));
    }

    @Test
    void readsAKafkaQueueEnvelopeWithAGatewayHost() {
        TelemetryEvent e =
                Parsed.parse(TRACE.replace("\"gateway\":\"\"", "\"gateway\":\"gw.example\""))
                        .single();

        assertThat(e.shape).isEqualTo("kafka_queue");
        assertThat(e.gateway).isEqualTo("gw.example");
        assertThat(e.nodeIds).containsExactly("gateway:gw.example");
    }

    @Test
    void readsAnEventSinkEnvelopeWithOrWithoutGateway() {
        assertThat(Parsed.parse(WORKER).single().shape).isEqualTo("event_sink");
        String withGateway = WORKER.replace("\"payload\"", "\"gateway\":\"orch-gw\",\"payload\"");
        TelemetryEvent e = Parsed.parse(withGateway).single();
        assertThat(e.shape).isEqualTo("event_sink");
        assertThat(e.gateway).isEqualTo("orch-gw");
    }
}
