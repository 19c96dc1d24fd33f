package org.livepeer.naap.schemas;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.livepeer.naap.schemas.family.CreateNewPayment;
import org.livepeer.naap.schemas.family.Families;
import org.livepeer.naap.schemas.family.FamilyPayload;
import org.livepeer.naap.schemas.family.InvalidPayloadException;
import org.livepeer.naap.schemas.family.NodeTrace;
import org.livepeer.naap.schemas.family.SessionPayload;

/**
 * Turns one input record into accepted events and rejections. Not thread-safe: one per task.
 *
 * <p>Every record yields at least one output; an array record yields one output per element. It
 * never throws on any input bytes. The checks, in order:
 *
 * <ol>
 *   <li>size: over {@link ParserConfig#maxRecordBytes()} is {@code too_large};
 *   <li>JSON: invalid UTF-8, a syntax error, trailing garbage or nothing at all is {@code
 *       malformed_json}; so is JSON beyond what the reader reads (nesting deeper than 1000, a
 *       number of more than 1000 digits or with an exponent beyond an int, a name longer than
 *       50,000 characters: Jackson's limits);
 *   <li>top level: an object, or a non-empty array ({@code empty_array}) of objects ({@code
 *       not_an_object}); an object with {@code content} and {@code metadata} is a Streamr wrapper
 *       whose content is one event or a non-empty array of them;
 *   <li>shape: an element with any of {@code ID}, {@code EventType}, {@code DT}, {@code Payload}
 *       and neither {@code id} nor {@code type} is an Open Pool element; else one with {@code data}
 *       is a Kafka queue envelope, one with {@code payload} an event-sink envelope (both: {@code
 *       unsupported_shape}); an element with no envelope field at all is {@code unsupported_shape};
 *   <li>minimum envelope, in order: a non-empty string id, a non-empty string type, a timestamp
 *       that {@link Timestamps} reads ({@code bad_timestamp} otherwise), a payload that is a
 *       string, object or array; absent, null or (id, type, timestamp) an empty string is {@code
 *       missing_field:<name>}, another JSON type {@code wrong_type:<name>}. A string payload may be
 *       empty here, as in {@code json/defs.schema.json}: its family decides. Names are canonical
 *       ({@code id}, {@code type}, {@code timestamp}, {@code data}) in every shape, so {@code
 *       payload} and {@code Payload} report as {@code data}; a present {@code gateway} must be a
 *       string;
 *   <li>the family payload, decoded by {@link Families#decode(Family, JsonNode)} (stage {@code
 *       validate}); an unknown {@code type} is accepted as {@code unknown_family}.
 * </ol>
 */
public final class EventParser {
    public static final String SHAPE_KAFKA_QUEUE = "kafka_queue";
    public static final String SHAPE_EVENT_SINK = "event_sink";
    public static final String SHAPE_OPEN_POOL = "open_pool";

    public static final String TIME_FROM_DATA = "data";
    public static final String TIME_FROM_ENVELOPE = "envelope";
    public static final String TIME_FROM_INGEST = "ingest";

    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    private static final byte[] EMPTY = new byte[0];

    private final ParserConfig config;
    private final ObjectMapper mapper;
    private final CharsetDecoder utf8;

    public EventParser(ParserConfig config) {
        this.config = config;
        this.mapper = newObjectMapper();
        this.utf8 =
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    /**
     * An {@link ObjectMapper} configured as the parser reads: strict JSON, trailing tokens fail,
     * floats kept as exact decimals so payload and raw texts keep their digits. Use it (one per
     * task) with {@link Families#decode(ObjectMapper, TelemetryEvent)}.
     */
    public static ObjectMapper newObjectMapper() {
        ObjectMapper m = new ObjectMapper();
        m.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        m.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        m.configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);
        return m;
    }

    public void parse(RawRecord record, ParseOutput out) {
        Input in = new Input(record);
        List<Object> results = new ArrayList<>(1);
        try {
            parseRecord(in, results);
        } catch (RuntimeException e) {
            results.clear();
            results.add(
                    in.reject(
                            -1,
                            Reasons.INTERNAL_ERROR,
                            "parser error: " + e,
                            Rejection.STAGE_PARSE,
                            null,
                            null));
        }
        for (Object r : results) {
            if (r instanceof TelemetryEvent) {
                out.accepted((TelemetryEvent) r);
            } else {
                out.rejected((Rejection) r);
            }
        }
    }

    // ---- record level

    private void parseRecord(Input in, List<Object> results) {
        byte[] value = in.value;
        if (value.length > config.maxRecordBytes()) {
            results.add(
                    in.parseError(
                            -1,
                            Reasons.TOO_LARGE,
                            "record is "
                                    + value.length
                                    + " bytes, over the limit of "
                                    + config.maxRecordBytes()));
            return;
        }
        String text = decodeUtf8(value, in, results);
        if (text == null) {
            return;
        }
        JsonNode root;
        try {
            root = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            String where =
                    e.getLocation() == null
                            ? ""
                            : " at line "
                                    + e.getLocation().getLineNr()
                                    + " column "
                                    + e.getLocation().getColumnNr();
            results.add(
                    in.parseError(
                            -1,
                            Reasons.MALFORMED_JSON,
                            "not JSON" + where + ": " + e.getOriginalMessage()));
            return;
        } catch (NumberFormatException e) {
            // A number whose exponent is beyond what a BigDecimal holds (1e9999999999): Jackson
            // throws this instead of a JsonProcessingException. Like nesting or numbers beyond its
            // read limits, it is JSON the parser cannot read.
            results.add(
                    in.parseError(
                            -1,
                            Reasons.MALFORMED_JSON,
                            "not readable JSON: a number out of range (" + e.getMessage() + ")"));
            return;
        }
        if (root == null || root.isMissingNode()) {
            results.add(in.parseError(-1, Reasons.MALFORMED_JSON, "record holds no JSON value"));
            return;
        }
        if (root.isObject() && root.has("content") && root.has("metadata")) {
            parseWrapper(in, root, results);
        } else if (root.isObject()) {
            results.add(element(in, root, -1, null));
        } else if (root.isArray()) {
            elements(in, root, "record", results, null);
        } else {
            results.add(
                    in.parseError(
                            -1,
                            Reasons.NOT_AN_OBJECT,
                            "record is " + kind(root) + ", expected an object or an array"));
        }
    }

    private String decodeUtf8(byte[] value, Input in, List<Object> results) {
        utf8.reset();
        ByteBuffer bytes = ByteBuffer.wrap(value);
        CharBuffer chars = CharBuffer.allocate(value.length);
        CoderResult r = utf8.decode(bytes, chars, true);
        if (!r.isError()) {
            r = utf8.flush(chars);
        }
        if (r.isError()) {
            results.add(
                    in.parseError(
                            -1,
                            Reasons.MALFORMED_JSON,
                            "not valid UTF-8 at byte " + bytes.position()));
            return null;
        }
        chars.flip();
        // A byte-order mark is not JSON but says nothing wrong about the content.
        if (chars.hasRemaining() && chars.get(0) == '\uFEFF') {
            chars.position(1);
        }
        return chars.toString();
    }

    private void elements(
            Input in, JsonNode array, String what, List<Object> results, Wrapper wrapper) {
        if (array.isEmpty()) {
            results.add(in.parseError(-1, Reasons.EMPTY_ARRAY, what + " is an empty array"));
            return;
        }
        for (int i = 0; i < array.size(); i++) {
            results.add(element(in, array.get(i), i, wrapper));
        }
    }

    private void parseWrapper(Input in, JsonNode root, List<Object> results) {
        JsonNode meta = root.get("metadata");
        if (!meta.isObject()) {
            results.add(
                    in.parseError(
                            -1,
                            Reasons.wrongType("metadata"),
                            "Streamr wrapper metadata must be an object but is " + kind(meta)));
            return;
        }
        Wrapper w = new Wrapper();
        Problem problem = w.read(meta);
        if (problem != null) {
            results.add(in.parseError(-1, problem.reason, problem.detail));
            return;
        }
        JsonNode content = root.get("content");
        if (content.isObject()) {
            results.add(element(in, content, -1, w));
        } else if (content.isArray()) {
            elements(in, content, "Streamr wrapper content", results, w);
        } else {
            results.add(
                    in.parseError(
                            -1,
                            Reasons.NOT_AN_OBJECT,
                            "Streamr wrapper content is "
                                    + kind(content)
                                    + ", expected an event object or an array of them"));
        }
    }

    // ---- element level

    private Object element(Input in, JsonNode node, int index, Wrapper wrapper) {
        try {
            return elementOrThrow(in, node, index, wrapper);
        } catch (RuntimeException e) {
            return in.reject(
                    index,
                    Reasons.INTERNAL_ERROR,
                    "parser error: " + e,
                    Rejection.STAGE_VALIDATE,
                    null,
                    null);
        }
    }

    private Object elementOrThrow(Input in, JsonNode node, int index, Wrapper wrapper) {
        String where = index < 0 ? "record" : "element " + index;
        if (!node.isObject()) {
            return in.parseError(
                    index,
                    Reasons.NOT_AN_OBJECT,
                    where + " is " + kind(node) + ", expected an object");
        }
        Shape shape = Shape.of(node);
        if (shape == null) {
            String detail =
                    node.has("data") && node.has("payload")
                            ? where + " has both data and payload: no envelope shape has both"
                            : where
                                    + " has none of the envelope fields (id, type, timestamp,"
                                    + " data or payload; or ID, EventType, DT, Payload)";
            return in.parseError(index, Reasons.UNSUPPORTED_SHAPE, detail);
        }
        JsonNode idNode = node.get(shape.id);
        JsonNode typeNode = node.get(shape.type);
        String eventId = nonEmptyText(idNode);
        String type = nonEmptyText(typeNode);
        Problem problem = requireString(idNode, shape.id, "id");
        if (problem == null) {
            problem = requireString(typeNode, shape.type, "type");
        }
        if (problem != null) {
            return in.reject(
                    index, problem.reason, problem.detail, Rejection.STAGE_PARSE, eventId, type);
        }
        JsonNode tsNode = node.get(shape.timestamp);
        if (tsNode == null
                || tsNode.isNull()
                || (tsNode.isTextual() && tsNode.textValue().isEmpty())) {
            return in.reject(
                    index,
                    Reasons.missingField("timestamp"),
                    "envelope field '" + shape.timestamp + "' is missing or empty",
                    Rejection.STAGE_PARSE,
                    eventId,
                    type);
        }
        if (!tsNode.isTextual() && !tsNode.isNumber()) {
            return in.reject(
                    index,
                    Reasons.wrongType("timestamp"),
                    "envelope field '"
                            + shape.timestamp
                            + "' must be a string or a number but is "
                            + kind(tsNode),
                    Rejection.STAGE_PARSE,
                    eventId,
                    type);
        }
        OptionalLong parsed = Timestamps.parse(tsNode);
        if (parsed.isEmpty()) {
            return in.reject(
                    index,
                    Reasons.BAD_TIMESTAMP,
                    "envelope field '"
                            + shape.timestamp
                            + "' is "
                            + abbreviate(Timestamps.text(tsNode))
                            + ": neither epoch seconds/ms/us/ns nor RFC 3339",
                    Rejection.STAGE_PARSE,
                    eventId,
                    type);
        }
        long envelopeTime = parsed.getAsLong();
        JsonNode data = shape.data == null ? null : node.get(shape.data);
        if (data == null || data.isNull()) {
            String name = shape.data == null ? "data or payload" : shape.data;
            return in.reject(
                    index,
                    Reasons.missingField("data"),
                    "envelope field '" + name + "' is missing or null",
                    Rejection.STAGE_PARSE,
                    eventId,
                    type);
        }
        if (!data.isTextual() && !data.isObject() && !data.isArray()) {
            return in.reject(
                    index,
                    Reasons.wrongType("data"),
                    "envelope field '"
                            + shape.data
                            + "' must be a string, an object or an array but is "
                            + kind(data),
                    Rejection.STAGE_PARSE,
                    eventId,
                    type);
        }
        JsonNode gatewayNode = shape.gateway ? node.get("gateway") : null;
        if (gatewayNode != null && !gatewayNode.isNull() && !gatewayNode.isTextual()) {
            return in.reject(
                    index,
                    Reasons.wrongType("gateway"),
                    "envelope field 'gateway' must be a string but is " + kind(gatewayNode),
                    Rejection.STAGE_PARSE,
                    eventId,
                    type);
        }

        Family family = Family.ofType(type);
        FamilyPayload payload;
        try {
            payload = Families.decode(family, data);
        } catch (InvalidPayloadException e) {
            return in.reject(
                    index,
                    e.reason(),
                    type + " payload: " + e.detail(),
                    Rejection.STAGE_VALIDATE,
                    eventId,
                    type);
        }

        TelemetryEvent e = new TelemetryEvent();
        e.eventId = eventId;
        e.type = type;
        e.family = family.wireName();
        e.subtype = payload.subtype();
        e.shape = shape.name;
        e.envelopeTime = envelopeTime;
        e.envelopeTimestamp = Timestamps.text(tsNode);
        setEventTime(e, family, data, in.record.ingestTime);
        e.gateway = gatewayNode == null ? null : nonEmptyText(gatewayNode);
        if (wrapper != null) {
            e.streamrWrapped = true;
            e.publisherId = wrapper.publisherId;
            e.streamrTimestamp = wrapper.timestamp;
            e.streamrSequenceNumber = wrapper.sequenceNumber;
            e.streamrMsgChainId = wrapper.msgChainId;
        }
        if (payload instanceof SessionPayload) {
            SessionPayload s = (SessionPayload) payload;
            e.streamId = s.streamId();
            e.requestId = s.requestId();
            e.sessionId = SessionIds.of(e.streamId, e.requestId, eventId);
        } else if (payload instanceof CreateNewPayment) {
            e.requestId = ((CreateNewPayment) payload).requestId();
        }
        e.nodeIds = nodeIds(e, family, payload);
        e.payload = json(data);
        e.raw = json(node);
        e.source = in.record.source;
        e.topic = in.record.topic;
        e.partition = in.record.partition;
        e.offset = in.record.offset;
        e.index = index;
        e.ingestTime = in.record.ingestTime;
        return e;
    }

    private void setEventTime(TelemetryEvent e, Family family, JsonNode data, long ingestTime) {
        e.eventTime = e.envelopeTime;
        e.eventTimeSource = TIME_FROM_ENVELOPE;
        if (family.hasPayloadTime() && data.isObject()) {
            JsonNode t = data.get("timestamp");
            e.dataTimestamp = Timestamps.text(t);
            OptionalLong dt = Timestamps.parse(t);
            if (dt.isPresent()) {
                e.dataTime = dt.getAsLong();
                // A runner_* trace carries the runner's clock, which is skewed against the
                // gateway's: ordering it by that time would put it among the wrong gateway
                // events. The gateway's publish time orders it; data_time keeps the runner's.
                boolean runnerClock = e.subtype != null && e.subtype.startsWith("runner_");
                if (!runnerClock
                        && Math.abs(e.dataTime - e.envelopeTime) <= config.maxDataSkewMs()) {
                    e.eventTime = e.dataTime;
                    e.eventTimeSource = TIME_FROM_DATA;
                }
            }
        }
        if (ingestTime > 0 && e.eventTime > ingestTime + config.maxFutureMs()) {
            e.eventTime = ingestTime;
            e.eventTimeSource = TIME_FROM_INGEST;
            e.timeClamped = true;
        }
    }

    private static String[] nodeIds(TelemetryEvent e, Family family, FamilyPayload payload) {
        TreeSet<String> ids = new TreeSet<>(payload.nodeIds());
        String gateway = NodeIds.gateway(e.gateway);
        if (gateway == null && e.publisherId != null) {
            boolean fromGateway =
                    family.gatewayEmitted()
                            || (family == Family.NODE_TRACE
                                    && NodeTrace.GATEWAY_RESET.equals(e.subtype));
            gateway = fromGateway ? NodeIds.gatewayAddress(e.publisherId) : null;
        }
        if (gateway != null) {
            ids.add(gateway);
        }
        return ids.toArray(new String[0]);
    }

    // ---- helpers

    /** A reason class and its detail. */
    private record Problem(String reason, String detail) {}

    private static Problem requireString(JsonNode v, String spelled, String canonical) {
        if (v == null || v.isNull()) {
            return new Problem(
                    Reasons.missingField(canonical), "envelope field '" + spelled + "' is missing");
        }
        if (!v.isTextual()) {
            return new Problem(
                    Reasons.wrongType(canonical),
                    "envelope field '" + spelled + "' must be a string but is " + kind(v));
        }
        if (v.textValue().isEmpty()) {
            return new Problem(
                    Reasons.missingField(canonical),
                    "envelope field '" + spelled + "' is an empty string");
        }
        return null;
    }

    private String json(JsonNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a parsed JSON tree", e);
        }
    }

    private static String nonEmptyText(JsonNode v) {
        return v != null && v.isTextual() && !v.textValue().isEmpty() ? v.textValue() : null;
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "null";
        }
        return s.length() <= 64 ? "'" + s + "'" : "'" + s.substring(0, 64) + "...'";
    }

    static String kind(JsonNode v) {
        if (v == null || v.isNull()) {
            return "null";
        }
        switch (v.getNodeType()) {
            case OBJECT:
                return "an object";
            case ARRAY:
                return "an array";
            case STRING:
                return "a string";
            case NUMBER:
                return "a number";
            case BOOLEAN:
                return "a boolean";
            default:
                return v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The envelope field names of one shape. */
    private static final class Shape {
        static final Shape KAFKA =
                new Shape(SHAPE_KAFKA_QUEUE, "id", "type", "timestamp", "data", true);
        static final Shape SINK =
                new Shape(SHAPE_EVENT_SINK, "id", "type", "timestamp", "payload", true);
        static final Shape OPEN_POOL =
                new Shape(SHAPE_OPEN_POOL, "ID", "EventType", "DT", "Payload", false);

        /** Lower-case envelope fields but no payload member: reported as missing data. */
        static final Shape NO_PAYLOAD = new Shape(null, "id", "type", "timestamp", null, true);

        final String name;
        final String id;
        final String type;
        final String timestamp;
        final String data;
        final boolean gateway;

        private Shape(
                String name,
                String id,
                String type,
                String timestamp,
                String data,
                boolean gateway) {
            this.name = name;
            this.id = id;
            this.type = type;
            this.timestamp = timestamp;
            this.data = data;
            this.gateway = gateway;
        }

        /** The shape of an object, or null when it is none (unsupported). */
        static Shape of(JsonNode node) {
            boolean lower = node.has("id") || node.has("type");
            if (!lower
                    && (node.has("ID")
                            || node.has("EventType")
                            || node.has("DT")
                            || node.has("Payload"))) {
                return OPEN_POOL;
            }
            boolean data = node.has("data");
            boolean payload = node.has("payload");
            if (data && payload) {
                return null;
            }
            if (data) {
                return KAFKA;
            }
            if (payload) {
                return SINK;
            }
            if (lower || node.has("timestamp") || node.has("gateway")) {
                return NO_PAYLOAD;
            }
            return null;
        }
    }

    /** The Streamr metadata of a wrapped record. */
    private static final class Wrapper {
        String publisherId;
        Long timestamp;
        Long sequenceNumber;
        String msgChainId;

        /** Reads the metadata; returns what is wrong with it, or null. */
        Problem read(JsonNode meta) {
            JsonNode ts = present(meta.get("timestamp"));
            if (ts != null) {
                if (!ts.isTextual() && !ts.isNumber()) {
                    return fail(Reasons.wrongType("metadata.timestamp"), "a string or number", ts);
                }
                OptionalLong t = Timestamps.parse(ts);
                if (t.isEmpty()) {
                    return new Problem(
                            Reasons.BAD_TIMESTAMP,
                            "Streamr metadata.timestamp "
                                    + abbreviate(Timestamps.text(ts))
                                    + " is neither epoch seconds/ms/us/ns nor RFC 3339");
                }
                timestamp = t.getAsLong();
            }
            JsonNode seq = present(meta.get("sequenceNumber"));
            if (seq != null) {
                if (seq.isNumber() && isNonNegativeInteger(seq)) {
                    sequenceNumber = toLongOrNull(seq.decimalValue());
                } else if (seq.isTextual() && DIGITS.matcher(seq.textValue()).matches()) {
                    sequenceNumber =
                            seq.textValue().length() > 18 ? null : Long.parseLong(seq.textValue());
                } else {
                    return fail(
                            Reasons.wrongType("metadata.sequenceNumber"),
                            "a non-negative integer or a string of digits",
                            seq);
                }
            }
            JsonNode pub = present(meta.get("publisherId"));
            if (pub != null && !pub.isTextual()) {
                return fail(Reasons.wrongType("metadata.publisherId"), "a string", pub);
            }
            publisherId = nonEmptyText(pub);
            JsonNode chain = present(meta.get("msgChainId"));
            if (chain != null && !chain.isTextual()) {
                return fail(Reasons.wrongType("metadata.msgChainId"), "a string", chain);
            }
            msgChainId = nonEmptyText(chain);
            return null;
        }

        private static Problem fail(String reason, String expected, JsonNode actual) {
            return new Problem(
                    reason,
                    "Streamr "
                            + reason.substring(Reasons.WRONG_TYPE_PREFIX.length())
                            + " must be "
                            + expected
                            + " but is "
                            + kind(actual));
        }

        private static JsonNode present(JsonNode v) {
            return v == null || v.isNull() ? null : v;
        }

        private static boolean isNonNegativeInteger(JsonNode n) {
            if (n.isIntegralNumber()) {
                return n.bigIntegerValue().signum() >= 0;
            }
            if (n.isFloat() || n.isDouble()) {
                double d = n.doubleValue();
                return Double.isFinite(d) && d >= 0 && d == Math.floor(d);
            }
            BigDecimal d = n.decimalValue();
            // An integral decimal such as 7.0 or 1E+3: JSON Schema's "integer" counts it too.
            return d.signum() >= 0 && (d.scale() <= 0 || d.stripTrailingZeros().scale() <= 0);
        }

        private static Long toLongOrNull(BigDecimal d) {
            // In long arithmetic: in int it wraps around for an exponent like 1e2147483647.
            if ((long) d.precision() - d.scale() > 18) {
                return null;
            }
            return d.longValue();
        }
    }

    /** One input record and how to make its rejections. */
    private final class Input {
        final RawRecord record;
        final byte[] value;

        Input(RawRecord record) {
            this.record = record;
            this.value = record.value == null ? EMPTY : record.value;
        }

        Rejection parseError(int index, String reason, String detail) {
            return reject(index, reason, detail, Rejection.STAGE_PARSE, null, null);
        }

        Rejection reject(
                int index,
                String reason,
                String detail,
                String stage,
                String eventId,
                String type) {
            Rejection r = new Rejection();
            r.reason = reason;
            r.detail = detail;
            r.stage = stage;
            r.source = record.source;
            r.topic = record.topic;
            r.partition = record.partition;
            r.offset = record.offset;
            r.index = index;
            r.eventId = eventId;
            r.type = type;
            r.ingestTime = record.ingestTime;
            r.rawSize = value.length;
            r.raw =
                    value.length > config.maxRecordBytes()
                            ? Arrays.copyOf(value, Math.max(0, config.maxRecordBytes()))
                            : value;
            return r;
        }
    }
}
