package org.livepeer.naap.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TimestampsTest {
    /**
     * 2025-12-05T00:00:00Z by hand: 1970..2024 are 55 years with 14 leap days (1972..2024), so 2025
     * starts on day 55 * 365 + 14 = 20089; January to November 2025 are 334 days, plus 4 = day
     * 20427, times 86400 = 1_764_892_800 s.
     */
    private static final long DEC_5_2025_MS = 1_764_892_800_000L;

    /** 16:24:24 = 16 * 3600 + 24 * 60 + 24 = 59064 s. */
    private static final long AT_16_24_24_MS = DEC_5_2025_MS + 59_064_000L;

    private static final ObjectMapper JSON = EventParser.newObjectMapper();

    private static long parsed(String text) {
        OptionalLong t = Timestamps.parse(text);
        assertThat(t).as(text).isPresent();
        return t.getAsLong();
    }

    private static long parsedJson(String json) throws Exception {
        OptionalLong t = Timestamps.parse(JSON.readTree(json));
        assertThat(t).as(json).isPresent();
        return t.getAsLong();
    }

    @Test
    void readsEpochMillisAsStringOrNumber() throws Exception {
        assertThat(parsed("1768483618943")).isEqualTo(1_768_483_618_943L);
        assertThat(parsedJson("1768483618943")).isEqualTo(1_768_483_618_943L);
    }

    @Test
    void readsEpochSecondsAsIntegerOrFloatAndTruncatesSubMillisecond() throws Exception {
        assertThat(parsedJson("1768483618")).isEqualTo(1_768_483_618_000L);
        assertThat(parsedJson("1768483618.943")).isEqualTo(1_768_483_618_943L);
        assertThat(parsed("1768483618.9439")).isEqualTo(1_768_483_618_943L);
        assertThat(parsed("1768483618.9999999")).isEqualTo(1_768_483_618_999L);
        assertThat(parsedJson("1.768483618943E9")).isEqualTo(1_768_483_618_943L);
    }

    @Test
    void readsDoubleNodesWithoutBinaryRoundingErrors() {
        // As a double, 1768483618.943 is 1768483618.94299983...: the decimal it was written as
        // wins.
        JsonNode d = JsonNodeFactory.instance.numberNode(1768483618.943d);
        assertThat(Timestamps.parse(d)).hasValue(1_768_483_618_943L);
    }

    @Test
    void readsMicrosecondsAndNanosecondsByMagnitude() throws Exception {
        assertThat(parsed("1768483618943123")).isEqualTo(1_768_483_618_943L);
        assertThat(parsedJson("1768483618943123456")).isEqualTo(1_768_483_618_943L);
        assertThat(parsed("1768483618943123456")).isEqualTo(1_768_483_618_943L);
    }

    @ParameterizedTest
    @CsvSource({
        // just below 1e11 is seconds, 1e11 itself is milliseconds
        "99999999999, 99999999999000",
        "100000000000, 100000000000",
        // just below 1e14 is milliseconds, 1e14 microseconds
        "99999999999999, 99999999999999",
        "100000000000000, 100000000000",
        // just below 1e17 is microseconds, 1e17 nanoseconds
        "99999999999999999, 99999999999999",
        "100000000000000000, 100000000000",
        "0, 0"
    })
    void decidesTheUnitByMagnitude(String text, long expectedMs) {
        assertThat(parsed(text)).isEqualTo(expectedMs);
    }

    @Test
    void readsRfc3339WithNanosecondsAndAnyOffset() {
        assertThat(parsed("2025-12-05T16:24:24.271818368Z")).isEqualTo(AT_16_24_24_MS + 271);
        assertThat(parsed("2025-12-05T18:24:24.271+02:00")).isEqualTo(AT_16_24_24_MS + 271);
        assertThat(parsed("2025-12-05T11:54:24.271-04:30")).isEqualTo(AT_16_24_24_MS + 271);
        assertThat(parsed("2025-12-05T16:24:24Z")).isEqualTo(AT_16_24_24_MS);
        assertThat(parsed("2025-12-05t16:24:24.2z")).isEqualTo(AT_16_24_24_MS + 200);
        assertThat(parsed("1970-01-01T00:00:00Z")).isZero();
    }

    @Test
    void rollsImpossibleCalendarDaysForwardLikeTheSchemaPatternAllows() {
        // 2025-02-30 is 2025-03-02: day 20089 + 31 + 28 + 1 = 20149, times 86400.
        assertThat(parsed("2025-02-30T00:00:00Z")).isEqualTo(20_149L * 86_400_000L);
        // A leap second counts into the next minute.
        assertThat(parsed("2025-12-05T16:24:60Z")).isEqualTo(AT_16_24_24_MS + 36_000L);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "yesterday",
                "-5",
                "1.7e12",
                "17684836189431234567890",
                "2025-13-01T00:00:00Z",
                "2025-12-05T16:24:24.1234567891Z",
                "2025-12-05 16:24:24Z",
                "2025-12-05T16:24:24",
                "2025-12-05T24:00:00Z",
                "1768483618943\n",
                " 1768483618943"
            })
    void rejectsOtherTexts(String text) {
        assertThat(Timestamps.parse(text)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"-5", "1e19", "true", "{}", "[1]", "null"})
    void rejectsOtherJsonValues(String json) throws Exception {
        assertThat(Timestamps.parse(JSON.readTree(json))).isEmpty();
    }

    @Test
    void keepsTheOriginalTextOfStringsAndNumbers() throws Exception {
        assertThat(Timestamps.text(JSON.readTree("\"1768483618943\""))).isEqualTo("1768483618943");
        assertThat(Timestamps.text(JSON.readTree("1768483618.9430"))).isEqualTo("1768483618.9430");
        assertThat(Timestamps.text(JSON.readTree("null"))).isNull();
    }

    @Test
    void tinyNumbersWithHugeExponentsStayCheap() throws Exception {
        assertThat(Timestamps.parse(JSON.readTree("1e-999999999"))).hasValue(0L);
        assertThat(Timestamps.parse(JSON.readTree("1e999999999"))).isEmpty();
    }
}
