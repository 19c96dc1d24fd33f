package org.livepeer.naap.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** One session's events under one key, whatever the envelope; nodes and events otherwise. */
class RecordKeysTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static String key(String json) throws Exception {
        return RecordKeys.keyOf(MAPPER.readTree(json));
    }

    @Test
    void aSessionsEventsShareTheirStreamsKey() throws Exception {
        assertThat(key("{\"id\":\"1\",\"data\":{\"stream_id\":\"s-1\",\"request_id\":\"r-1\"}}"))
                .isEqualTo("stream:s-1");
        // An event of the same session that lacks its request id lands with the others.
        assertThat(key("{\"id\":\"2\",\"data\":{\"stream_id\":\"s-1\"}}")).isEqualTo("stream:s-1");
        assertThat(key("[{\"id\":\"3\",\"data\":{\"stream_id\":\"s-1\"}},{\"id\":\"4\"}]"))
                .isEqualTo("stream:s-1");
        assertThat(key("{\"ID\":\"5\",\"Data\":{\"StreamID\":\"s-1\"}}")).isEqualTo("stream:s-1");
        // The event-sink envelope (what nodes publish onto Streamr) and the Open Pool shape.
        assertThat(key("{\"id\":\"6\",\"payload\":{\"stream_id\":\"s-1\"}}"))
                .isEqualTo("stream:s-1");
        assertThat(key("{\"ID\":\"7\",\"Payload\":{\"stream_id\":\"s-1\"}}"))
                .isEqualTo("stream:s-1");
    }

    @Test
    void otherwiseTheRequestTheNodeOrTheEvent() throws Exception {
        assertThat(key("{\"id\":\"1\",\"data\":{\"request_id\":\"r-9\"}}"))
                .isEqualTo("request:r-9");
        assertThat(key("{\"id\":\"1\",\"gateway\":\"gw-1\",\"data\":{}}"))
                .isEqualTo("gateway:gw-1");
        assertThat(
                        key(
                                "{\"id\":\"1\",\"gateway\":\"\",\"data\":{\"orchestrator_info\":"
                                        + "{\"address\":\"0xABC\"}}}"))
                .isEqualTo("orchestrator:0xabc");
        assertThat(key("{\"id\":\"1\",\"payload\":{\"ethAddress\":\"0xDEF\"}}"))
                .isEqualTo("orchestrator:0xdef");
        assertThat(key("{\"id\":\"e-7\",\"data\":\"x\"}")).isEqualTo("event:e-7");
        assertThat(key("{\"id\":\"e-8\",\"payload\":\"gateway-reset\"}")).isEqualTo("event:e-8");
        assertThat(key("{}")).isNull();
        assertThat(key("42")).isNull();
        assertThat(RecordKeys.keyOf(null)).isNull();
    }
}
