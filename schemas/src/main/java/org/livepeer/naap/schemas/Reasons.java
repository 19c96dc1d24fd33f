package org.livepeer.naap.schemas;

/**
 * The rejection reason classes, stable strings that metrics and queries group by. Field paths in
 * {@code missing_field:} and {@code wrong_type:} use the canonical envelope names ({@code id},
 * {@code type}, {@code timestamp}, {@code data}) whatever the shape spelled them ({@code payload},
 * {@code Payload}, {@code DT}...), and {@code data.<field>} or {@code data[<i>].<field>} inside the
 * payload; the rejection's detail names the field as the producer spelled it.
 */
public final class Reasons {
    /** The record is longer than {@link ParserConfig#maxRecordBytes()}. */
    public static final String TOO_LARGE = "too_large";

    /**
     * Not JSON: a syntax error, trailing garbage, invalid UTF-8, or an empty record; or JSON beyond
     * what the reader reads (nesting deeper than 1000, a number of more than 1000 digits or with an
     * exponent beyond an int).
     */
    public static final String MALFORMED_JSON = "malformed_json";

    /** A record or array element that is JSON but not an object (or, at top level, an array). */
    public static final String NOT_AN_OBJECT = "not_an_object";

    /** A record (or Streamr wrapper content) that is an empty array. */
    public static final String EMPTY_ARRAY = "empty_array";

    /** An object that is none of the four envelope shapes. */
    public static final String UNSUPPORTED_SHAPE = "unsupported_shape";

    /** A timestamp of the right JSON type whose value is no timestamp form we read. */
    public static final String BAD_TIMESTAMP = "bad_timestamp";

    /**
     * A bug guard: the parser hit an unexpected exception (never expected; counted, not thrown).
     */
    public static final String INTERNAL_ERROR = "internal_error";

    public static final String MISSING_FIELD_PREFIX = "missing_field:";
    public static final String WRONG_TYPE_PREFIX = "wrong_type:";

    private Reasons() {}

    /** {@code missing_field:<path>}: absent, null, or (for required strings) empty. */
    public static String missingField(String path) {
        return MISSING_FIELD_PREFIX + path;
    }

    /** {@code wrong_type:<path>}: present with the wrong JSON type. */
    public static String wrongType(String path) {
        return WRONG_TYPE_PREFIX + path;
    }
}
