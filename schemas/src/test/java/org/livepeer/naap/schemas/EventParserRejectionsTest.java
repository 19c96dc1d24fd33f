package org.livepeer.naap.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every reason class, each from a minimal input, with the rejection's fields. */
class EventParserRejectionsTest {
    private static final String TS = "\"timestamp\":\"1768483619196\"";

    @ParameterizedTest(name = "{0}: {2}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "malformed_json | parse | {\"id\":",
                "malformed_json | parse | {} {}",
                "not_an_object | parse | 42",
                "not_an_object | parse | \"text\"",
                "not_an_object | parse | null",
                "empty_array | parse | []",
                "empty_array | parse | {\"content\":[],\"metadata\":{}}",
                "unsupported_shape | parse | {\"hello\":1}",
                "unsupported_shape | parse | {\"id\":\"a\",\"type\":\"t\","
                        + TS
                        + ",\"data\":1,\"payload\":1}",
                "missing_field:id | parse | {\"type\":\"x\"," + TS + ",\"data\":{}}",
                "missing_field:id | parse | {\"id\":\"\",\"type\":\"x\"," + TS + ",\"data\":{}}",
                "missing_field:type | parse | {\"id\":\"a\"," + TS + ",\"data\":{}}",
                "missing_field:timestamp | parse | {\"id\":\"a\",\"type\":\"x\",\"data\":{}}",
                "missing_field:data | parse | {\"id\":\"a\",\"type\":\"x\"," + TS + "}",
                "missing_field:data | parse | {\"ID\":\"a\",\"EventType\":\"x\",\"DT\":\"1768483619196\"}",
                "wrong_type:id | parse | {\"id\":1,\"type\":\"x\"," + TS + ",\"data\":{}}",
                "wrong_type:type | parse | {\"id\":\"a\",\"type\":{}," + TS + ",\"data\":{}}",
                "wrong_type:timestamp | parse | {\"id\":\"a\",\"type\":\"x\",\"timestamp\":[],\"data\":{}}",
                "wrong_type:data | parse | {\"id\":\"a\",\"type\":\"x\"," + TS + ",\"data\":true}",
                "wrong_type:gateway | parse | {\"id\":\"a\",\"type\":\"x\","
                        + TS
                        + ",\"gateway\":1,\"data\":{}}",
                "bad_timestamp | parse | {\"id\":\"a\",\"type\":\"x\",\"timestamp\":\"soon\",\"data\":{}}",
                "wrong_type:metadata | parse | {\"content\":{},\"metadata\":1}",
                "missing_field:data.type | validate | {\"id\":\"a\",\"type\":\"stream_trace\","
                        + TS
                        + ",\"data\":{}}",
                "wrong_type:data.stats | validate | {\"id\":\"a\",\"type\":\"stream_ingest_metrics\","
                        + TS
                        + ",\"data\":{\"stats\":[]}}",
                "missing_field:data.faceValue | validate | {\"id\":\"a\",\"type\":\"create_new_payment\","
                        + TS
                        + ",\"data\":{\"winProb\":\"0.5\"}}",
                "wrong_type:data | validate | {\"id\":\"a\",\"type\":\"node_trace\","
                        + TS
                        + ",\"payload\":[\"gateway-reset\"]}",
                "wrong_type:data[0] | validate | {\"id\":\"a\",\"type\":\"discovery_results\","
                        + TS
                        + ",\"data\":[1]}",
                "missing_field:data.ethAddress | validate | {\"id\":\"a\",\"type\":\"worker-connected\","
                        + TS
                        + ",\"payload\":{}}"
            })
    void rejectsWithTheReasonAndStage(String reason, String stage, String input) {
        Rejection r = Parsed.parse(input, 1_768_483_700_000L).singleRejection();

        assertThat(r.reason).isEqualTo(reason);
        assertThat(r.stage).isEqualTo(stage);
        assertThat(r.detail).isNotBlank();
        assertThat(r.source).isEqualTo(Parsed.SOURCE);
        assertThat(r.topic).isEqualTo(Parsed.TOPIC);
        assertThat(r.partition).isEqualTo(Parsed.PARTITION);
        assertThat(r.offset).isEqualTo(Parsed.OFFSET);
        assertThat(r.ingestTime).isEqualTo(1_768_483_700_000L);
        assertThat(r.index).isEqualTo(-1);
        assertThat(r.rawText()).isEqualTo(input);
        assertThat(r.rawSize).isEqualTo(input.getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void detailSaysWhatWasWrong() {
        Rejection missing =
                Parsed.parse("{\"ID\":\"a\",\"EventType\":\"x\",\"Payload\":{}}").singleRejection();
        assertThat(missing.reason).isEqualTo("missing_field:timestamp");
        assertThat(missing.detail).contains("'DT'");

        Rejection fps =
                Parsed.parse(
                                "{\"id\":\"a\",\"type\":\"ai_stream_status\","
                                        + TS
                                        + ",\"data\":{\"inference_status\":{\"fps\":[15]}}}")
                        .singleRejection();
        assertThat(fps.reason).isEqualTo("wrong_type:data.inference_status.fps");
        assertThat(fps.detail).contains("data.inference_status.fps").contains("an array");

        Rejection when =
                Parsed.parse("{\"id\":\"a\",\"type\":\"x\",\"timestamp\":\"soon\",\"data\":{}}")
                        .singleRejection();
        assertThat(when.detail).contains("'soon'");
    }

    @Test
    void knownIdAndTypeTravelWithTheRejection() {
        Rejection early =
                Parsed.parse("{\"id\":\"ev-1\",\"type\":\"stream_trace\",\"data\":{}}")
                        .singleRejection();
        assertThat(early.eventId).isEqualTo("ev-1");
        assertThat(early.type).isEqualTo("stream_trace");

        Rejection late =
                Parsed.parse("{\"id\":\"ev-2\",\"type\":\"stream_trace\"," + TS + ",\"data\":{}}")
                        .singleRejection();
        assertThat(late.eventId).isEqualTo("ev-2");
        assertThat(late.type).isEqualTo("stream_trace");

        Rejection none = Parsed.parse("[]").singleRejection();
        assertThat(none.eventId).isNull();
        assertThat(none.type).isNull();
    }

    @Test
    void tooLargeKeepsOnlyTheFirstBytesAndTheFullSize() {
        ParserConfig small = new ParserConfig(16, 300_000L, 3_600_000L);
        byte[] big =
                ("{\"id\":\"a\",\"type\":\"x\"," + TS + ",\"data\":{}}")
                        .getBytes(StandardCharsets.UTF_8);

        Parsed p = Parsed.parse(small, big, 0L);

        Rejection r = p.singleRejection();
        assertThat(r.reason).isEqualTo("too_large");
        assertThat(r.stage).isEqualTo("parse");
        assertThat(r.rawSize).isEqualTo(big.length);
        assertThat(r.raw).hasSize(16).containsExactly(java.util.Arrays.copyOf(big, 16));
        assertThat(r.detail).contains(Integer.toString(big.length)).contains("16");
    }

    @Test
    void invalidUtf8IsMalformedJson() {
        byte[] bytes = "{\"id\":\"a\u00e9\"}".getBytes(StandardCharsets.UTF_8);
        // Cut the two-byte é after its lead byte: 0xC3 followed by '"' is not UTF-8.
        byte[] broken = new byte[bytes.length - 1];
        System.arraycopy(bytes, 0, broken, 0, 9);
        System.arraycopy(bytes, 10, broken, 9, bytes.length - 10);

        Rejection r = Parsed.parse(ParserConfig.defaults(), broken, 0L).singleRejection();

        assertThat(r.reason).isEqualTo("malformed_json");
        assertThat(r.detail).contains("UTF-8").contains("byte 8");
        assertThat(r.raw).containsExactly(broken);
    }

    @Test
    void jsonBeyondTheReadersLimitsIsMalformedJsonNeverAnInternalError() {
        String[] unreadable = {
            // An exponent beyond an int: a BigDecimal cannot hold it.
            "{\"id\":\"a\",\"type\":\"x\",\"timestamp\":1e9999999999,\"data\":{}}",
            "{\"id\":\"a\",\"type\":\"x\"," + TS + ",\"data\":{\"fps\":-1e-9999999999}}",
            "[1e2147483648]",
            // Deeper than 1000, longer than 1000 digits.
            "[".repeat(2000) + "]".repeat(2000),
            "{\"id\":\"a\",\"type\":\"x\",\"timestamp\":1" + "0".repeat(1500) + ",\"data\":{}}"
        };
        for (String record : unreadable) {
            Rejection r = Parsed.parse(record).singleRejection();
            assertThat(r.reason).as(record).isEqualTo("malformed_json");
            assertThat(r.stage).isEqualTo("parse");
            assertThat(r.detail).isNotBlank();
        }
    }

    @Test
    void anEmptyOrNullRecordIsMalformedJson() {
        assertThat(Parsed.parse("").singleRejection().reason).isEqualTo("malformed_json");
        assertThat(Parsed.parse("   ").singleRejection().reason).isEqualTo("malformed_json");
        Parsed nullValue = new Parsed();
        new EventParser(ParserConfig.defaults()).parse(Parsed.record(null, 0L), nullValue);
        assertThat(nullValue.singleRejection().reason).isEqualTo("malformed_json");
    }

    @Test
    void aNonObjectArrayElementIsRejectedAtItsIndex() {
        Parsed p =
                Parsed.parse("[{\"id\":\"a\",\"type\":\"x\"," + TS + ",\"data\":{}},\"oops\",[1]]");

        assertThat(p.accepted).extracting(e -> e.index).containsExactly(0);
        assertThat(p.rejected).extracting(r -> r.reason).containsOnly("not_an_object");
        assertThat(p.rejected).extracting(r -> r.index).containsExactly(1, 2);
    }

    @Test
    void neverThrowsAndAlwaysAnswersOnMutatedSamples() {
        List<String> samples = Samples.all();
        Random random = new Random(20260115L);
        EventParser parser = new EventParser(ParserConfig.defaults());
        for (int i = 0; i < 3_000; i++) {
            byte[] bytes =
                    samples.get(random.nextInt(samples.size())).getBytes(StandardCharsets.UTF_8);
            byte[] mutated = mutate(bytes, random);
            Parsed out = new Parsed();
            assertThatCode(() -> parser.parse(Parsed.record(mutated, 0L), out))
                    .doesNotThrowAnyException();
            assertThat(out.accepted.size() + out.rejected.size()).isPositive();
            assertThat(out.rejected)
                    .allSatisfy(
                            r -> {
                                assertThat(r.reason).isNotEqualTo(Reasons.INTERNAL_ERROR);
                                assertThat(r.reason)
                                        .matches(
                                                "too_large|malformed_json|not_an_object|empty_array"
                                                        + "|unsupported_shape|bad_timestamp"
                                                        + "|missing_field:.+|wrong_type:.+");
                                assertThat(r.raw).isNotNull();
                            });
        }
    }

    private static byte[] mutate(byte[] in, Random random) {
        byte[] out = in.clone();
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits; e++) {
            int at = random.nextInt(out.length);
            switch (random.nextInt(4)) {
                case 0 -> out[at] = (byte) random.nextInt(256);
                case 1 -> out = java.util.Arrays.copyOf(out, Math.max(1, at));
                case 2 -> out[at] = (byte) "{}[]\":,0-".charAt(random.nextInt(9));
                default -> {
                    byte[] grown = new byte[out.length + 1];
                    System.arraycopy(out, 0, grown, 0, at);
                    grown[at] = (byte) "\"{[0 ".charAt(random.nextInt(5));
                    System.arraycopy(out, at, grown, at + 1, out.length - at);
                    out = grown;
                }
            }
        }
        return out;
    }
}
