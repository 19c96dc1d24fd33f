package org.livepeer.naap.functions;

import org.livepeer.naap.schemas.TelemetryEvent;

/** Named times and events shared by the function tests. */
final class EventFixtures {
    /** 2026-01-15T13:30:00Z, a time in the range of the real samples. */
    static final long T0 = 1_768_483_800_000L;

    static final long ONE_MINUTE = 60_000L;

    private EventFixtures() {}

    static TelemetryEvent event(String id, long eventTime) {
        TelemetryEvent e = new TelemetryEvent();
        e.eventId = id;
        e.type = "stream_trace";
        e.family = "stream_trace";
        e.subtype = "gateway_receive_stream_request";
        e.shape = "kafka_queue";
        e.eventTime = eventTime;
        e.envelopeTime = eventTime;
        e.envelopeTimestamp = Long.toString(eventTime);
        e.eventTimeSource = "envelope";
        e.sessionId = "stream-a|req-1";
        e.nodeIds = new String[] {"orchestrator:0xabc"};
        e.payload = "{}";
        e.raw = "{}";
        e.source = "raw";
        e.topic = "naap.events.raw";
        e.index = -1;
        return e;
    }
}
