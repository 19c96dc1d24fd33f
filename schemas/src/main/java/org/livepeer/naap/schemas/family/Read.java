package org.livepeer.naap.schemas.family;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import org.livepeer.naap.schemas.Reasons;
import org.livepeer.naap.schemas.Timestamps;

/**
 * The lenient field readers every family decoder uses, so that one set of rules holds for all of
 * them (and matches {@code json/defs.schema.json}):
 *
 * <ul>
 *   <li>a scalar field accepts any scalar (string, number, boolean) or null; a value that does not
 *       convert (a word in a number field) becomes null, and so does an empty string; an object or
 *       array there is {@code wrong_type};
 *   <li>a number beyond any counter, price or time (more than 60 digits before the point, or a
 *       non-zero value below 1e-60, however it is written: {@code 1e2147483647}, {@code
 *       "1e9999999999"}) is unknown too: null, never infinite, never an error;
 *   <li>an object or array field accepts its container kind or null, anything else is {@code
 *       wrong_type};
 *   <li>a free-form field ({@code message}, {@code params}, {@code error}...) accepts anything and
 *       keeps a string as is, any other value as JSON text;
 *   <li>a required field is absent, null or (for strings) empty: {@code missing_field}.
 * </ul>
 */
final class Read {
    static final String ROOT = "data";

    private static final Pattern NUMBER = Pattern.compile("-?[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
    private static final int MAX_NUMBER_TEXT = 100;
    private static final int MAX_INTEGER_DIGITS = 60;
    private static final int MAX_FRACTION_DIGITS = 60;
    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    private Read() {}

    static String path(String parent, String field) {
        return parent + "." + field;
    }

    static String path(String parent, int index) {
        return parent + "[" + index + "]";
    }

    /** The member, or null when absent or JSON null. */
    static JsonNode get(JsonNode obj, String field) {
        JsonNode v = obj.get(field);
        return v == null || v.isNull() ? null : v;
    }

    // ---- containers

    /** {@code node} itself must be an object. */
    static JsonNode requireObject(JsonNode node, String path) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            throw missing(path, "an object");
        }
        if (!node.isObject()) {
            throw wrongType(path, "an object", node);
        }
        return node;
    }

    /** A required object member. */
    static JsonNode requiredObject(JsonNode obj, String field, String parent) {
        return requireObject(get(obj, field), path(parent, field));
    }

    /** An optional object member: the object, or null when absent or null. */
    static JsonNode object(JsonNode obj, String field, String parent) {
        JsonNode v = get(obj, field);
        if (v != null && !v.isObject()) {
            throw wrongType(path(parent, field), "an object or null", v);
        }
        return v;
    }

    /** An optional array member: the array, or null when absent or null. */
    static JsonNode array(JsonNode obj, String field, String parent) {
        JsonNode v = get(obj, field);
        if (v != null && !v.isArray()) {
            throw wrongType(path(parent, field), "an array or null", v);
        }
        return v;
    }

    /** A list element that must be an object. */
    static JsonNode element(JsonNode array, int index, String arrayPath) {
        JsonNode v = array.get(index);
        if (!v.isObject()) {
            throw wrongType(path(arrayPath, index), "an object", v);
        }
        return v;
    }

    // ---- required scalars

    /** A required string member, non-empty. */
    static String requiredText(JsonNode obj, String field, String parent) {
        String p = path(parent, field);
        JsonNode v = get(obj, field);
        if (v == null) {
            throw missing(p, "a non-empty string");
        }
        if (!v.isTextual()) {
            throw wrongType(p, "a non-empty string", v);
        }
        if (v.textValue().isEmpty()) {
            throw new InvalidPayloadException(Reasons.missingField(p), p + " is an empty string");
        }
        return v.textValue();
    }

    /** A required number, or non-empty string (a number with or without a unit); its text. */
    static JsonNode requiredValue(JsonNode obj, String field, String parent) {
        String p = path(parent, field);
        JsonNode v = get(obj, field);
        if (v == null) {
            throw missing(p, "a number or a non-empty string");
        }
        if (!v.isNumber() && !v.isTextual()) {
            throw wrongType(p, "a number or a non-empty string", v);
        }
        if (v.isTextual() && v.textValue().isEmpty()) {
            throw new InvalidPayloadException(Reasons.missingField(p), p + " is an empty string");
        }
        return v;
    }

    // ---- optional scalars

    /** The member when it is a scalar; null when absent or null; wrong_type for a container. */
    static JsonNode scalar(JsonNode obj, String field, String parent) {
        JsonNode v = get(obj, field);
        if (v != null && v.isContainerNode()) {
            throw wrongType(path(parent, field), "a string, number, boolean or null", v);
        }
        return v;
    }

    static String text(JsonNode obj, String field, String parent) {
        return text(scalar(obj, field, parent));
    }

    static Long lng(JsonNode obj, String field, String parent) {
        return toLong(decimal(scalar(obj, field, parent)));
    }

    static Double dbl(JsonNode obj, String field, String parent) {
        BigDecimal d = decimal(scalar(obj, field, parent));
        return d == null ? null : d.doubleValue();
    }

    static BigDecimal dec(JsonNode obj, String field, String parent) {
        return decimal(scalar(obj, field, parent));
    }

    static Boolean bool(JsonNode obj, String field, String parent) {
        JsonNode v = scalar(obj, field, parent);
        if (v == null) {
            return null;
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isNumber()) {
            BigDecimal d = decimal(v);
            return d == null ? null : d.signum() != 0;
        }
        String s = v.asText().trim().toLowerCase(Locale.ROOT);
        return "true".equals(s) ? Boolean.TRUE : "false".equals(s) ? Boolean.FALSE : null;
    }

    /** A timestamp in any form {@link Timestamps} reads, as epoch ms; null when unparseable. */
    static Long time(JsonNode obj, String field, String parent) {
        OptionalLong t = Timestamps.parse(scalar(obj, field, parent));
        return t.isPresent() ? t.getAsLong() : null;
    }

    static Amount amount(JsonNode obj, String field, String parent) {
        return Amount.of(scalar(obj, field, parent));
    }

    /** A free-form member: a string as is, another value as compact JSON; null when absent. */
    static String json(JsonNode obj, String field) {
        JsonNode v = get(obj, field);
        if (v == null) {
            return null;
        }
        if (v.isTextual()) {
            return v.textValue().isEmpty() ? null : v.textValue();
        }
        return v.toString();
    }

    // ---- conversions

    static String text(JsonNode v) {
        if (v == null) {
            return null;
        }
        String s = v.isTextual() ? v.textValue() : v.asText();
        return s.isEmpty() ? null : s;
    }

    /** A number node's value, or a numeric string's; null for anything else. */
    static BigDecimal decimal(JsonNode v) {
        if (v == null) {
            return null;
        }
        BigDecimal d;
        if (v.isNumber()) {
            if (v.isFloat() || v.isDouble()) {
                double x = v.doubleValue();
                d = Double.isFinite(x) ? BigDecimal.valueOf(x) : null;
            } else {
                d = v.decimalValue();
            }
        } else if (v.isTextual()) {
            d = parseNumber(v.textValue());
        } else {
            d = null;
        }
        return inRange(d);
    }

    /** A numeric string's value (plain or with an exponent), within range; else null. */
    static BigDecimal parseNumber(String s) {
        if (s == null) {
            return null;
        }
        String t = s.trim();
        if (t.isEmpty() || t.length() > MAX_NUMBER_TEXT || !NUMBER.matcher(t).matches()) {
            return null;
        }
        try {
            return inRange(new BigDecimal(t));
        } catch (NumberFormatException exponentBeyondInt) {
            return null;
        }
    }

    /**
     * {@code d}, or null when it is beyond any counter, price or time we read: more than {@value
     * #MAX_INTEGER_DIGITS} digits before the point, or non-zero and below 1e-{@value
     * #MAX_FRACTION_DIGITS}. Such a value is unknown; kept, an exponent like {@code 1e2147483647}
     * would become an infinite double or make exact arithmetic on it throw or run out of memory. A
     * zero is plain 0 whatever its exponent. Never expands the value.
     */
    static BigDecimal inRange(BigDecimal d) {
        if (d == null) {
            return null;
        }
        if (d.signum() == 0) {
            return d.scale() == 0 ? d : BigDecimal.ZERO;
        }
        long integerDigits = integerDigits(d);
        return integerDigits > MAX_INTEGER_DIGITS || integerDigits <= -MAX_FRACTION_DIGITS
                ? null
                : d;
    }

    /**
     * Digits before the point ({@code precision - scale}; 0 or less for a value below 1), in long
     * arithmetic: in int it wraps around for a scale near the int limits.
     */
    static long integerDigits(BigDecimal d) {
        return (long) d.precision() - d.scale();
    }

    /** Truncated toward zero; null when null or outside the long range. */
    static Long toLong(BigDecimal d) {
        if (d == null || d.compareTo(LONG_MIN) < 0 || d.compareTo(LONG_MAX) > 0) {
            return null;
        }
        if (integerDigits(d) <= 0) {
            return 0L;
        }
        return d.setScale(0, RoundingMode.DOWN).longValue();
    }

    /** The low 64 bits of the integer part (a uint64 word keeps its bits); null when null. */
    static Long word(BigDecimal d) {
        if (d == null) {
            return null;
        }
        return integerDigits(d) <= 0 ? 0L : d.toBigInteger().longValue();
    }

    // ---- errors

    static InvalidPayloadException missing(String path, String expected) {
        return new InvalidPayloadException(
                Reasons.missingField(path), path + " is missing (expected " + expected + ")");
    }

    static InvalidPayloadException wrongType(String path, String expected, JsonNode actual) {
        return new InvalidPayloadException(
                Reasons.wrongType(path), path + " must be " + expected + " but is " + kind(actual));
    }

    static String kind(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return "null";
        }
        if (v.isObject()) {
            return "an object";
        }
        if (v.isArray()) {
            return "an array";
        }
        if (v.isTextual()) {
            return "a string";
        }
        if (v.isNumber()) {
            return "a number";
        }
        if (v.isBoolean()) {
            return "a boolean";
        }
        return v.getNodeType().name().toLowerCase(Locale.ROOT);
    }
}
