package org.livepeer.naap.functions;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;
import org.livepeer.naap.schemas.ParserConfig;
import org.livepeer.naap.schemas.RawRecord;
import org.livepeer.naap.schemas.Rejection;
import org.livepeer.naap.schemas.TelemetryEvent;

class ParseAndValidateTest {

    private static RawRecord record(long offset, String json) {
        return new RawRecord(
                json.getBytes(StandardCharsets.UTF_8), "raw", "naap.events.raw", 3, offset, 0L);
    }

    @Test
    void splitsArraysAcceptsEventsAndSendsEverythingElseToTheRejectedOutput() throws Exception {
        try (OneInputStreamOperatorTestHarness<RawRecord, TelemetryEvent> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(
                        new ParseAndValidate(ParserConfig.defaults()))) {
            harness.processElement(
                    new StreamRecord<>(
                            record(
                                    7,
                                    "[{\"id\":\"a\",\"type\":\"node_trace\",\"timestamp\":"
                                            + "\"1768483619196\",\"data\":\"gateway-reset\"},"
                                            + "{\"id\":\"b\",\"type\":\"node_trace\"}]")));
            harness.processElement(new StreamRecord<>(record(8, "{\"id\":")));

            List<TelemetryEvent> accepted = harness.extractOutputValues();
            assertThat(accepted).hasSize(1);
            TelemetryEvent a = accepted.get(0);
            assertThat(a.eventId).isEqualTo("a");
            assertThat(a.subtype).isEqualTo("gateway-reset");
            assertThat(a.eventTime).isEqualTo(1_768_483_619_196L);
            assertThat(a.offset).isEqualTo(7);
            assertThat(a.partition).isEqualTo(3);
            assertThat(a.index).isZero();

            List<Rejection> rejected =
                    harness.getSideOutput(ParseAndValidate.REJECTED).stream()
                            .map(StreamRecord::getValue)
                            .toList();
            assertThat(rejected)
                    .extracting(r -> r.reason + "@" + r.offset + "#" + r.index)
                    .containsExactly("missing_field:timestamp@7#1", "malformed_json@8#-1");
            assertThat(rejected.get(1).rawText()).isEqualTo("{\"id\":");
        }
    }
}
