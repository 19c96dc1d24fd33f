package org.livepeer.naap.workload;

import com.fasterxml.jackson.databind.JsonNode;
import org.livepeer.naap.workload.Network.Node;

/**
 * One event a node emits, or a marker (an {@link #action} the generator runs at its time). The
 * simulation sets the content; the delivery stage sets the id, shape, times and quirks.
 */
final class Event {
    /** A periodic sample the producer may drop when its buffer is full (status, ingest). */
    static final int DROPPABLE = 1;

    /** A periodic sample that may be delivered late (ingest, discovery, capabilities). */
    static final int LATEABLE = 2;

    /** Never dropped: a session's first status sample, so that "status samples exist" holds. */
    static final int KEEP = 4;

    /** An injected event of an unknown family: no truth, minimum envelope. */
    static final int UNKNOWN = 8;

    static final int KAFKA = 0;
    static final int SINK = 1;
    static final int OPEN_POOL = 2;
    static final String[] SHAPE_NAMES = {"kafka_queue", "event_sink", "open_pool"};

    final long time;
    final String type;
    final JsonNode data;
    final Node emitter;

    /** The payload's own {@code timestamp} in ms, for families whose event time it is. */
    final Long dataTime;

    int flags;
    SessionActor session;
    Runnable action;

    /** Latest end of what the event belongs to (a session), for the late rule. */
    long ownerEnd = Long.MAX_VALUE;

    String id;
    int subMillisNanos;
    long envelopeTime;
    long eventTime;
    long deliveryTime;
    int shape;
    boolean gatewayBlank;
    int quirk;
    long seq;

    /** The payload as delivered (with its quirk); {@link #data} is what the truth read. */
    JsonNode payload;

    Event(long time, String type, JsonNode data, Node emitter, Long dataTime, int flags) {
        this.time = time;
        this.type = type;
        this.data = data;
        this.emitter = emitter;
        this.dataTime = dataTime;
        this.flags = flags;
    }

    static Event marker(long time, Runnable action) {
        Event e = new Event(time, null, null, null, null, 0);
        e.action = action;
        return e;
    }

    boolean has(int flag) {
        return (flags & flag) != 0;
    }

    /** The gateway that emitted it, or null for an orchestrator's event. */
    Network.Gateway gateway() {
        return emitter instanceof Network.Gateway ? (Network.Gateway) emitter : null;
    }
}
