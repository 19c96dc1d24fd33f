package org.livepeer.naap.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The input of {@link FuzzITCase}: a clean generated network with many thousands of bad records
 * mixed in, each with what the job must make of it, stated here by hand from the documented rules
 * (never by running the parser).
 *
 * <p>The rules, and where they are written down:
 *
 * <ul>
 *   <li>a line of nothing but spaces, tabs and carriage returns is not a record ({@code
 *       JsonRecordsFormat});
 *   <li>a record holding a JSON array counts once per element, any other record once (README, "How
 *       records are accounted for"); the size check comes first, so an oversized array is one
 *       record;
 *   <li>the parser's checks, in order ({@code EventParser}): over {@code --max-record-bytes} (1
 *       MiB) is {@code too_large}; invalid UTF-8, a syntax error, trailing garbage or no value at
 *       all is {@code malformed_json}; a top-level value or array element that is not an object is
 *       {@code not_an_object}, an empty array {@code empty_array}; an object with no envelope
 *       field, or with both {@code data} and {@code payload}, is {@code unsupported_shape}; then
 *       id, type, timestamp and data in that order: absent, null or (id, type, timestamp) empty is
 *       {@code missing_field:<name>}, another JSON type {@code wrong_type:<name>}, a timestamp of
 *       the right type in no form {@code Timestamps} reads {@code bad_timestamp}; a present {@code
 *       gateway} that is not a string is {@code wrong_type:gateway}; JSON beyond the reader's
 *       limits (nesting deeper than 1000, a number of more than 1000 digits or with an exponent
 *       beyond an int, a name longer than 50,000 characters) is {@code malformed_json} too (README,
 *       {@code Reasons});
 *   <li>{@code Timestamps}: an epoch number (JSON number, or a string of 1 to 19 digits with an
 *       optional fraction) that is not negative and below 1e19, or RFC 3339 with a zone and at most
 *       nine fraction digits; nothing else;
 *   <li>the family payload ({@code Families}, {@code Read}, {@code json/family-*.schema.json}): a
 *       {@code stream_trace} payload is an object with a non-empty string {@code type}, its scalar
 *       fields take no object or array; a {@code node_trace} payload is a non-empty string; a
 *       scalar field given a scalar that does not convert (a word in a number field, a number
 *       beyond 60 digits either side of the point) reads as null, which is no error;
 *   <li>an event whose time is more than {@code --max-future} (5 min) past its record's ingest time
 *       is accepted with its time clamped to the ingest time and flagged ({@code ParserConfig},
 *       README "The event contract"); an unknown family with the minimum envelope is accepted as
 *       {@code unknown_family} and feeds no metric (README); an event behind the watermark is
 *       accepted and counted late ({@code TagLateEvents});
 *   <li>a second event with the same source label and event id is a duplicate (README), whatever
 *       else it carries.
 * </ul>
 *
 * Where the documented rules leave a choice open (a key given twice), the record is built so that
 * every reading is still a rejection, and its expectation lists each reason a reading can give.
 */
final class FuzzCorpus {
    /** The parser's default record limit ({@code ParserConfig.DEFAULT_MAX_RECORD_BYTES}). */
    static final int MAX_RECORD_BYTES = 1 << 20;

    static final String MALFORMED = "malformed_json";
    static final String NOT_AN_OBJECT = "not_an_object";
    static final String EMPTY_ARRAY = "empty_array";
    static final String UNSUPPORTED = "unsupported_shape";
    static final String TOO_LARGE = "too_large";
    static final String BAD_TIMESTAMP = "bad_timestamp";

    /** The type of the unknown-family probes: no family has it. */
    static final String PROBE_TYPE = "zz_fuzz_probe";

    /**
     * What the job must make of one record, or of one element of an array record; for a far-past
     * probe, the event time it must get (a clamped one gets its ingest time, known only when read).
     */
    record Expect(Outcome outcome, Set<String> reasons, long eventTime, String eventId) {
        static Expect rejected(Set<String> reasons) {
            return new Expect(Outcome.REJECTED, reasons, 0, null);
        }
    }

    enum Outcome {
        /** Rejected with one of {@link Expect#reasons}. */
        REJECTED,
        /** Accepted as {@code unknown_family}, its time clamped to its ingest time and flagged. */
        ACCEPTED_CLAMPED,
        /** Accepted as {@code unknown_family} at its own (far past) time, and late. */
        ACCEPTED_LATE,
        /** A duplicate of a base event delivered before it. */
        DUPLICATE
    }

    /**
     * One input line: its bytes, the kind of mutation (for the report) and the expectation of each
     * element it counts as (none for a line that is no record, nor for a base line).
     */
    record Line(byte[] bytes, String kind, List<Expect> expects, boolean base) {}

    /** An element-level bad JSON text (a complete JSON value) and the reasons it may get. */
    private record Bad(String json, Set<String> reasons, String kind) {}

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final Random rnd;
    private final List<String> baseLines;
    private final List<ObjectNode> base;

    private final List<Integer> streamTraces = new ArrayList<>();
    private final List<Integer> nodeTraces = new ArrayList<>();
    private final List<Integer> redeliverable = new ArrayList<>();

    private int serial;

    /** The fuzz lines, by the index of the base line they follow. */
    private final Map<Integer, List<Line>> after = new TreeMap<>();

    private FuzzCorpus(List<String> baseLines, long seed) throws Exception {
        this.rnd = new Random(seed);
        this.baseLines = baseLines;
        this.base = new ArrayList<>();
        for (int i = 0; i < baseLines.size(); i++) {
            ObjectNode e = (ObjectNode) MAPPER.readTree(baseLines.get(i));
            base.add(e);
            String type = e.path("type").asText();
            if ("stream_trace".equals(type)) {
                streamTraces.add(i);
            } else if ("node_trace".equals(type)) {
                nodeTraces.add(i);
            }
            if ("ai_stream_status".equals(type)
                    || "stream_ingest_metrics".equals(type)
                    || "create_new_payment".equals(type)) {
                redeliverable.add(i);
            }
        }
    }

    /**
     * The base lines with the fuzz records among them: {@code badRecords} rejected-by-construction
     * lines (a few of them arrays of several elements), {@code probes} unknown-family events with
     * far-future and far-past times, {@code redeliveries} corrupted copies of base events, and
     * {@code blanks} lines that are no record.
     */
    static List<Line> build(
            List<String> baseLines,
            long seed,
            int badRecords,
            int probes,
            int redeliveries,
            int blanks)
            throws Exception {
        FuzzCorpus c = new FuzzCorpus(baseLines, seed);
        c.addSpecials();
        List<Supplier<Line>> kinds = c.recordKinds();
        int fuzzLines = c.count();
        while (fuzzLines < badRecords) {
            c.place(c.rnd.nextInt(baseLines.size()), kinds.get(c.rnd.nextInt(kinds.size())).get());
            fuzzLines++;
        }
        for (int i = 0; i < probes; i++) {
            c.addProbe(i % 2 == 0);
        }
        for (int i = 0; i < redeliveries; i++) {
            c.addRedelivery();
        }
        for (int i = 0; i < blanks; i++) {
            String[] blank = {"", " ", "\t", "\r", "  \t \r"};
            c.place(
                    c.rnd.nextInt(baseLines.size()),
                    c.line(blank[i % blank.length], "blank line", List.of()));
        }
        List<Line> out = new ArrayList<>();
        for (int i = 0; i < baseLines.size(); i++) {
            out.add(baseLine(baseLines.get(i)));
            out.addAll(c.after.getOrDefault(i, List.of()));
        }
        return out;
    }

    /** The base lines alone, as the clean run reads them. */
    static List<Line> clean(List<String> baseLines) {
        return baseLines.stream().map(FuzzCorpus::baseLine).toList();
    }

    static Line baseLine(String text) {
        return new Line(text.getBytes(StandardCharsets.UTF_8), "base", List.of(), true);
    }

    private int count() {
        return after.values().stream().mapToInt(List::size).sum();
    }

    private void place(int afterBase, Line line) {
        after.computeIfAbsent(afterBase, k -> new ArrayList<>()).add(line);
    }

    private Line line(String text, String kind, List<Expect> expects) {
        return line(text.getBytes(StandardCharsets.UTF_8), kind, expects);
    }

    private Line line(byte[] bytes, String kind, List<Expect> expects) {
        return new Line(bytes, kind, expects, false);
    }

    private Line rejected(String text, String kind, String... reasons) {
        return line(text, kind, List.of(Expect.rejected(Set.of(reasons))));
    }

    private Line rejected(byte[] bytes, String kind, String... reasons) {
        return line(bytes, kind, List.of(Expect.rejected(Set.of(reasons))));
    }

    private Line single(Bad bad) {
        return line(bad.json(), bad.kind(), List.of(Expect.rejected(bad.reasons())));
    }

    private String freshId() {
        return "fuzz-" + (serial++);
    }

    private int anyBase() {
        return rnd.nextInt(base.size());
    }

    /** A copy of a base event with a fresh id: valid until a mutation breaks it. */
    private ObjectNode fresh(int index) {
        ObjectNode e = base.get(index).deepCopy();
        e.put("id", freshId());
        return e;
    }

    private ObjectNode freshAny() {
        return fresh(anyBase());
    }

    private <T> T pick(List<T> list) {
        return list.get(rnd.nextInt(list.size()));
    }

    @SafeVarargs
    private <T> T pick(T... values) {
        return values[rnd.nextInt(values.length)];
    }

    private static String json(JsonNode n) {
        return n.toString();
    }

    // ---- the kinds of bad record, each invalid by construction

    private List<Supplier<Line>> recordKinds() {
        List<Supplier<Line>> kinds = new ArrayList<>();
        kinds.add(this::truncated);
        kinds.add(this::trailingGarbage);
        kinds.add(this::corruptByte);
        kinds.add(this::randomBinary);
        kinds.add(this::asciiGarbage);
        kinds.add(this::notJsonLiteral);
        kinds.add(this::nanInsideEvent);
        kinds.add(this::topLevelScalar);
        kinds.add(this::arrayRecord);
        kinds.add(this::arrayRecord);
        kinds.add(() -> single(envelopeMutation()));
        kinds.add(() -> single(envelopeMutation()));
        kinds.add(() -> single(envelopeMutation()));
        kinds.add(() -> single(farTimestamp()));
        kinds.add(() -> single(farTimestamp()));
        kinds.add(() -> single(duplicateKeys()));
        kinds.add(this::streamrWrapper);
        kinds.add(() -> single(openPool()));
        kinds.add(() -> single(eventSink()));
        kinds.add(() -> single(payloadMutation()));
        kinds.add(() -> single(payloadMutation()));
        kinds.add(this::oddWhitespace);
        return kinds;
    }

    /** A base line cut short: a prefix of an object's text is never a JSON value. */
    private Line truncated() {
        String s = baseLines.get(anyBase());
        return rejected(s.substring(0, 1 + rnd.nextInt(s.length() - 1)), "truncated", MALFORMED);
    }

    private Line trailingGarbage() {
        String garbage =
                pick("}", "]", "x", "{}", "[]", ",", "\"\"", "0", "null", ":", "/", "{", "\u0000");
        return rejected(baseLines.get(anyBase()) + garbage, "trailing garbage", MALFORMED);
    }

    /**
     * One byte of an (ASCII) base line replaced by a byte that is never valid there in UTF-8: a
     * continuation byte with no lead, or a byte no UTF-8 text holds.
     */
    private Line corruptByte() {
        byte[] b = baseLines.get(anyBase()).getBytes(StandardCharsets.UTF_8);
        int[] invalid = {0x80, 0xBF, 0xC0, 0xC1, 0xF5, 0xF8, 0xFE, 0xFF};
        b[rnd.nextInt(b.length)] = (byte) invalid[rnd.nextInt(invalid.length)];
        return rejected(b, "invalid UTF-8 byte", MALFORMED);
    }

    /** Random bytes (no line feed) with at least one 0xFF, which UTF-8 never holds. */
    private Line randomBinary() {
        byte[] b = new byte[1 + rnd.nextInt(4096)];
        rnd.nextBytes(b);
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '\n') {
                b[i] = 0x0B;
            }
        }
        b[rnd.nextInt(b.length)] = (byte) 0xFF;
        return rejected(b, "random binary", MALFORMED);
    }

    /** Printable noise after a character no JSON value starts with. */
    private Line asciiGarbage() {
        StringBuilder sb = new StringBuilder(")");
        int n = rnd.nextInt(200);
        for (int i = 0; i < n; i++) {
            sb.append((char) (32 + rnd.nextInt(95)));
        }
        return rejected(sb.toString(), "ascii garbage", MALFORMED);
    }

    /** Texts that look like values but are not JSON (RFC 8259). */
    private Line notJsonLiteral() {
        String s =
                pick(
                        "NaN",
                        "Infinity",
                        "-Infinity",
                        "+1",
                        "01",
                        ".5",
                        "1.",
                        "0x10",
                        "'single'",
                        "undefined",
                        "True",
                        "nul",
                        "tru",
                        "{'id':'x'}",
                        "{id:\"x\"}",
                        "[1,]",
                        "{\"a\":1,}",
                        "\"unterminated",
                        "\"bad escape \\x\"",
                        "\"tab\tinside\"");
        return rejected(s, "not JSON", MALFORMED);
    }

    /** A base event whose timestamp or a payload number is a NaN or Infinity literal. */
    private Line nanInsideEvent() {
        String literal = pick("NaN", "Infinity", "-Infinity", "-NaN");
        ObjectNode e = freshAny();
        String text;
        if (rnd.nextBoolean() || !e.path("data").isObject()) {
            e.put("timestamp", "__LITERAL__");
            text = json(e);
        } else {
            ((ObjectNode) e.get("data")).put("fuzz_number", "__LITERAL__");
            text = json(e);
        }
        return rejected(text.replace("\"__LITERAL__\"", literal), "NaN literal", MALFORMED);
    }

    private Line topLevelScalar() {
        String s =
                pick(
                        "42",
                        "-1",
                        "0.5",
                        "1e999",
                        "-1e-999",
                        "true",
                        "false",
                        "null",
                        "\"str\"",
                        "\"\"",
                        "  7  ",
                        "123456789012345678901234567890",
                        "\"{\\\"id\\\":\\\"x\\\"}\"");
        return rejected(s, "top-level scalar", NOT_AN_OBJECT);
    }

    /** A top-level array: each element counts, each is rejected for itself. */
    private Line arrayRecord() {
        int shape = rnd.nextInt(4);
        if (shape == 0) {
            return rejected("[]", "empty array", EMPTY_ARRAY);
        }
        if (shape == 1) {
            List<Expect> ex = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                ex.add(Expect.rejected(Set.of(NOT_AN_OBJECT)));
            }
            ex.add(Expect.rejected(Set.of(UNSUPPORTED)));
            return line("[1,\"a\",null,true,[],{}]", "array of non-events", ex);
        }
        // An array of bad events (envelope, timestamp and payload mutations).
        int n = 1 + rnd.nextInt(6);
        StringBuilder sb = new StringBuilder("[");
        List<Expect> ex = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Bad bad =
                    switch (rnd.nextInt(3)) {
                        case 0 -> envelopeMutation();
                        case 1 -> farTimestamp();
                        default -> payloadMutation();
                    };
            sb.append(i == 0 ? "" : ",").append(bad.json());
            ex.add(Expect.rejected(bad.reasons()));
        }
        return line(sb.append(']').toString(), "array of bad events", ex);
    }

    /** Characters that are whitespace to people but not to JSON, or no value at all. */
    private Line oddWhitespace() {
        String s = pick("\u000B", "\f", "\u00A0", "\uFEFF", "\u0000", "\u2028", "\uFEFF\uFEFF");
        return rejected(s, "odd whitespace", MALFORMED);
    }

    private static final JsonNode[] NOT_STRINGS = {
        F.numberNode(42),
        F.numberNode(-3.5),
        F.booleanNode(true),
        F.booleanNode(false),
        F.objectNode(),
        F.objectNode().put("id", "x"),
        F.arrayNode(),
        F.arrayNode().add("x")
    };

    private static final JsonNode[] ABSENT_OR_EMPTY = {null, F.nullNode(), F.textNode("")};

    /** Neither a string nor a number: never a timestamp's type. */
    private static final JsonNode[] NOT_TIMESTAMP_TYPES = {
        F.booleanNode(true),
        F.booleanNode(false),
        F.objectNode(),
        F.objectNode().put("$date", 1768478400000L),
        F.arrayNode(),
        F.arrayNode().add(1768478400000L)
    };

    private static final JsonNode[] NOT_PAYLOAD_TYPES = {
        F.numberNode(7), F.numberNode(-1.5), F.booleanNode(true), F.booleanNode(false)
    };

    /** Strings of the right type in no form {@code Timestamps} reads. */
    private static final String[] UNREADABLE_TIMES = {
        "yesterday",
        "-1",
        "1.5e12",
        "NaN",
        "Infinity",
        "10000000000000000000",
        "3000-01-01",
        "3000-01-01T00:00:00",
        "3000-01-01 00:00:00Z",
        "10000-01-01T00:00:00Z",
        "-0001-01-01T00:00:00Z",
        "2026-13-01T00:00:00Z",
        "2026-01-15T24:00:00Z",
        "2026-01-15T12:00:00.1234567890Z",
        " 1768478400000",
        "1768478400000 ",
        "0x1A",
        "1_768_478_400_000",
        "\u0661\u0662\u0663"
    };

    /** One envelope field of a base event (fresh id) given the wrong type, or taken away. */
    private Bad envelopeMutation() {
        ObjectNode e = freshAny();
        String field = pick("id", "type", "timestamp", "data", "gateway");
        switch (field) {
            case "id", "type" -> {
                if (rnd.nextBoolean()) {
                    e.set(field, pick(NOT_STRINGS));
                    return new Bad(json(e), Set.of("wrong_type:" + field), "wrong type: " + field);
                }
                setOrRemove(e, field, pick(ABSENT_OR_EMPTY));
                return new Bad(json(e), Set.of("missing_field:" + field), "missing " + field);
            }
            case "timestamp" -> {
                int how = rnd.nextInt(3);
                if (how == 0) {
                    e.set(field, pick(NOT_TIMESTAMP_TYPES));
                    return new Bad(json(e), Set.of("wrong_type:timestamp"), "timestamp type");
                }
                if (how == 1) {
                    setOrRemove(e, field, pick(ABSENT_OR_EMPTY));
                    return new Bad(json(e), Set.of("missing_field:timestamp"), "no timestamp");
                }
                e.put(field, pick(UNREADABLE_TIMES));
                return new Bad(json(e), Set.of(BAD_TIMESTAMP), "unreadable timestamp");
            }
            case "data" -> {
                if (rnd.nextBoolean()) {
                    e.set(field, pick(NOT_PAYLOAD_TYPES));
                    return new Bad(json(e), Set.of("wrong_type:data"), "data type");
                }
                setOrRemove(e, field, pick(null, F.nullNode()));
                return new Bad(json(e), Set.of("missing_field:data"), "no data");
            }
            default -> {
                e.set(
                        field,
                        pick(F.numberNode(42), F.booleanNode(true), F.objectNode(), F.arrayNode()));
                return new Bad(json(e), Set.of("wrong_type:gateway"), "gateway type");
            }
        }
    }

    private static void setOrRemove(ObjectNode e, String field, JsonNode value) {
        if (value == null) {
            e.remove(field);
        } else {
            e.set(field, value);
        }
    }

    /** Far, odd and extreme timestamps that {@code Timestamps} reads (epoch or RFC 3339). */
    private static final String[] READABLE_TIMES_JSON = {
        "0",
        "\"0\"",
        "1",
        "\"1\"",
        "1e-300",
        "1.5e12",
        "99999999999.999",
        "\"1970-01-01T00:00:00Z\"",
        "\"1969-12-31T23:59:59Z\"",
        "\"1000-01-01T00:00:00Z\"",
        "\"0000-01-01T00:00:00Z\"",
        "\"3000-01-01T00:00:00Z\"",
        "\"9999-12-31T23:59:59.999999999Z\"",
        "\"2026-02-30T00:00:00Z\"",
        "\"2026-01-15T12:00:60Z\"",
        "\"2026-01-15T12:00:00-23:59\"",
        "9223372036854775807",
        "\"9223372036854775807\"",
        "9999999999999999999",
        "\"9999999999999999999\"",
        "\"1768478400000.123456789123\"",
        "1e-2147483647"
    };

    /** Numbers {@code Timestamps} does not read: negative, or 1e19 and above. */
    private static final String[] UNREADABLE_TIMES_JSON = {
        "-1",
        "-9223372036854775808",
        "10000000000000000000",
        "1e19",
        "1e300",
        "1.7976931348623157E308",
        "-1e-300",
        "1e2147483647"
    };

    /**
     * A base event (fresh id) with an extreme timestamp and a payload of the wrong type: the
     * payload is checked after the timestamp, so the reason says whether the timestamp was read.
     */
    private Bad farTimestamp() {
        ObjectNode e = freshAny();
        e.put("timestamp", "__TS__");
        e.put("data", 7);
        boolean readable = rnd.nextInt(3) > 0;
        String ts = readable ? pick(READABLE_TIMES_JSON) : pick(UNREADABLE_TIMES_JSON);
        String reason = readable ? "wrong_type:data" : BAD_TIMESTAMP;
        return new Bad(
                json(e).replace("\"__TS__\"", ts),
                Set.of(reason),
                readable ? "extreme timestamp, read" : "extreme timestamp, unread");
    }

    /**
     * A key given twice, both values invalid the same way: whichever a reader keeps (or a reader
     * that refuses duplicate keys), the record is rejected.
     */
    private Bad duplicateKeys() {
        ObjectNode e = freshAny();
        String ts = e.path("timestamp").asText();
        String data = json(e.get("data"));
        String id = e.path("id").asText();
        String type = e.path("type").asText();
        return switch (rnd.nextInt(5)) {
            case 0 ->
                    new Bad(
                            "{\"id\":5,\"id\":true,\"type\":\""
                                    + type
                                    + "\",\"timestamp\":\""
                                    + ts
                                    + "\",\"data\":"
                                    + data
                                    + "}",
                            Set.of("wrong_type:id", MALFORMED),
                            "duplicate keys");
            case 1 ->
                    new Bad(
                            "{\"id\":\"\",\"id\":null,\"type\":\""
                                    + type
                                    + "\",\"timestamp\":\""
                                    + ts
                                    + "\",\"data\":"
                                    + data
                                    + "}",
                            Set.of("missing_field:id", MALFORMED),
                            "duplicate keys");
            case 2 ->
                    new Bad(
                            "{\"id\":\""
                                    + id
                                    + "\",\"type\":\""
                                    + type
                                    + "\",\"timestamp\":{},\"timestamp\":[],\"data\":"
                                    + data
                                    + "}",
                            Set.of("wrong_type:timestamp", MALFORMED),
                            "duplicate keys");
            case 3 ->
                    new Bad(
                            "{\"id\":\""
                                    + id
                                    + "\",\"type\":\""
                                    + type
                                    + "\",\"timestamp\":\""
                                    + ts
                                    + "\",\"data\":1,\"data\":false}",
                            Set.of("wrong_type:data", MALFORMED),
                            "duplicate keys");
            default ->
                    new Bad(
                            "{\"id\":\""
                                    + id
                                    + "\",\"type\":\""
                                    + type
                                    + "\",\"timestamp\":\"yesterday\",\"timestamp\":\"soon\",\"data\":"
                                    + data
                                    + "}",
                            Set.of(BAD_TIMESTAMP, MALFORMED),
                            "duplicate keys");
        };
    }

    /** A Streamr wrapper with bad metadata, or bad content. */
    private Line streamrWrapper() {
        ObjectNode w = F.objectNode();
        ObjectNode meta = F.objectNode();
        switch (rnd.nextInt(9)) {
            case 0 -> {
                w.set("content", freshAny());
                w.set(
                        "metadata",
                        pick(F.textNode("x"), F.numberNode(5), F.arrayNode(), F.booleanNode(true)));
                return rejected(json(w), "streamr: metadata type", "wrong_type:metadata");
            }
            case 1 -> {
                w.set("content", freshAny());
                meta.set("timestamp", pick(F.objectNode(), F.arrayNode(), F.booleanNode(false)));
                w.set("metadata", meta);
                return rejected(json(w), "streamr: metadata type", "wrong_type:metadata.timestamp");
            }
            case 2 -> {
                w.set("content", freshAny());
                meta.put("timestamp", pick(UNREADABLE_TIMES));
                w.set("metadata", meta);
                return rejected(json(w), "streamr: metadata time", BAD_TIMESTAMP);
            }
            case 3 -> {
                w.set("content", freshAny());
                meta.set(
                        "sequenceNumber",
                        pick(
                                F.numberNode(-1),
                                F.textNode("abc"),
                                F.numberNode(1.5),
                                F.objectNode()));
                w.set("metadata", meta);
                return rejected(
                        json(w), "streamr: metadata type", "wrong_type:metadata.sequenceNumber");
            }
            case 4 -> {
                w.set("content", freshAny());
                meta.set("publisherId", pick(F.numberNode(5), F.arrayNode(), F.objectNode()));
                w.set("metadata", meta);
                return rejected(
                        json(w), "streamr: metadata type", "wrong_type:metadata.publisherId");
            }
            case 5 -> {
                w.set(
                        "content",
                        pick(F.numberNode(5), F.textNode("s"), F.booleanNode(true), F.nullNode()));
                w.set("metadata", meta);
                return rejected(json(w), "streamr: content not an event", NOT_AN_OBJECT);
            }
            case 6 -> {
                w.set("content", F.arrayNode());
                w.set("metadata", meta);
                return rejected(json(w), "streamr: empty content", EMPTY_ARRAY);
            }
            default -> {
                // Good metadata (a far-future Streamr time is metadata, not the event's time)
                // around a bad event.
                Bad bad = rnd.nextBoolean() ? envelopeMutation() : farTimestamp();
                meta.put("timestamp", pick("3000-01-01T00:00:00Z", "1768478400000", "0"));
                meta.put("publisherId", "0xfuzz");
                return line(
                        "{\"content\":" + bad.json() + ",\"metadata\":" + json(meta) + "}",
                        "streamr: bad event",
                        List.of(Expect.rejected(bad.reasons())));
            }
        }
    }

    /** The Open Pool shape ({@code ID}, {@code EventType}, {@code DT}, {@code Payload}), broken. */
    private Bad openPool() {
        ObjectNode src = base.get(pick(streamTraces));
        ObjectNode o = F.objectNode();
        o.put("EventType", "stream_trace");
        switch (rnd.nextInt(5)) {
            case 0 -> {
                o.put("ID", 5);
                o.put("DT", src.path("timestamp").asText());
                o.set("Payload", src.get("data"));
                return new Bad(json(o), Set.of("wrong_type:id"), "open pool");
            }
            case 1 -> {
                o.put("ID", freshId());
                o.set("DT", F.objectNode());
                o.set("Payload", src.get("data"));
                return new Bad(json(o), Set.of("wrong_type:timestamp"), "open pool");
            }
            case 2 -> {
                o.put("DT", src.path("timestamp").asText());
                return new Bad(json(o), Set.of("missing_field:id"), "open pool");
            }
            case 3 -> {
                o.put("ID", freshId());
                o.put("DT", src.path("timestamp").asText());
                return new Bad(json(o), Set.of("missing_field:data"), "open pool");
            }
            default -> {
                o.put("ID", freshId());
                o.put("DT", "3000-01-01T00:00:00Z");
                o.put("Payload", 7);
                return new Bad(json(o), Set.of("wrong_type:data"), "open pool");
            }
        }
    }

    /** The event-sink shape ({@code payload} for {@code data}), broken; or both members. */
    private Bad eventSink() {
        ObjectNode e = freshAny();
        if (rnd.nextBoolean()) {
            e.set("payload", e.get("data"));
            return new Bad(json(e), Set.of(UNSUPPORTED), "both data and payload");
        }
        e.remove("data");
        e.set("payload", pick(NOT_PAYLOAD_TYPES));
        return new Bad(json(e), Set.of("wrong_type:data"), "event sink");
    }

    /** A family payload broken in a way its decoder refuses (fresh id, envelope valid). */
    private Bad payloadMutation() {
        if (rnd.nextInt(4) == 0) {
            ObjectNode e = fresh(pick(nodeTraces));
            if (rnd.nextBoolean()) {
                e.put("data", "");
                return new Bad(json(e), Set.of("missing_field:data"), "node_trace payload");
            }
            e.set(
                    "data",
                    pick(F.objectNode(), F.arrayNode().add("gateway-reset"), F.numberNode(1)));
            // A number is refused by the envelope already, with the same reason.
            return new Bad(json(e), Set.of("wrong_type:data"), "node_trace payload");
        }
        ObjectNode e = fresh(pick(streamTraces));
        ObjectNode data = (ObjectNode) e.get("data");
        switch (rnd.nextInt(5)) {
            case 0 -> {
                setOrRemove(data, "type", pick(ABSENT_OR_EMPTY));
                return new Bad(json(e), Set.of("missing_field:data.type"), "stream_trace payload");
            }
            case 1 -> {
                data.set(
                        "type",
                        pick(F.numberNode(5), F.booleanNode(true), F.objectNode(), F.arrayNode()));
                return new Bad(json(e), Set.of("wrong_type:data.type"), "stream_trace payload");
            }
            case 2 -> {
                String f = pick("stream_id", "request_id", "pipeline_id", "pipeline");
                data.set(f, pick(F.objectNode(), F.arrayNode(), F.arrayNode().add(123)));
                return new Bad(json(e), Set.of("wrong_type:data." + f), "stream_trace payload");
            }
            case 3 -> {
                // An envelope takes a string payload, even an empty one (json/defs.schema.json
                // "payload"); a stream_trace payload must be an object
                // (family-stream_trace.schema.json).
                e.put(
                        "data",
                        pick("a string", "", "{\"type\":\"gateway_receive_stream_request\"}"));
                return new Bad(
                        json(e), Set.of("wrong_type:data"), "stream_trace payload as string");
            }
            default -> {
                e.set("data", F.arrayNode().add(data));
                return new Bad(json(e), Set.of("wrong_type:data"), "stream_trace payload as array");
            }
        }
    }

    // ---- huge and deep records, a fixed number of each

    private void addSpecials() {
        // Over the limit: rejected before anything is read, whatever the content.
        for (int i = 0; i < 8; i++) {
            ObjectNode e = freshAny();
            e.put("pad", letters(MAX_RECORD_BYTES + rnd.nextInt(512 * 1024)));
            String text = json(e);
            String variant =
                    switch (i % 4) {
                        case 0 -> text;
                        case 1 -> text.substring(0, text.length() - 1);
                        case 2 -> text + "garbage";
                        default -> "[" + text + "," + text + "]";
                    };
            place(anyBase(), rejected(variant, "huge: over the limit", TOO_LARGE));
        }
        StringBuilder manyElements = new StringBuilder("[");
        while (manyElements.length() <= MAX_RECORD_BYTES) {
            manyElements.append("{},");
        }
        manyElements.append("{}]");
        place(anyBase(), rejected(manyElements.toString(), "huge: array of 350k", TOO_LARGE));
        byte[] binary = new byte[MAX_RECORD_BYTES + 7];
        rnd.nextBytes(binary);
        for (int i = 0; i < binary.length; i++) {
            if (binary[i] == '\n') {
                binary[i] = 0x0B;
            }
        }
        binary[binary.length - 1] = (byte) 0xFF; // so a trailing CR is never stripped
        place(anyBase(), rejected(binary, "huge: binary", TOO_LARGE));
        place(anyBase(), rejected("[" + letters(8 << 20) + "]", "huge: 8 MB", TOO_LARGE));

        // The limit itself: exactly at it is read (and rejected for its timestamp), one byte
        // over is not.
        place(
                anyBase(),
                rejected(exactSize(MAX_RECORD_BYTES), "huge: at the limit", BAD_TIMESTAMP));
        place(anyBase(), rejected(exactSize(MAX_RECORD_BYTES + 1), "huge: limit + 1", TOO_LARGE));

        // Under the limit, huge values where they make the record invalid.
        String big = letters(900 * 1024);
        ObjectNode e = freshAny();
        e.put("timestamp", big);
        place(anyBase(), rejected(json(e), "huge: timestamp", BAD_TIMESTAMP));
        e = freshAny();
        e.put("id", big);
        e.put("data", 7);
        place(anyBase(), rejected(json(e), "huge: id", "wrong_type:data"));
        e = freshAny();
        e.put("type", big);
        e.set("timestamp", F.objectNode());
        place(anyBase(), rejected(json(e), "huge: type", "wrong_type:timestamp"));
        place(anyBase(), rejected("\"" + big + "\"", "huge: string", NOT_AN_OBJECT));
        // A member name of 900 KB: beyond the reader's 50,000 characters.
        place(anyBase(), rejected("{\"" + big + "\":1}", "huge: key", MALFORMED));
        e = freshAny();
        e.put("timestamp", "1".repeat(5000));
        place(anyBase(), rejected(json(e), "huge: digit string", BAD_TIMESTAMP));
        // A number longer than the reader's 1000 digits; an exponent beyond an int.
        String longNumber = "1" + "0".repeat(5000);
        e = freshAny();
        e.put("timestamp", "__TS__");
        place(
                anyBase(),
                rejected(json(e).replace("\"__TS__\"", longNumber), "huge: number", MALFORMED));
        place(anyBase(), rejected(longNumber, "huge: number", MALFORMED));
        e = freshAny();
        e.put("timestamp", "__TS__");
        e.put("data", 7);
        place(
                anyBase(),
                rejected(
                        json(e).replace("\"__TS__\"", "1e9999999999"),
                        "huge: exponent",
                        MALFORMED));
        place(anyBase(), rejected("[1e-9999999999]", "huge: exponent", MALFORMED));

        // Deep nesting: unclosed is never JSON; closed, 10,000 levels are beyond the reader's
        // 1000, and 500 are read (and rejected for where they are).
        for (int i = 0; i < 10; i++) {
            int depth = 10_000;
            place(anyBase(), rejected("[".repeat(depth), "deep: unclosed", MALFORMED));
            place(anyBase(), rejected("{\"a\":".repeat(depth), "deep: unclosed", MALFORMED));
            place(
                    anyBase(),
                    rejected("[".repeat(depth) + "]".repeat(depth), "deep: closed", MALFORMED));
            place(
                    anyBase(),
                    rejected("[".repeat(500) + "]".repeat(500), "deep: 500", NOT_AN_OBJECT));
            place(
                    anyBase(),
                    rejected(
                            "{\"a\":".repeat(depth) + "1" + "}".repeat(depth),
                            "deep: closed",
                            MALFORMED));
            place(
                    anyBase(),
                    rejected(
                            "{\"a\":".repeat(500) + "1" + "}".repeat(500),
                            "deep: 500",
                            UNSUPPORTED));
            e = freshAny();
            e.put("timestamp", "__TS__");
            e.put("data", 7);
            boolean read = i % 2 == 1;
            int d = read ? 500 : depth;
            place(
                    anyBase(),
                    rejected(
                            json(e).replace("\"__TS__\"", "[".repeat(d) + "]".repeat(d)),
                            "deep: timestamp",
                            read ? "wrong_type:timestamp" : MALFORMED));
            ObjectNode st = fresh(pick(streamTraces));
            st.put("data", "__DATA__");
            place(
                    anyBase(),
                    rejected(
                            json(st).replace(
                                            "\"__DATA__\"",
                                            "{\"a\":".repeat(d) + "1" + "}".repeat(d)),
                            "deep: payload",
                            read ? "missing_field:data.type" : MALFORMED));
        }
    }

    private String letters(int n) {
        char[] c = new char[n];
        for (int i = 0; i < n; i++) {
            c[i] = (char) ('a' + rnd.nextInt(26));
        }
        return new String(c);
    }

    /** A record of exactly {@code bytes} bytes whose timestamp is a long word. */
    private String exactSize(int bytes) {
        String head = "{\"id\":\"" + freshId() + "\",\"type\":\"stream_trace\",\"timestamp\":\"";
        String tail = "\",\"data\":{\"type\":\"gateway_receive_stream_request\"}}";
        return head + "x".repeat(bytes - head.length() - tail.length()) + tail;
    }

    // ---- accepted by rule: far-time probes and corrupted redeliveries

    /** Far-future times, from the year 2100 to 9999. */
    private static final String[] FUTURE_JSON = {
        "\"2100-01-01T00:00:00Z\"",
        "4102444800000",
        "\"3000-01-01T00:00:00Z\"",
        "\"9999-12-31T23:59:59.999999999Z\"",
        "9223372036854775807",
        "\"9223372036854775807\"",
        "\"9999999999999999999\""
    };

    /** Far-past times and their epoch ms (RFC 3339 read with {@link Instant}). */
    private static final String[] PAST = {
        "0",
        "\"0\"",
        "1",
        "\"1970-01-01T00:00:00Z\"",
        "\"1000-01-01T00:00:00Z\"",
        "\"0000-01-01T00:00:00Z\"",
        "\"1969-12-31T23:59:59.999Z\""
    };

    private static long pastMillis(String json) {
        return switch (json) {
            case "0", "\"0\"" -> 0L;
            case "1" -> 1000L; // epoch seconds below 1e11
            default -> Instant.parse(json.substring(1, json.length() - 1)).toEpochMilli();
        };
    }

    /**
     * An unknown-family event (fresh id, no gateway, payload without a time) at a far-future or
     * far-past time. A future one is clamped to its record's ingest time (the moment the file is
     * read), which is unknown here; a past one comes after the first tenth of the base, when the
     * watermark has long passed 1970.
     */
    private void addProbe(boolean future) {
        String id = freshId();
        String ts;
        int at;
        Expect expect;
        if (future) {
            at = rnd.nextInt(base.size());
            ts = pick(FUTURE_JSON);
            expect = new Expect(Outcome.ACCEPTED_CLAMPED, Set.of(), 0, id);
        } else {
            at = base.size() / 10 + rnd.nextInt(base.size() - base.size() / 10);
            ts = pick(PAST);
            expect = new Expect(Outcome.ACCEPTED_LATE, Set.of(), pastMillis(ts), id);
        }
        String text =
                "{\"id\":\""
                        + id
                        + "\",\"type\":\""
                        + PROBE_TYPE
                        + "\",\"timestamp\":"
                        + ts
                        + ",\"data\":{\"probe\":"
                        + serial
                        + ",\"note\":\"far time\"}}";
        place(at, line(text, future ? "probe: far future" : "probe: far past", List.of(expect)));
    }

    /**
     * A copy of a status or ingest sample or a payment, delivered right after it with the same id
     * and envelope, its numbers and amounts replaced by junk that reads as null (a word, a number
     * beyond range): a duplicate.
     */
    private void addRedelivery() {
        int at = pick(redeliverable);
        ObjectNode e = base.get(at).deepCopy();
        ObjectNode data = (ObjectNode) e.get("data");
        List<ObjectNode> holders = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        String type = e.path("type").asText();
        if ("ai_stream_status".equals(type)) {
            addIfObject(holders, fields, data.get("inference_status"), "fps", "restart_count");
            addIfObject(holders, fields, data.get("input_status"), "fps");
        } else if ("create_new_payment".equals(type)) {
            addIfObject(holders, fields, data, "faceValue", "price", "winProb", "numTickets");
        } else {
            JsonNode stats = data.get("stats");
            addIfObject(
                    holders, fields, stats.get("peer_conn_stats"), "BytesReceived", "BytesSent");
            JsonNode tracks = stats.get("track_stats");
            if (tracks instanceof ArrayNode a && a.size() > 0) {
                addIfObject(holders, fields, a.get(0), "jitter", "packets_lost", "rtt", "latency");
            }
        }
        String[] junk = {
            "\"NaN\"",
            "\"Infinity\"",
            "\"-Infinity\"",
            "\"1e400\"",
            "\"1e9999999999\"",
            "\"12abc\"",
            "\"\"",
            "true",
            "1e400",
            "-1e400",
            "1e-400",
            "1" + "0".repeat(200),
            "\"" + "9".repeat(150) + "\"",
            "1e2147483647",
            "-1e2147483647",
            "1e-2147483647",
            "\"1e2147483647\"",
            "\"-1e-2147483647\""
        };
        String[] amounts = {
            "\"1e2147483647 WEI\"",
            "\"1e-2147483647 WEI\"",
            "\"1e9999999999 ETH\"",
            "\"-1e2147483647 gwei\"",
            "\"12 USD\"",
            "\"lots\"",
            "1e2147483647"
        };
        for (int i = 0; i < holders.size(); i++) {
            holders.get(i).put(fields.get(i), "__JUNK" + i + "__");
        }
        String text = json(e);
        for (int i = 0; i < holders.size(); i++) {
            // faceValue and winProb are required values: a number or a non-empty string
            // (family-create_new_payment.schema.json), so no boolean there.
            boolean amount = Set.of("faceValue", "price", "winProb").contains(fields.get(i));
            text = text.replace("\"__JUNK" + i + "__\"", amount ? pick(amounts) : pick(junk));
        }
        place(
                at,
                line(
                        text,
                        "redelivery with junk numbers",
                        List.of(
                                new Expect(
                                        Outcome.DUPLICATE, Set.of(), 0, e.path("id").asText()))));
    }

    private static void addIfObject(
            List<ObjectNode> holders, List<String> fields, JsonNode node, String... names) {
        if (node instanceof ObjectNode o) {
            for (String n : names) {
                if (o.has(n)) {
                    holders.add(o);
                    fields.add(n);
                }
            }
        }
    }

    /** How many elements a list of lines counts as, by outcome and reason set. */
    static Map<String, Long> tally(List<Line> lines) {
        Map<String, Long> out = new TreeMap<>();
        for (Line l : lines) {
            for (Expect e : l.expects()) {
                String key =
                        e.outcome() == Outcome.REJECTED
                                ? String.join("|", new java.util.TreeSet<>(e.reasons()))
                                : e.outcome().name();
                out.merge(key, 1L, Long::sum);
            }
        }
        return out;
    }

    static Set<String> allReasons(List<Line> lines) {
        Set<String> out = new LinkedHashSet<>();
        for (Line l : lines) {
            for (Expect e : l.expects()) {
                out.addAll(e.reasons());
            }
        }
        return out;
    }

    static String preview(byte[] bytes) {
        String s = new String(bytes, 0, Math.min(bytes.length, 120), StandardCharsets.UTF_8);
        return s + (bytes.length > 120 ? "... (" + bytes.length + " bytes)" : "");
    }
}
