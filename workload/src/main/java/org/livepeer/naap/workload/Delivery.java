package org.livepeer.naap.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.livepeer.naap.workload.MessConfig.Kind;
import org.livepeer.naap.workload.Network.Gateway;
import org.livepeer.naap.workload.Network.Orchestrator;

/**
 * Everything between a node emitting an event and a record reaching the pipeline: producer drops,
 * ids, envelope shapes, quirks, publish delays, out-of-order and late delivery, batching into
 * arrays, Streamr wrapping, duplicates and broken records. Memory is bounded by the delivery
 * window: events wait in a priority queue keyed by delivery time only until no event emitted later
 * can be delivered before them (at most the 120 s of a late event).
 */
final class Delivery {
    private static final long BATCH_WINDOW_MS = 2_000;
    private static final long LATE_MARGIN_MS = 15_000;
    private static final int OVERSIZED_PAYLOAD = 1_048_576 + 512;
    private static final String[] NON_OBJECTS = {
        "42", "\"x\"", "true", "[1,\"a\"]", "-7.5", "\"gateway-reset\""
    };

    private enum Quirk {
        NONE,
        GATEWAY_BLANK,
        STRINGS,
        FLOAT_SECONDS,
        ETH,
        CAPABILITIES,
        SINGLE_OBJECT
    }

    private enum RecordKind {
        NORMAL,
        DUPLICATE,
        MALFORMED,
        OVERSIZED,
        NON_OBJECT,
        MISSING_ID
    }

    /** One record on its way to the sink. */
    private static final class Out {
        final RecordKind kind;
        final String line;
        final long time;
        final long seq;
        final List<Event> events;
        final boolean wrapped;
        final int units;

        Out(
                RecordKind kind,
                String line,
                long time,
                long seq,
                List<Event> events,
                boolean wrapped,
                int units) {
            this.kind = kind;
            this.line = line;
            this.time = time;
            this.seq = seq;
            this.events = events;
            this.wrapped = wrapped;
            this.units = units;
        }
    }

    private static final class Batch {
        final int shape;
        final int target;
        final long first;
        final List<Event> events = new ArrayList<>();

        Batch(int shape, int target, long first) {
            this.shape = shape;
            this.target = target;
            this.first = first;
        }
    }

    /** The huge log text of oversized records, built once. */
    private static final class Huge {
        static final String TEXT = build();

        private static String build() {
            StringBuilder sb = new StringBuilder(OVERSIZED_PAYLOAD + 200);
            String line =
                    "[runner] CUDA graph capture failed; retrying with eager execution mode\n";
            while (sb.length() < OVERSIZED_PAYLOAD) {
                sb.append(line);
            }
            return sb.toString();
        }
    }

    private final WorkloadConfig config;
    private final Planner planner;
    private final RecordSink sink;
    final Accounting accounting = new Accounting();

    private final Sampler drops;
    private final Sampler envelopes;
    private final Sampler streamr;
    private final Sampler arrays;
    private final Sampler duplicates;
    private final Sampler reorder;
    private final Sampler late;
    private final Sampler malformed;
    private final Sampler oversized;
    private final Sampler nonObject;
    private final Sampler missingId;
    private final Sampler unknown;
    private final Sampler quirks;
    private final EnumMap<Kind, Sampler> samplers = new EnumMap<>(Kind.class);
    private final boolean publishJitter;
    private final SplittableRandom ids;
    private final SplittableRandom shapes;
    private final SplittableRandom delays;
    private final SplittableRandom batches;
    private final SplittableRandom misc;

    private final PriorityQueue<Event> inFlight =
            new PriorityQueue<>(
                    Comparator.comparingLong((Event e) -> e.deliveryTime)
                            .thenComparingLong(e -> e.seq));
    private final PriorityQueue<Out> out =
            new PriorityQueue<>(
                    Comparator.comparingLong((Out o) -> o.time).thenComparingLong(o -> o.seq));
    private final Batch[] open = new Batch[3];
    private long seq;
    private long clock = Long.MIN_VALUE;
    private long oversizedCount;

    Delivery(WorkloadConfig config, Planner planner, RecordSink sink) {
        this.config = config;
        this.planner = planner;
        this.sink = sink;
        MessConfig m = config.mess();
        long s = config.seed();
        drops = sampler(m, Kind.DROPS, s, true);
        envelopes = sampler(m, Kind.ENVELOPES, s, false);
        streamr = sampler(m, Kind.STREAMR, s, true);
        arrays = sampler(m, Kind.ARRAYS, s, true);
        duplicates = sampler(m, Kind.DUPLICATES, s, true);
        reorder = sampler(m, Kind.REORDER, s, true);
        late = sampler(m, Kind.LATE, s, true);
        malformed = sampler(m, Kind.MALFORMED, s, true);
        oversized = sampler(m, Kind.OVERSIZED, s, true);
        nonObject = sampler(m, Kind.NON_OBJECT, s, true);
        missingId = sampler(m, Kind.MISSING_ID, s, true);
        unknown = sampler(m, Kind.UNKNOWN_FAMILY, s, true);
        quirks = sampler(m, Kind.QUIRKS, s, false);
        samplers.put(Kind.DROPS, drops);
        samplers.put(Kind.ENVELOPES, envelopes);
        samplers.put(Kind.STREAMR, streamr);
        samplers.put(Kind.ARRAYS, arrays);
        samplers.put(Kind.DUPLICATES, duplicates);
        samplers.put(Kind.REORDER, reorder);
        samplers.put(Kind.LATE, late);
        samplers.put(Kind.MALFORMED, malformed);
        samplers.put(Kind.OVERSIZED, oversized);
        samplers.put(Kind.NON_OBJECT, nonObject);
        samplers.put(Kind.MISSING_ID, missingId);
        samplers.put(Kind.UNKNOWN_FAMILY, unknown);
        samplers.put(Kind.QUIRKS, quirks);
        publishJitter = m.enabled(Kind.REORDER);
        ids = Ids.rng(s, "delivery.ids", 0);
        shapes = Ids.rng(s, "delivery.shapes", 0);
        delays = Ids.rng(s, "delivery.delays", 0);
        batches = Ids.rng(s, "delivery.batches", 0);
        misc = Ids.rng(s, "delivery.misc", 0);
    }

    private static Sampler sampler(MessConfig m, Kind k, long seed, boolean forceEarly) {
        return new Sampler(m.rate(k), Ids.rng(seed, "mess." + k.wireName(), 0), forceEarly);
    }

    /**
     * Decides whether the producer drops the event; if not, gives it its id, shape, envelope quirk
     * and times. The truth sees exactly the events admitted here.
     */
    boolean admit(Event e) {
        if (e.has(Event.DROPPABLE) && !e.has(Event.KEEP) && drops.next()) {
            accounting.dropped++;
            return false;
        }
        e.id = Ids.uuid(ids);
        e.subMillisNanos = ids.nextInt(1_000_000);
        e.shape =
                envelopes.next()
                        ? (shapes.nextBoolean() ? Event.SINK : Event.OPEN_POOL)
                        : Event.KAFKA;
        e.quirk = pickQuirk(e);
        e.gatewayBlank = e.quirk == Quirk.GATEWAY_BLANK.ordinal();
        e.envelopeTime = e.time + (publishJitter ? delays.nextLong(41) : 0);
        e.eventTime = e.dataTime != null ? e.dataTime : e.envelopeTime;
        return true;
    }

    private int pickQuirk(Event e) {
        List<Quirk> q = new ArrayList<>(3);
        if (e.gateway() != null) {
            q.add(Quirk.GATEWAY_BLANK);
        }
        switch (e.type) {
            case "stream_ingest_metrics":
                q.add(Quirk.STRINGS);
                break;
            case "ai_stream_status":
                q.add(Quirk.STRINGS);
                q.add(Quirk.FLOAT_SECONDS);
                break;
            case "stream_trace":
                if (e.data.path("type").asText().startsWith("runner_")) {
                    q.add(Quirk.FLOAT_SECONDS);
                }
                break;
            case "create_new_payment":
                q.add(Quirk.ETH);
                break;
            case "network_capabilities":
                if (e.data.size() > 0) {
                    q.add(Quirk.CAPABILITIES);
                }
                if (e.data.size() == 1) {
                    q.add(Quirk.SINGLE_OBJECT);
                }
                break;
            case "discovery_results":
                if (e.data.size() == 1) {
                    q.add(Quirk.SINGLE_OBJECT);
                }
                break;
            default:
                break;
        }
        if (q.isEmpty() || !quirks.next()) {
            return 0;
        }
        return q.get(shapes.nextInt(q.size())).ordinal();
    }

    /**
     * Per kind of mess: its rate, how many items it could apply to ({@code eligible}) and to how
     * many it did ({@code applied}).
     */
    ObjectNode messStats(Network net) {
        ObjectNode n = Json.obj();
        long skewed = 0;
        for (Orchestrator o : net.orchestrators) {
            if (o.clockOffsetMs != 0) {
                skewed++;
            }
        }
        for (Kind k : Kind.values()) {
            ObjectNode x = n.putObject(k.wireName());
            x.put("rate", config.mess().rate(k));
            if (k == Kind.CLOCK_SKEW) {
                x.put("eligible", net.orchestrators.size());
                x.put("applied", skewed);
            } else {
                Sampler smp = samplers.get(k);
                x.put("eligible", smp.seen());
                x.put("applied", smp.hits());
            }
        }
        return n;
    }

    /** Sends an admitted event (already seen by the truth) on its way. */
    void send(Event e) {
        JsonNode data = payloadQuirk(e);
        e.payload = data;
        long d = e.envelopeTime;
        long lateBy = e.has(Event.LATEABLE) ? 30_000 + delays.nextLong(90_001) : 0;
        if (lateBy > 0 && lateEligible(e, lateBy) && late.next()) {
            d += lateBy;
            accounting.late++;
        } else if (reorder.next()) {
            d += 200 + delays.nextLong(2801);
        }
        e.deliveryTime = d;
        e.seq = seq++;
        inFlight.add(e);
        if (unknown.next()) {
            Event u = NodeActors.unknown(e, misc);
            u.id = Ids.uuid(ids);
            u.subMillisNanos = ids.nextInt(1_000_000);
            u.shape =
                    envelopes.next()
                            ? (shapes.nextBoolean() ? Event.SINK : Event.OPEN_POOL)
                            : Event.KAFKA;
            u.envelopeTime = e.envelopeTime;
            u.eventTime = u.envelopeTime;
            u.deliveryTime = u.envelopeTime;
            u.payload = u.data;
            u.seq = seq++;
            inFlight.add(u);
        }
        release(e.time);
    }

    /**
     * A sample may arrive {@code lateBy} late when that is still well inside the run and inside its
     * session, and no node dies meanwhile: so that its lateness is certain (later events exist) and
     * changes no classification and no node transition.
     */
    private boolean lateEligible(Event e, long lateBy) {
        long arrives = e.envelopeTime + lateBy;
        return arrives < config.endMs() - LATE_MARGIN_MS
                && e.ownerEnd > arrives + LATE_MARGIN_MS
                && !planner.anyDeathWithin(e.time - LATE_MARGIN_MS, arrives + LATE_MARGIN_MS);
    }

    /** Delivers everything that no later emission can overtake. */
    private void release(long now) {
        while (!inFlight.isEmpty() && inFlight.peek().deliveryTime < now) {
            deliver(inFlight.poll());
        }
        flushOut(clock);
    }

    /** Delivers everything still in flight. */
    void finish() {
        while (!inFlight.isEmpty()) {
            deliver(inFlight.poll());
        }
        List<Batch> left = new ArrayList<>();
        for (Batch b : open) {
            if (b != null) {
                left.add(b);
            }
        }
        left.sort(Comparator.comparingLong(b -> b.first));
        for (Batch b : left) {
            flush(b, Math.max(clock, b.first));
        }
        flushOut(Long.MAX_VALUE);
    }

    private void deliver(Event e) {
        long d = e.deliveryTime;
        clock = Math.max(clock, d);
        List<Batch> expired = new ArrayList<>(3);
        for (Batch b : open) {
            if (b != null && b.first + BATCH_WINDOW_MS <= d) {
                expired.add(b);
            }
        }
        expired.sort(Comparator.comparingLong(b -> b.first));
        for (Batch b : expired) {
            flush(b, b.first + BATCH_WINDOW_MS);
        }
        Batch b = open[e.shape];
        if (b != null) {
            b.events.add(e);
        } else if (e.shape == Event.OPEN_POOL) {
            b = new Batch(Event.OPEN_POOL, 1 + batches.nextInt(4), d);
            b.events.add(e);
            open[e.shape] = b;
        } else if (arrays.next()) {
            b = new Batch(e.shape, 2 + batches.nextInt(4), d);
            b.events.add(e);
            open[e.shape] = b;
        } else {
            record(List.of(e), false, d);
            return;
        }
        if (b.events.size() >= b.target) {
            flush(b, clock);
        }
    }

    private void flush(Batch b, long time) {
        open[b.shape] = null;
        record(b.events, true, time);
    }

    /** Renders one record and schedules it with its duplicates and broken companions. */
    private void record(List<Event> events, boolean array, long time) {
        JsonNode content;
        if (array) {
            ArrayNode a = Json.arr();
            for (Event e : events) {
                a.add(envelope(e, true));
            }
            content = a;
        } else {
            content = envelope(events.get(0), true);
        }
        Event head = events.get(0);
        boolean wrapped = head.shape != Event.OPEN_POOL && wrappable(events) && streamr.next();
        if (wrapped) {
            ObjectNode w = Json.obj();
            w.set("content", content);
            ObjectNode meta = w.putObject("metadata");
            meta.put("timestamp", time);
            meta.put("sequenceNumber", nextSequence(head));
            meta.put("publisherId", publisher(head));
            meta.put("msgChainId", chain(head));
            content = w;
        }
        String line = Json.write(content);
        out.add(new Out(RecordKind.NORMAL, line, time, seq++, events, wrapped, events.size()));
        if (duplicates.next()) {
            long at = time + 200 + misc.nextLong(4801);
            out.add(new Out(RecordKind.DUPLICATE, line, at, seq++, events, wrapped, events.size()));
        }
        if (malformed.next()) {
            int len = line.length();
            int cut = len / 10 + misc.nextInt(Math.max(1, len * 8 / 10));
            out.add(
                    new Out(
                            RecordKind.MALFORMED,
                            line.substring(0, Math.max(1, Math.min(len - 1, cut))),
                            time,
                            seq++,
                            null,
                            false,
                            1));
        }
        if (missingId.next()) {
            ObjectNode env = envelope(head, false);
            out.add(new Out(RecordKind.MISSING_ID, Json.write(env), time, seq++, null, false, 1));
        }
        if (nonObject.next()) {
            String v = NON_OBJECTS[misc.nextInt(NON_OBJECTS.length)];
            out.add(
                    new Out(
                            RecordKind.NON_OBJECT,
                            v,
                            time,
                            seq++,
                            null,
                            false,
                            v.startsWith("[") ? 2 : 1));
        }
        if (oversized.next()) {
            out.add(new Out(RecordKind.OVERSIZED, oversized(time), time, seq++, null, false, 1));
        }
    }

    private static boolean wrappable(List<Event> events) {
        for (Event e : events) {
            // A gateway event without its host would be named after the Streamr publisher instead.
            if (e.gateway() != null && e.gatewayBlank) {
                return false;
            }
        }
        return true;
    }

    private static long nextSequence(Event e) {
        if (e.emitter instanceof Gateway g) {
            return g.streamrSequence++;
        }
        Orchestrator o = (Orchestrator) e.emitter;
        return o.streamrSequence++;
    }

    private static String publisher(Event e) {
        return e.emitter instanceof Gateway g ? g.address : ((Orchestrator) e.emitter).address;
    }

    private static String chain(Event e) {
        return e.emitter instanceof Gateway g
                ? g.msgChainId
                : ((Orchestrator) e.emitter).msgChainId;
    }

    /** The event in its envelope shape; {@code withId} false leaves the id out. */
    private ObjectNode envelope(Event e, boolean withId) {
        ObjectNode n = Json.obj();
        boolean unknownFamily = e.has(Event.UNKNOWN);
        Gateway g = e.gateway();
        if (e.shape == Event.OPEN_POOL && withId) {
            n.put("ID", e.id);
            n.put("EventType", e.type);
            n.put("Version", 1);
            n.set("Payload", e.payload);
            n.put("NodeType", g != null ? "gateway" : "orchestrator");
            n.put("Region", g != null ? g.region : ((Orchestrator) e.emitter).region);
            n.put("DT", Ids.rfc3339(e.envelopeTime, e.subMillisNanos));
            return n;
        }
        if (withId) {
            n.put("id", e.id);
        }
        n.put("type", e.type);
        if (e.shape == Event.SINK && withId) {
            n.put("timestamp", Ids.rfc3339(e.envelopeTime, e.subMillisNanos));
            if (g != null && !e.gatewayBlank && !unknownFamily) {
                n.put("gateway", g.host);
            }
            n.set("payload", e.payload);
            return n;
        }
        n.put("timestamp", Long.toString(e.envelopeTime));
        if (!unknownFamily) {
            n.put("gateway", g != null && !e.gatewayBlank ? g.host : "");
        }
        n.set("data", e.payload);
        return n;
    }

    private String oversized(long time) {
        ObjectNode n = Json.obj();
        n.put("id", Ids.uuid(ids));
        n.put("type", "ai_stream_events");
        n.put("timestamp", Long.toString(time));
        n.put("gateway", "");
        ObjectNode d = n.putObject("data");
        d.put("type", "restart");
        d.put("stream_id", "stream-oversized-" + (++oversizedCount));
        d.put("request_id", Ids.hex(misc, 8));
        d.put("pipeline_id", "");
        d.put("restart_count", 1);
        d.putArray("restart_logs").add(Huge.TEXT);
        d.set("restart_time", Json.seconds(time));
        return Json.write(n);
    }

    private void flushOut(long upTo) {
        while (!out.isEmpty() && out.peek().time < upTo) {
            Out o = out.poll();
            accounting.record(o.line, o.time);
            switch (o.kind) {
                case NORMAL:
                    for (Event e : o.events) {
                        accounting.acceptedEvent(e, o.wrapped);
                    }
                    break;
                case DUPLICATE:
                    accounting.duplicate(o.units);
                    break;
                case MALFORMED:
                    accounting.rejected(Accounting.MALFORMED_JSON, 1);
                    break;
                case OVERSIZED:
                    accounting.rejected(Accounting.TOO_LARGE, 1);
                    break;
                case NON_OBJECT:
                    accounting.rejected(Accounting.NOT_AN_OBJECT, o.units);
                    break;
                case MISSING_ID:
                    accounting.rejected(Accounting.MISSING_ID, 1);
                    break;
                default:
                    throw new IllegalStateException("unknown record kind " + o.kind);
            }
            sink.accept(o.line, o.time);
        }
    }

    /** The payload as delivered, with the event's payload quirk (values unchanged). */
    private JsonNode payloadQuirk(Event e) {
        Quirk q = Quirk.values()[e.quirk];
        JsonNode d = e.data;
        switch (q) {
            case STRINGS:
                if (e.type.equals("stream_ingest_metrics")) {
                    ObjectNode x = (ObjectNode) d;
                    stringify(x, "timestamp");
                    JsonNode stats = x.path("stats");
                    stringify((ObjectNode) stats.path("peer_conn_stats"), "BytesReceived");
                    stringify((ObjectNode) stats.path("peer_conn_stats"), "BytesSent");
                    for (JsonNode t : stats.path("track_stats")) {
                        ObjectNode tr = (ObjectNode) t;
                        for (String f :
                                new String[] {
                                    "jitter",
                                    "packets_lost",
                                    "packets_received",
                                    "packet_loss_pct",
                                    "rtt",
                                    "last_input_ts",
                                    "last_output_ts",
                                    "latency"
                                }) {
                            stringify(tr, f);
                        }
                    }
                } else {
                    ObjectNode x = (ObjectNode) d;
                    stringify((ObjectNode) x.path("inference_status"), "fps");
                    stringify((ObjectNode) x.path("inference_status"), "restart_count");
                    stringify((ObjectNode) x.path("input_status"), "fps");
                    stringify(x, "start_time");
                }
                return d;
            case FLOAT_SECONDS:
                if (e.type.equals("stream_trace")) {
                    ObjectNode x = (ObjectNode) d;
                    x.put(
                            "timestamp",
                            Json.seconds(x.path("timestamp").asLong())
                                    .decimalValue()
                                    .toPlainString());
                } else {
                    ObjectNode inf = (ObjectNode) d.path("inference_status");
                    for (String f :
                            new String[] {
                                "last_output_time", "last_params_update_time", "last_error_time"
                            }) {
                        JsonNode v = inf.get(f);
                        if (v != null && v.isNumber()) {
                            inf.set(f, Json.seconds(v.asLong()));
                        }
                    }
                }
                return d;
            case ETH:
                {
                    ObjectNode x = (ObjectNode) d;
                    String wei = x.path("faceValue").asText().split(" ")[0];
                    x.put(
                            "faceValue",
                            new BigDecimal(wei)
                                            .movePointLeft(18)
                                            .stripTrailingZeros()
                                            .toPlainString()
                                    + " ETH");
                    x.put("winProb", new BigDecimal(x.path("winProb").asText()));
                    x.put("numTickets", Integer.parseInt(x.path("numTickets").asText()));
                    return d;
                }
            case CAPABILITIES:
                {
                    ObjectNode entry = (ObjectNode) d.get(misc.nextInt(d.size()));
                    int which = misc.nextInt(3);
                    if (which == 0) {
                        entry.putNull("hardware");
                    } else if (which == 1) {
                        entry.putNull("capabilities_prices");
                    } else {
                        for (JsonNode h : entry.path("hardware")) {
                            ObjectNode hw = (ObjectNode) h;
                            ArrayNode a = Json.arr();
                            for (Iterator<JsonNode> it = hw.path("gpu_info").elements();
                                    it.hasNext(); ) {
                                a.add(it.next());
                            }
                            hw.set("gpu_info", a);
                        }
                    }
                    return d;
                }
            case SINGLE_OBJECT:
                return d.get(0);
            default:
                return d;
        }
    }

    private static void stringify(ObjectNode n, String field) {
        JsonNode v = n.get(field);
        if (v != null && v.isNumber()) {
            n.set(field, TextNode.valueOf(v.asText()));
        }
    }
}
