package org.livepeer.naap.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads every timestamp form producers send and normalizes it to epoch milliseconds.
 *
 * <p>Accepted forms:
 *
 * <ul>
 *   <li>an epoch number, as a JSON number or as a string of digits with an optional fraction; its
 *       unit is decided by magnitude: below 1e11 seconds, below 1e14 milliseconds, below 1e17
 *       microseconds, else nanoseconds (below 1e19, so that nanoseconds fit a {@code long});
 *   <li>RFC 3339 ({@code 2025-12-05T16:24:24.271818368Z}, {@code 2026-01-15T14:03:01+02:00}) with
 *       up to nine fraction digits and any offset.
 * </ul>
 *
 * <p>Sub-millisecond parts are truncated. Negative numbers, exponents inside strings, more than
 * nine fraction digits and anything else are unparseable. The two string patterns are published
 * verbatim in {@code json/defs.schema.json}, so the parser and the JSON Schema agree on what a
 * timestamp is. The calendar is lenient inside the pattern: day 31 of a 30-day month rolls into the
 * next month, as does second 60 (a leap second) into the next minute.
 */
public final class Timestamps {

    /** An epoch value written as a string: 1 to 19 digits, optional fraction. */
    public static final String EPOCH_PATTERN = "^[0-9]{1,19}(\\.[0-9]+)?$";

    /** RFC 3339 date-time, fraction up to nanoseconds, {@code Z} or a numeric offset. */
    public static final String RFC3339_PATTERN =
            "^([0-9]{4})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[Tt]"
                    + "([01][0-9]|2[0-3]):([0-5][0-9]):([0-5][0-9]|60)(\\.[0-9]{1,9})?"
                    + "([Zz]|([+-])([01][0-9]|2[0-3]):([0-5][0-9]))$";

    private static final Pattern EPOCH = Pattern.compile(EPOCH_PATTERN);
    private static final Pattern RFC3339 = Pattern.compile(RFC3339_PATTERN);

    private static final BigDecimal SECONDS_BELOW = new BigDecimal("1e11");
    private static final BigDecimal MILLIS_BELOW = new BigDecimal("1e14");
    private static final BigDecimal MICROS_BELOW = new BigDecimal("1e17");
    private static final BigDecimal LIMIT = new BigDecimal("1e19");

    private Timestamps() {}

    /** Epoch ms of a JSON timestamp (number or string); empty for anything else or unparseable. */
    public static OptionalLong parse(JsonNode node) {
        if (node == null) {
            return OptionalLong.empty();
        }
        if (node.isTextual()) {
            return parse(node.textValue());
        }
        if (node.isNumber()) {
            return fromEpoch(decimal(node));
        }
        return OptionalLong.empty();
    }

    /** Epoch ms of a timestamp string (epoch digits or RFC 3339); empty when unparseable. */
    public static OptionalLong parse(String text) {
        if (text == null || text.isEmpty()) {
            return OptionalLong.empty();
        }
        if (EPOCH.matcher(text).matches()) {
            // Nine fraction digits decide the millisecond in every unit band; longer ones only
            // cost.
            int dot = text.indexOf('.');
            String bounded =
                    dot >= 0 && text.length() - dot > 10 ? text.substring(0, dot + 10) : text;
            return fromEpoch(new BigDecimal(bounded));
        }
        Matcher m = RFC3339.matcher(text);
        if (m.matches()) {
            return OptionalLong.of(rfc3339(m));
        }
        return OptionalLong.empty();
    }

    /** Epoch ms of an epoch number whose unit is decided by magnitude (see class comment). */
    public static OptionalLong fromEpoch(BigDecimal value) {
        if (value == null || value.signum() < 0 || value.compareTo(LIMIT) >= 0) {
            return OptionalLong.empty();
        }
        if (value.precision() - value.scale() <= -3) {
            // Below a millisecond in every band; also keeps huge negative exponents from expanding.
            return OptionalLong.of(0);
        }
        BigDecimal millis;
        if (value.compareTo(SECONDS_BELOW) < 0) {
            millis = value.movePointRight(3);
        } else if (value.compareTo(MILLIS_BELOW) < 0) {
            millis = value;
        } else if (value.compareTo(MICROS_BELOW) < 0) {
            millis = value.movePointLeft(3);
        } else {
            millis = value.movePointLeft(6);
        }
        return OptionalLong.of(millis.setScale(0, RoundingMode.DOWN).longValueExact());
    }

    /**
     * The original text of a timestamp: a string's value, a number's JSON text; null for an absent
     * or null node. Other kinds give their JSON text.
     */
    public static String text(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        return node.isTextual() ? node.textValue() : node.toString();
    }

    /**
     * The exact decimal value of a JSON number, for doubles the shortest decimal that reads back.
     */
    static BigDecimal decimal(JsonNode number) {
        if (number.isFloat() || number.isDouble()) {
            double d = number.doubleValue();
            return Double.isFinite(d) ? BigDecimal.valueOf(d) : null;
        }
        return number.decimalValue();
    }

    private static long rfc3339(Matcher m) {
        int year = Integer.parseInt(m.group(1));
        int month = Integer.parseInt(m.group(2));
        int day = Integer.parseInt(m.group(3));
        long seconds =
                LocalDate.of(year, month, 1).plusDays(day - 1L).toEpochDay() * 86_400L
                        + Integer.parseInt(m.group(4)) * 3_600L
                        + Integer.parseInt(m.group(5)) * 60L
                        + Integer.parseInt(m.group(6));
        String zone = m.group(8);
        if (zone.charAt(0) != 'Z' && zone.charAt(0) != 'z') {
            int offset = Integer.parseInt(m.group(10)) * 3_600 + Integer.parseInt(m.group(11)) * 60;
            seconds -= "-".equals(m.group(9)) ? -offset : offset;
        }
        long millis = 0;
        String fraction = m.group(7);
        if (fraction != null) {
            String digits = (fraction.substring(1) + "00").substring(0, 3);
            millis = Integer.parseInt(digits);
        }
        return seconds * 1_000L + millis;
    }
}
