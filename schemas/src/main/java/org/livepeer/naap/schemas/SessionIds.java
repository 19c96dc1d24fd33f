package org.livepeer.naap.schemas;

/**
 * The session id rule of METRICS.md: {@code stream_id|request_id}, with deterministic fallbacks.
 * The same input always gives the same id.
 */
public final class SessionIds {
    public static final String MISSING_STREAM = "_missing_stream";
    public static final String MISSING_REQUEST = "_missing_request";

    private SessionIds() {}

    /**
     * {@code stream|request}; {@code stream|_missing_request} or {@code _missing_stream|request}
     * when one is null or empty; {@code _missing_stream|_missing_request|<eventId>} when both are.
     */
    public static String of(String streamId, String requestId, String eventId) {
        boolean noStream = streamId == null || streamId.isEmpty();
        boolean noRequest = requestId == null || requestId.isEmpty();
        if (noStream && noRequest) {
            return MISSING_STREAM + "|" + MISSING_REQUEST + "|" + eventId;
        }
        return (noStream ? MISSING_STREAM : streamId)
                + "|"
                + (noRequest ? MISSING_REQUEST : requestId);
    }

    /** The request id inside a session id made by {@link #of}, or null when it had none. */
    public static String requestIdOf(String sessionId) {
        if (sessionId == null) {
            return null;
        }
        int bar = sessionId.indexOf('|');
        if (bar < 0) {
            return null;
        }
        int end = sessionId.indexOf('|', bar + 1);
        String request = end < 0 ? sessionId.substring(bar + 1) : sessionId.substring(bar + 1, end);
        return request.isEmpty() || MISSING_REQUEST.equals(request) ? null : request;
    }
}
