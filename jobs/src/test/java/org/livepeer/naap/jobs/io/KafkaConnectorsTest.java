package org.livepeer.naap.jobs.io;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.livepeer.naap.schemas.Rejection;

/** The rejected topic's values fit any Kafka record, whatever was rejected. */
class KafkaConnectorsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static Rejection rejection(byte[] raw) {
        Rejection r = new Rejection();
        r.reason = "too_large";
        r.stage = Rejection.STAGE_PARSE;
        r.source = "raw";
        r.topic = "naap.events.raw";
        r.rawSize = raw.length;
        r.raw = raw;
        return r;
    }

    @Test
    void aSmallRejectionKeepsItsWholeText() {
        ObjectNode v =
                KafkaConnectors.rejectionValue(
                        MAPPER, rejection("{not json".getBytes(StandardCharsets.UTF_8)));
        assertThat(v.get("raw_text").asText()).isEqualTo("{not json");
        assertThat(v.get("raw_text_truncated").asBoolean()).isFalse();
    }

    @Test
    void aRecordOfAMegabyteIsCutBelowKafkasDefaultRecordLimitEvenWhenEveryCharIsEscaped()
            throws Exception {
        byte[] controls = new byte[1024 * 1024];
        Arrays.fill(controls, (byte) 1); // each becomes \u0001 in JSON: six characters
        ObjectNode v = KafkaConnectors.rejectionValue(MAPPER, rejection(controls));
        assertThat(v.get("raw_text").asText()).hasSize(KafkaConnectors.REJECTED_RAW_TEXT_MAX_CHARS);
        assertThat(v.get("raw_text_truncated").asBoolean()).isTrue();
        assertThat(v.get("raw_size").asInt()).isEqualTo(controls.length);
        assertThat(MAPPER.writeValueAsBytes(v).length).isLessThan(1024 * 1024);
    }
}
