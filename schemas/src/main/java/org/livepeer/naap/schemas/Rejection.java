package org.livepeer.naap.schemas;

import java.util.Arrays;
import java.util.Objects;

/**
 * An input that was not accepted, with the reason class, the stage that refused it, a pointer to
 * where it came from, and its original bytes (cut at {@code ParserConfig.maxRecordBytes}; {@code
 * rawSize} keeps the full length).
 *
 * <p>Reason classes are stable strings that metrics and queries group by (see {@link Reasons}):
 * {@code too_large}, {@code malformed_json} (also for invalid UTF-8), {@code not_an_object}, {@code
 * empty_array}, {@code unsupported_shape}, {@code missing_field:<path>}, {@code wrong_type:<path>},
 * {@code bad_timestamp}, and {@code internal_error} (a parser bug guard, never expected). Stage
 * {@code parse} covers size, JSON, shape and envelope problems, {@code validate} family-payload
 * problems.
 */
public class Rejection {
    /** Stage names. */
    public static final String STAGE_PARSE = "parse";

    public static final String STAGE_VALIDATE = "validate";

    public String reason;
    public String detail;
    public String stage;
    public String source;
    public String topic;
    public int partition;
    public long offset;

    /** Position inside a JSON array record, or -1 when the record was not an array. */
    public int index;

    /** The event id and type, when the record got far enough to show them; else null. */
    public String eventId;

    public String type;
    public long ingestTime;
    public int rawSize;
    public byte[] raw;

    public Rejection() {}

    /** The original bytes as text (invalid UTF-8 sequences become U+FFFD). */
    public String rawText() {
        return raw == null ? null : new String(raw, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Rejection)) {
            return false;
        }
        Rejection that = (Rejection) o;
        return partition == that.partition
                && offset == that.offset
                && index == that.index
                && ingestTime == that.ingestTime
                && rawSize == that.rawSize
                && Objects.equals(reason, that.reason)
                && Objects.equals(detail, that.detail)
                && Objects.equals(stage, that.stage)
                && Objects.equals(source, that.source)
                && Objects.equals(topic, that.topic)
                && Objects.equals(eventId, that.eventId)
                && Objects.equals(type, that.type)
                && Arrays.equals(raw, that.raw);
    }

    @Override
    public int hashCode() {
        return Objects.hash(reason, stage, source, topic, partition, offset, index, eventId);
    }

    @Override
    public String toString() {
        return "Rejection{"
                + reason
                + " at "
                + stage
                + " "
                + source
                + " "
                + topic
                + "/"
                + partition
                + "@"
                + offset
                + "#"
                + index
                + ": "
                + detail
                + "}";
    }
}
