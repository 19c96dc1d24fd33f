package org.livepeer.naap.functions.alerts;

/**
 * Builds an alert's evidence, a small JSON object, without a JSON library on the hot path: keys are
 * fixed identifiers, values numbers, strings (escaped) or string arrays.
 */
final class Evidence {
    private final StringBuilder json = new StringBuilder("{");

    Evidence put(String key, long value) {
        return key(key).raw(Long.toString(value));
    }

    Evidence put(String key, Double value) {
        if (value == null || value.isNaN() || value.isInfinite()) {
            return key(key).raw("null");
        }
        return key(key).raw(Double.toString(value));
    }

    Evidence put(String key, String value) {
        key(key);
        if (value == null) {
            return raw("null");
        }
        quote(value);
        return this;
    }

    Evidence put(String key, String[] values) {
        key(key).json.append('[');
        if (values != null) {
            for (int i = 0; i < values.length; i++) {
                if (i > 0) {
                    json.append(',');
                }
                quote(values[i]);
            }
        }
        json.append(']');
        return this;
    }

    private Evidence key(String key) {
        if (json.length() > 1) {
            json.append(',');
        }
        quote(key);
        json.append(':');
        return this;
    }

    private Evidence raw(String text) {
        json.append(text);
        return this;
    }

    private void quote(String s) {
        json.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }

    @Override
    public String toString() {
        return json + "}";
    }
}
