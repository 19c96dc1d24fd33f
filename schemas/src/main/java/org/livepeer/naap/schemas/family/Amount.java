package org.livepeer.naap.schemas.family;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A money value as sent ({@code "2402400000000000 WEI"}, {@code "0.0034 ETH"}, {@code "1635.021
 * wei/pixel"}, or a bare number of wei), with its value converted to wei.
 *
 * @param text the value exactly as sent (a number's JSON text)
 * @param wei the value in wei (per unit for a price such as {@code wei/pixel}); null when the text
 *     is not a number or its unit is not wei, gwei or eth
 * @param unit the unit as sent ({@code WEI}, {@code ETH}, {@code wei/pixel}); null for a bare
 *     number, which is taken as wei
 */
public record Amount(String text, BigDecimal wei, String unit) {
    private static final Pattern AMOUNT =
            Pattern.compile(
                    "\\s*(-?[0-9]+(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)\\s*([A-Za-z][A-Za-z/_-]*)?\\s*");
    private static final int MAX_TEXT = 100;

    /** Parses a text amount; null for null or empty text. */
    public static Amount parse(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        if (text.length() > MAX_TEXT) {
            return new Amount(text, null, null);
        }
        Matcher m = AMOUNT.matcher(text);
        if (!m.matches()) {
            return new Amount(text, null, null);
        }
        String unit = m.group(2);
        return new Amount(text, toWei(Read.parseNumber(m.group(1)), unit), unit);
    }

    static Amount of(JsonNode v) {
        if (v == null) {
            return null;
        }
        if (v.isNumber()) {
            return new Amount(v.asText(), toWei(Read.decimal(v), null), null);
        }
        return parse(Read.text(v));
    }

    private static BigDecimal toWei(BigDecimal value, String unit) {
        if (value == null || Read.integerDigits(value) > 60) {
            return null;
        }
        int shift;
        String u = unit == null ? "wei" : unit.toLowerCase(Locale.ROOT);
        if (u.equals("wei") || u.startsWith("wei/")) {
            shift = 0;
        } else if (u.equals("gwei") || u.startsWith("gwei/")) {
            shift = 9;
        } else if (u.equals("eth") || u.startsWith("eth/")) {
            shift = 18;
        } else {
            return null;
        }
        BigDecimal wei = value.movePointRight(shift);
        return wei.scale() < 0 ? wei.setScale(0) : wei;
    }
}
