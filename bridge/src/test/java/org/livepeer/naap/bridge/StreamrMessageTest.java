package org.livepeer.naap.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Messages as the MQTT plugin delivers them, with and without payload metadata. */
class StreamrMessageTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String STREAM =
            "0xabc0000000000000000000000000000000000001/livepeer/events";

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void withMetadataTheWrapperIsKeptAndItsMetadataRead() {
        String wrapped =
                "{\"content\":{\"id\":\"e1\",\"type\":\"stream_trace\"},\"metadata\":{\"timestamp\":"
                        + "1768478400123,\"sequenceNumber\":7,\"publisherId\":\"0xPub\","
                        + "\"msgChainId\":\"chain-1\"}}";
        StreamrMessage m =
                StreamrMessage.of(MAPPER, StreamrMessage.topicOf(STREAM, 2), bytes(wrapped), 99L);
        assertThat(m.streamId()).isEqualTo(STREAM);
        assertThat(m.partition()).isEqualTo(2);
        assertThat(new String(m.payload(), StandardCharsets.UTF_8)).isEqualTo(wrapped);
        assertThat(m.content().get("id").asText()).isEqualTo("e1");
        assertThat(m.timestamp()).isEqualTo(1768478400123L);
        assertThat(m.sequenceNumber()).isEqualTo(7L);
        assertThat(m.publisherId()).isEqualTo("0xPub");
        assertThat(m.msgChainId()).isEqualTo("chain-1");
        assertThat(m.receivedAt()).isEqualTo(99L);
    }

    @Test
    void withoutMetadataTheContentIsThePayload() {
        String plain = "[{\"id\":\"e1\"},{\"id\":\"e2\"}]";
        StreamrMessage m = StreamrMessage.of(MAPPER, STREAM, bytes(plain), 1L);
        assertThat(m.partition()).isZero();
        assertThat(m.streamId()).isEqualTo(STREAM);
        assertThat(m.content().isArray()).isTrue();
        assertThat(m.sequenceNumber()).isNull();
        assertThat(m.publisherId()).isNull();
    }

    @Test
    void aPayloadThatIsNotJsonIsPassedOnUnread() {
        byte[] junk = {(byte) 0xff, 0x00, '{'};
        StreamrMessage m = StreamrMessage.of(MAPPER, STREAM + "?partition=x", junk, 1L);
        assertThat(m.payload()).isSameAs(junk);
        assertThat(m.content()).isNull();
        assertThat(m.partition()).isZero();
        assertThat(StreamrMessage.topicOf(STREAM, 0)).isEqualTo(STREAM);
    }
}
