package org.livepeer.naap.schemas;

import java.io.Serializable;

/**
 * Limits the parser applies. Defaults suit the live network; every value is a job option.
 *
 * @param maxRecordBytes a record larger than this is rejected as {@code too_large}
 * @param maxFutureMs an event time further than this past the record's ingest time is clamped to
 *     the ingest time and flagged
 * @param maxDataSkewMs a payload {@code timestamp} further than this from the envelope time is not
 *     trusted as event time (the envelope time stands)
 */
public record ParserConfig(int maxRecordBytes, long maxFutureMs, long maxDataSkewMs)
        implements Serializable {

    public static final int DEFAULT_MAX_RECORD_BYTES = 1 << 20;
    public static final long DEFAULT_MAX_FUTURE_MS = 5 * 60_000L;
    public static final long DEFAULT_MAX_DATA_SKEW_MS = 60 * 60_000L;

    public static ParserConfig defaults() {
        return new ParserConfig(
                DEFAULT_MAX_RECORD_BYTES, DEFAULT_MAX_FUTURE_MS, DEFAULT_MAX_DATA_SKEW_MS);
    }
}
