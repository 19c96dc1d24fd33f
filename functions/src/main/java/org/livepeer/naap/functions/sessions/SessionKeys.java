package org.livepeer.naap.functions.sessions;

import org.livepeer.naap.schemas.TelemetryEvent;

/**
 * The key of the session tracker. Payments name only a request id (no stream id), so sessions are
 * keyed by request id: {@code r:<request id>} when the event has one, else {@code s:<session id>}.
 * Several session ids can share one request id (two streams with the same request id, or events of
 * one stream that lost their stream id): the tracker keeps one state per session id under the key.
 */
public final class SessionKeys {
    private SessionKeys() {}

    /** {@code r:<requestId>} when the event has a request id, else {@code s:<sessionId>}. */
    public static String routingKey(TelemetryEvent event) {
        if (event.requestId != null && !event.requestId.isEmpty()) {
            return "r:" + event.requestId;
        }
        return "s:" + event.sessionId;
    }
}
