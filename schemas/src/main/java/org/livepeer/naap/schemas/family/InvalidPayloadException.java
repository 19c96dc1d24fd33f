package org.livepeer.naap.schemas.family;

/**
 * A payload that does not meet its family's contract: a required field is missing or a field has
 * the wrong JSON type. {@link #reason()} is the rejection reason class ({@code
 * missing_field:data.type}, {@code wrong_type:data.stats}...), the message says what was wrong.
 */
public final class InvalidPayloadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String reason;

    public InvalidPayloadException(String reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    /** The reason class (see {@link org.livepeer.naap.schemas.Reasons}). */
    public String reason() {
        return reason;
    }

    /** The human detail. */
    public String detail() {
        return getMessage();
    }
}
