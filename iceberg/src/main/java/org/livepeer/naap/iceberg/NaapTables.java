package org.livepeer.naap.iceberg;

import static org.apache.iceberg.types.Types.NestedField.optional;
import static org.apache.iceberg.types.Types.NestedField.required;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.UpdateProperties;
import org.apache.iceberg.UpdateSchema;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.livepeer.naap.schemas.output.JobRow;
import org.livepeer.naap.schemas.output.PaymentRow;
import org.livepeer.naap.schemas.output.WeiDecimal;

/**
 * The archive tables, in one place: namespace {@code naap}, and for each table its schema,
 * partition spec and properties (see {@link TableDefinition}).
 *
 * <p>Column rule: a column backed by a Java primitive in the record type is required; every other
 * column is optional. A null in a required column fails the Parquet writer and with it the job, so
 * the archive takes whatever the parser produced rather than insisting on what it should produce.
 *
 * <p>To add a table: define its schema and spec here with {@link #define}, add it to {@link #ALL},
 * give it a column mapping (see {@link ArchiveRows}) and a sink binding (see {@link IcebergSinks}).
 * To add a column to a table: append it to the schema with the next free field id, raise the
 * table's version, and map it; {@link #ensureTables} adds it to existing tables.
 */
public final class NaapTables {

    public static final Namespace NAMESPACE = Namespace.of("naap");

    /** The table property that records which definition version last shaped the table. */
    public static final String VERSION_PROPERTY = "naap.definition-version";

    /**
     * Properties every table is created with. Format version 2 because Trino 476, the newest Trino
     * served here, does not read v3. Old metadata files are deleted after commits because the sinks
     * commit on every checkpoint, which would otherwise leave one metadata file per checkpoint
     * forever.
     */
    public static final Map<String, String> COMMON_PROPERTIES =
            Map.of(
                    TableProperties.FORMAT_VERSION, "2",
                    TableProperties.DEFAULT_FILE_FORMAT, "parquet",
                    TableProperties.PARQUET_COMPRESSION, "zstd",
                    TableProperties.METADATA_DELETE_AFTER_COMMIT_ENABLED, "true",
                    TableProperties.METADATA_PREVIOUS_VERSIONS_MAX, "100");

    private static final Type TIMESTAMPTZ = Types.TimestampType.withZone();
    private static final Type STRING = Types.StringType.get();
    private static final Type LONG = Types.LongType.get();
    private static final Type INT = Types.IntegerType.get();
    private static final Type BOOLEAN = Types.BooleanType.get();
    private static final Type DOUBLE = Types.DoubleType.get();

    /** Wei amounts: see {@link WeiDecimal} for why these bounds. */
    private static final Type WEI = Types.DecimalType.of(WeiDecimal.PRECISION, WeiDecimal.SCALE);

    /**
     * {@code naap.raw_events}: every accepted event (after deduplication), immutable; the source
     * that {@code ReplayJob} re-derives everything from. Partitioned by event day, then family: the
     * replay reads a time range, and most analyses read one family.
     */
    public static final TableDefinition RAW_EVENTS =
            define(
                    "raw_events",
                    1,
                    "Every accepted NaaP telemetry event, as parsed, with a pointer to its input"
                            + " record",
                    new Schema(
                            optional(1, "event_id", STRING, "Envelope id (Open Pool: ID)"),
                            optional(2, "type", STRING, "Envelope type exactly as sent"),
                            optional(
                                    3,
                                    "family",
                                    STRING,
                                    "Event family wire name; unknown_family for unknown types"),
                            optional(
                                    4,
                                    "subtype",
                                    STRING,
                                    "The family's own subtype (data.type, node_trace payload)"),
                            optional(
                                    5,
                                    "shape",
                                    STRING,
                                    "Envelope shape: kafka_queue, event_sink or open_pool"),
                            required(
                                    6,
                                    "streamr_wrapped",
                                    BOOLEAN,
                                    "True when the event came inside a Streamr wrapper"),
                            required(
                                    7,
                                    "event_time",
                                    TIMESTAMPTZ,
                                    "Event time: the payload's own time where sane, else the"
                                            + " envelope's; clamped to ingest time when too far"
                                            + " ahead"),
                            optional(
                                    8,
                                    "event_time_source",
                                    STRING,
                                    "Where event_time came from: data, envelope or ingest"),
                            required(
                                    9,
                                    "time_clamped",
                                    BOOLEAN,
                                    "True when the claimed time was too far past ingest time and"
                                            + " was clamped"),
                            required(
                                    10,
                                    "envelope_time",
                                    TIMESTAMPTZ,
                                    "Envelope timestamp, normalized"),
                            optional(
                                    11,
                                    "envelope_timestamp",
                                    STRING,
                                    "Envelope timestamp, original text"),
                            optional(
                                    12,
                                    "data_time",
                                    TIMESTAMPTZ,
                                    "Payload timestamp, normalized; null when absent"),
                            optional(
                                    13,
                                    "data_timestamp",
                                    STRING,
                                    "Payload timestamp, original text; null when absent"),
                            optional(
                                    14,
                                    "gateway",
                                    STRING,
                                    "Envelope gateway host; null when empty"),
                            optional(
                                    15,
                                    "publisher_id",
                                    STRING,
                                    "Streamr signer address, when wrapped"),
                            optional(
                                    16,
                                    "streamr_timestamp",
                                    TIMESTAMPTZ,
                                    "Streamr message timestamp, when wrapped"),
                            optional(
                                    17,
                                    "streamr_sequence_number",
                                    LONG,
                                    "Streamr message sequence number, when wrapped"),
                            optional(
                                    18,
                                    "streamr_msg_chain_id",
                                    STRING,
                                    "Streamr message chain id, when wrapped"),
                            optional(
                                    19,
                                    "session_id",
                                    STRING,
                                    "Session id for session-bearing families (METRICS.md)"),
                            optional(20, "stream_id", STRING, "Stream id part of the session"),
                            optional(21, "request_id", STRING, "Request id part of the session"),
                            optional(
                                    22,
                                    "node_ids",
                                    Types.ListType.ofOptional(31, STRING),
                                    "Nodes the event names, as kind:id, addresses lower-cased,"
                                            + " sorted"),
                            optional(23, "payload", STRING, "The family payload as JSON text"),
                            optional(
                                    24,
                                    "raw",
                                    STRING,
                                    "The whole event, without a Streamr wrapper, as JSON text"),
                            optional(25, "source", STRING, "Input label, e.g. raw for the bridge"),
                            optional(
                                    26,
                                    "source_topic",
                                    STRING,
                                    "Kafka topic (or file) of the input record"),
                            required(
                                    27,
                                    "source_partition",
                                    INT,
                                    "Kafka partition of the input record"),
                            required(
                                    28,
                                    "source_offset",
                                    LONG,
                                    "Kafka offset (or line) of the input record"),
                            required(
                                    29,
                                    "array_index",
                                    INT,
                                    "Position of the event inside a JSON array record"),
                            required(
                                    30,
                                    "ingest_time",
                                    TIMESTAMPTZ,
                                    "Kafka record timestamp, or file read time")),
                    spec -> spec.day("event_time").identity("family"),
                    Map.of());

    /**
     * {@code naap.rejected_events}: every input the parser or validator refused, with its original
     * bytes. Partitioned by ingest day only. Queries group by reason over time, but rejections are
     * few next to accepted events, and their reason strings carry field names ({@code
     * missing_field:<name>}), so identity(reason) would cut each day into many tiny files for no
     * pruning gain: a day of rejections is small enough to scan, and Parquet min/max statistics on
     * reason still skip files. Ingest time, not event time, because a rejected record may have no
     * usable event time at all.
     */
    public static final TableDefinition REJECTED_EVENTS =
            define(
                    "rejected_events",
                    1,
                    "Every input record (or array element) that was not accepted, with its reason"
                            + " and original bytes",
                    new Schema(
                            optional(
                                    1,
                                    "reason",
                                    STRING,
                                    "Reason class, e.g. malformed_json, missing_field:<name>"),
                            optional(2, "detail", STRING, "Human-readable detail"),
                            optional(3, "stage", STRING, "Stage that refused it: parse, validate"),
                            optional(4, "source", STRING, "Input label, e.g. raw for the bridge"),
                            optional(
                                    5,
                                    "source_topic",
                                    STRING,
                                    "Kafka topic (or file) of the input record"),
                            required(
                                    6,
                                    "source_partition",
                                    INT,
                                    "Kafka partition of the input record"),
                            required(
                                    7,
                                    "source_offset",
                                    LONG,
                                    "Kafka offset (or line) of the input record"),
                            required(
                                    8,
                                    "array_index",
                                    INT,
                                    "Position inside a JSON array record; -1 when not an array"),
                            optional(
                                    9, "event_id", STRING, "Event id, when parsing got far enough"),
                            optional(10, "type", STRING, "Event type, when parsing got far enough"),
                            required(
                                    11,
                                    "ingest_time",
                                    TIMESTAMPTZ,
                                    "Kafka record timestamp, or file read time"),
                            required(
                                    12,
                                    "raw_size",
                                    INT,
                                    "Full length of the input in bytes (raw may be cut)"),
                            optional(
                                    13,
                                    "raw_text",
                                    STRING,
                                    "The original bytes decoded as UTF-8 (invalid sequences become"
                                            + " U+FFFD)"),
                            optional(
                                    14,
                                    "raw",
                                    Types.BinaryType.get(),
                                    "The original bytes, cut at the parser's max record size")),
                    spec -> spec.day("ingest_time"),
                    Map.of());

    /**
     * {@code naap.sessions}: one row per stream session, its final fact (live updates go only to
     * the live output). Partitioned by the day of its final fact: always set, unlike {@code
     * started_at} (a session that was never requested has none).
     */
    public static final TableDefinition SESSIONS =
            define(
                    "sessions",
                    2,
                    "One row per stream session: lifecycle, startup outcome, end reason, swaps and"
                            + " every per-session measure of METRICS.md",
                    new Schema(
                            optional(
                                    1,
                                    "session_id",
                                    STRING,
                                    "Session id: stream_id|request_id, with _missing_* fallbacks"),
                            optional(2, "stream_id", STRING, "Stream id"),
                            optional(3, "request_id", STRING, "Request id"),
                            optional(
                                    4,
                                    "pipeline",
                                    STRING,
                                    "Canonical pipeline, e.g. live-video-to-video"),
                            optional(5, "model", STRING, "Model id, e.g. streamdiffusion-sdxl"),
                            optional(6, "gateway", STRING, "Gateway host that served the session"),
                            optional(
                                    7,
                                    "orchestrator_address",
                                    STRING,
                                    "Orchestrator address the first segment's traces carry (lower"
                                            + " case; often its hot wallet)"),
                            optional(
                                    8,
                                    "orchestrator_url",
                                    STRING,
                                    "Orchestrator service URI of the first segment"),
                            optional(
                                    9,
                                    "payment_session_id",
                                    STRING,
                                    "Payment sessionID the session's payments carried"),
                            optional(
                                    10,
                                    "manifest_id",
                                    STRING,
                                    "Orchestrator session manifest (trickle) id from later payments"),
                            optional(
                                    11,
                                    "started_at",
                                    TIMESTAMPTZ,
                                    "The gateway_receive_stream_request time (else the first event)"),
                            optional(
                                    12,
                                    "ended_at",
                                    TIMESTAMPTZ,
                                    "The close time, or the last event time; null when still open"),
                            optional(
                                    13,
                                    "last_event_at",
                                    TIMESTAMPTZ,
                                    "Time of the session's last event"),
                            required(
                                    14,
                                    "requested",
                                    BOOLEAN,
                                    "A gateway_receive_stream_request was seen (counts in rate denominators)"),
                            optional(
                                    15,
                                    "startup_outcome",
                                    STRING,
                                    "success, excused or unexcused; null when not requested"),
                            optional(
                                    16,
                                    "excuse_reason",
                                    STRING,
                                    "no_orchestrators or excusable_error when excused"),
                            optional(
                                    17,
                                    "end_reason",
                                    STRING,
                                    "closed, timed_out, orchestrator_lost or open"),
                            required(18, "segments", INT, "Stretches served by one orchestrator"),
                            required(19, "confirmed_swaps", INT, "orchestrator_swap traces"),
                            required(
                                    20,
                                    "inferred_swaps",
                                    INT,
                                    "Orchestrator changes with no swap trace near them"),
                            required(21, "swapped", BOOLEAN, "Either swap count above zero"),
                            required(
                                    22,
                                    "loading_only",
                                    BOOLEAN,
                                    "Status samples exist and none is ONLINE or DEGRADED_*"),
                            required(
                                    23,
                                    "zero_output_fps",
                                    BOOLEAN,
                                    "Status samples exist and none has output fps above 0"),
                            required(
                                    24,
                                    "output_failed",
                                    BOOLEAN,
                                    "loading_only or zero_output_fps"),
                            required(
                                    25,
                                    "effective_failed",
                                    BOOLEAN,
                                    "Unexcused startup, output_failed or orchestrator_lost"),
                            optional(
                                    26,
                                    "startup_ms",
                                    LONG,
                                    "First processed segment minus stream request (gateway clock)"),
                            optional(
                                    27,
                                    "ptff_ms",
                                    LONG,
                                    "Prompt to first frame: playable minus stream request (gateway clock)"),
                            optional(
                                    28,
                                    "e2e_latency_ms",
                                    LONG,
                                    "First processed segment minus first ingest segment sent (gateway clock)"),
                            optional(
                                    29,
                                    "e2e_pts_latency_ms",
                                    DOUBLE,
                                    "Mean non-zero video track latency, in ms (WHIP ingest only)"),
                            optional(
                                    30,
                                    "runner_startup_ms",
                                    LONG,
                                    "Runner first processed minus first ingest (runner clock)"),
                            required(
                                    31,
                                    "prompt_updates",
                                    INT,
                                    "Prompt changes seen (status last_params_hash changes)"),
                            optional(
                                    32,
                                    "prompt_update_ms_p50",
                                    LONG,
                                    "Median time from a prompt change to the next output (runner clock)"),
                            optional(
                                    33,
                                    "prompt_update_ms_max",
                                    LONG,
                                    "Longest time from a prompt change to the next output"),
                            optional(
                                    34,
                                    "output_fps_mean",
                                    DOUBLE,
                                    "Mean inference fps from the first non-zero sample on"),
                            optional(
                                    35,
                                    "output_fps_p5",
                                    DOUBLE,
                                    "5th percentile of output fps (sketch, 1% relative error)"),
                            optional(
                                    36,
                                    "output_fps_p50",
                                    DOUBLE,
                                    "Median output fps (sketch, 1% relative error)"),
                            optional(37, "input_fps", DOUBLE, "Mean input fps"),
                            optional(
                                    38,
                                    "realtime_ratio",
                                    DOUBLE,
                                    "Output fps over input fps, capped at 1"),
                            optional(
                                    39,
                                    "jitter_coefficient",
                                    DOUBLE,
                                    "Coefficient of variation of the output frame interval; null under 3 samples"),
                            optional(
                                    40,
                                    "network_jitter_ms_mean",
                                    DOUBLE,
                                    "Mean video track jitter (ms)"),
                            optional(
                                    41,
                                    "network_jitter_ms_p95",
                                    DOUBLE,
                                    "95th percentile video track jitter (ms)"),
                            optional(42, "packet_loss_pct", DOUBLE, "Mean video packet loss (%)"),
                            optional(
                                    43,
                                    "upload_bps_mean",
                                    DOUBLE,
                                    "Mean ingest rate, bits/s (BytesReceived)"),
                            optional(
                                    44,
                                    "upload_bps_peak",
                                    DOUBLE,
                                    "Peak ingest rate between samples, bits/s"),
                            optional(
                                    45,
                                    "download_bps_mean",
                                    DOUBLE,
                                    "Mean egress rate, bits/s (BytesSent)"),
                            optional(
                                    46,
                                    "download_bps_peak",
                                    DOUBLE,
                                    "Peak egress rate between samples, bits/s"),
                            optional(
                                    47,
                                    "online_s",
                                    DOUBLE,
                                    "Seconds in ONLINE (gaps capped at 3 status cadences)"),
                            required(48, "status_samples", INT, "Status samples received"),
                            optional(
                                    49,
                                    "status_samples_expected",
                                    INT,
                                    "Status samples expected from the span at the 10 s cadence"),
                            optional(
                                    50,
                                    "health_coverage",
                                    DOUBLE,
                                    "Received over expected status samples, capped at 1"),
                            optional(51, "restarts", INT, "Growth of the runner's restart_count"),
                            required(52, "errors", INT, "ai_stream_events errors"),
                            required(
                                    53,
                                    "excusable_errors",
                                    INT,
                                    "Errors matching the excusable list"),
                            required(
                                    54,
                                    "payments",
                                    INT,
                                    "create_new_payment events joined to the session"),
                            optional(
                                    55,
                                    "payments_wei",
                                    STRING,
                                    "Expected payment value (face value x win probability) in wei, decimal text"),
                            required(
                                    56,
                                    "emitted_at",
                                    TIMESTAMPTZ,
                                    "Event time at which the final fact was emitted"),
                            required(
                                    57,
                                    "version",
                                    INT,
                                    "Facts emitted for the session before this one"),
                            optional(
                                    58,
                                    "canonical_orchestrator_address",
                                    STRING,
                                    "The first segment's orchestrator's canonical address (lower"
                                            + " case), from its capability snapshot; null when not"
                                            + " attributed"),
                            optional(
                                    59,
                                    "gpu_id",
                                    STRING,
                                    "GPU that served the model, when the orchestrator's hardware"
                                            + " names exactly one"),
                            optional(60, "gpu_name", STRING, "That GPU's name"),
                            optional(
                                    61,
                                    "attribution",
                                    STRING,
                                    "resolved, hardware_less, stale, ambiguous or unresolved")),
                    spec -> spec.day("emitted_at"),
                    Map.of());

    /**
     * {@code naap.node_status}: every liveness transition of every node, once. Partitioned by day:
     * the table is small (a few rows per node per day) and is read by time range.
     */
    public static final TableDefinition NODE_STATUS =
            define(
                    "node_status",
                    1,
                    "Every liveness transition of every node (UP, DOWN_ABRUPT, DOWN_GRACEFUL,"
                            + " RECOVERED, RESTARTED), once",
                    new Schema(
                            optional(1, "node_id", STRING, "kind:id, addresses lower-cased"),
                            optional(2, "node_kind", STRING, "orchestrator, gateway or worker"),
                            optional(
                                    3,
                                    "transition",
                                    STRING,
                                    "UP, DOWN_ABRUPT, DOWN_GRACEFUL, RECOVERED or RESTARTED"),
                            required(
                                    4,
                                    "at",
                                    TIMESTAMPTZ,
                                    "When it happened: the causing event, or the timeout's expiry"),
                            optional(
                                    5,
                                    "last_seen",
                                    TIMESTAMPTZ,
                                    "The node's last event before the transition"),
                            optional(
                                    6,
                                    "timeout_ms",
                                    LONG,
                                    "Silence allowed before DOWN_ABRUPT, learned from the node's"
                                            + " cadence"),
                            optional(
                                    7,
                                    "active_sessions",
                                    Types.ListType.ofOptional(9, STRING),
                                    "Sessions active on the node when it fell silent (DOWN_ABRUPT)"),
                            optional(8, "reason", STRING, "The signal or rule that caused it")),
                    spec -> spec.day("at"),
                    Map.of());

    /**
     * {@code naap.alerts}: every alert record, FIRING and RESOLVED, once. Partitioned by day of
     * {@code at}: small, read by time range, then rule or entity.
     */
    public static final TableDefinition ALERTS =
            define(
                    "alerts",
                    1,
                    "Alert records: one FIRING when a rule's condition has held for its duration,"
                            + " one RESOLVED when it clears (METRICS.md, Alerts)",
                    new Schema(
                            optional(
                                    1,
                                    "alert_id",
                                    STRING,
                                    "Stable per firing: FIRING and RESOLVED of one firing share it"),
                            optional(2, "rule", STRING, "The rule, e.g. NodeDownAbrupt"),
                            optional(3, "severity", STRING, "critical, warning or info"),
                            optional(
                                    4,
                                    "entity",
                                    STRING,
                                    "A node id, a metric key (orchestrator:0x.. model=.. gpu=..,"
                                            + " network model=..) or intake"),
                            optional(5, "value", DOUBLE, "The measured value that decided"),
                            optional(6, "threshold", DOUBLE, "The rule's threshold"),
                            optional(
                                    7,
                                    "window_start",
                                    TIMESTAMPTZ,
                                    "Start of the evaluated window"),
                            optional(8, "window_end", TIMESTAMPTZ, "End of the evaluated window"),
                            optional(9, "state", STRING, "FIRING or RESOLVED"),
                            optional(
                                    10,
                                    "evidence",
                                    STRING,
                                    "JSON object: the counts, sessions or times behind the value"),
                            required(11, "at", TIMESTAMPTZ, "When the state was entered")),
                    spec -> spec.day("at"),
                    Map.of());

    /**
     * {@code naap.capabilities}: every {@code network_capabilities} entry fanned out into one row
     * per orchestrator x capability x model x GPU (what each orchestrator offers, at what price, on
     * which hardware, as each gateway saw it). Partitioned by day: read by time range, then
     * orchestrator.
     */
    public static final TableDefinition CAPABILITIES =
            define(
                    "capabilities",
                    1,
                    "Capability snapshots: one row per orchestrator x capability x model x GPU of"
                            + " every network_capabilities entry",
                    new Schema(
                            required(1, "snapshot_time", TIMESTAMPTZ, "Event time of the snapshot"),
                            optional(2, "event_id", STRING, "Envelope id of the snapshot event"),
                            optional(3, "gateway", STRING, "Gateway host that relayed it"),
                            optional(
                                    4,
                                    "orchestrator_address",
                                    STRING,
                                    "Canonical orchestrator address (lower case)"),
                            optional(5, "hot_wallet", STRING, "local_address (lower case)"),
                            optional(6, "orch_uri", STRING, "Orchestrator service URI"),
                            optional(7, "version", STRING, "Orchestrator software version"),
                            optional(8, "min_version", STRING, "constraints.minVersion"),
                            optional(9, "capability", STRING, "Capability id as sent"),
                            optional(
                                    10,
                                    "pipeline",
                                    STRING,
                                    "Pipeline of the hardware entry the GPU comes from"),
                            optional(
                                    11,
                                    "model",
                                    STRING,
                                    "Model; null for a capability without" + " models"),
                            optional(12, "warm", BOOLEAN, "Model loaded"),
                            optional(
                                    13,
                                    "capacity",
                                    LONG,
                                    "The model's slots (repeated on each GPU row of the model)"),
                            optional(14, "capacity_in_use", LONG, "Slots in use"),
                            optional(15, "runner_version", STRING, "AI runner version"),
                            optional(
                                    16,
                                    "price_per_unit",
                                    STRING,
                                    "Price per unit in wei, decimal text"),
                            optional(17, "pixels_per_unit", LONG, "Pixels one unit buys"),
                            optional(18, "gpu_key", STRING, "gpu_info key (not unique)"),
                            optional(19, "gpu_id", STRING, "GPU id"),
                            optional(20, "gpu_name", STRING, "GPU name"),
                            optional(21, "gpu_major", LONG, "CUDA compute capability, major"),
                            optional(22, "gpu_minor", LONG, "CUDA compute capability, minor"),
                            optional(23, "gpu_memory_total", LONG, "GPU memory, bytes"),
                            optional(24, "gpu_memory_free", LONG, "Free GPU memory, bytes"),
                            optional(
                                    25,
                                    "gpu_count",
                                    INT,
                                    "GPUs the hardware lists for the model (null: unknown)"),
                            optional(
                                    26,
                                    "capability_capacity",
                                    LONG,
                                    "capacities[capability]: slots of the capability as a whole")),
                    spec -> spec.day("snapshot_time"),
                    Map.of());

    /**
     * {@code naap.payments}: every {@code create_new_payment}, once, with its money in wei and its
     * expected value (see {@link PaymentRow}). Partitioned by event day: earnings are read by time
     * range, and a day of payments is small enough for one partition.
     */
    public static final TableDefinition PAYMENTS =
            define(
                    "payments",
                    1,
                    "Every create_new_payment (a gateway's ticket batch to an orchestrator), once,"
                            + " with its face value, price and expected value in wei",
                    new Schema(
                            optional(1, "event_id", STRING, "Envelope id of the payment event"),
                            required(
                                    2,
                                    "event_time",
                                    TIMESTAMPTZ,
                                    "Event time (the envelope's: payments carry no time of their"
                                            + " own)"),
                            optional(
                                    3, "gateway", STRING, "Envelope gateway host; null when empty"),
                            optional(
                                    4,
                                    "payment_session_id",
                                    STRING,
                                    "sessionID: the gateway's payment session with the"
                                            + " orchestrator"),
                            optional(
                                    5,
                                    "manifest_id",
                                    STRING,
                                    "manifestID: for live AI the capability id and the model"
                                            + " (35_streamdiffusion-sdxl), else the orchestrator"
                                            + " session's manifest id"),
                            optional(
                                    6,
                                    "request_id",
                                    STRING,
                                    "requestID; null when empty (live-AI payments after the"
                                            + " first)"),
                            optional(
                                    7,
                                    "sender",
                                    STRING,
                                    "sender: the gateway's Ethereum address, lower case"),
                            optional(
                                    8,
                                    "recipient",
                                    STRING,
                                    "recipient: the orchestrator's Ethereum address, lower case"),
                            optional(
                                    9,
                                    "orchestrator_url",
                                    STRING,
                                    "orchestrator: the orchestrator's service URL"),
                            optional(
                                    10,
                                    "capability",
                                    STRING,
                                    "capability as sent; null when empty"),
                            optional(
                                    11,
                                    "model",
                                    STRING,
                                    "Live-AI model: the part of manifestID after its first _"
                                            + " when the part before it is a capability id"
                                            + " (digits); else null"),
                            optional(
                                    12,
                                    "face_value_text",
                                    STRING,
                                    "faceValue exactly as sent, e.g. 2402400000000000 WEI or"
                                            + " 0.0034 ETH"),
                            optional(
                                    13,
                                    "face_value_wei",
                                    WEI,
                                    "Face value in wei (WEI, gwei and ETH converted); null when"
                                            + " not a known amount"),
                            optional(
                                    14,
                                    "win_prob",
                                    DOUBLE,
                                    "winProb: the probability that a ticket wins"),
                            optional(
                                    15,
                                    "expected_value_wei",
                                    WEI,
                                    "face_value_wei x win_prob, in wei; null when either is null"),
                            optional(
                                    16,
                                    "price_text",
                                    STRING,
                                    "price exactly as sent, e.g. 1635.021 wei/pixel"),
                            optional(
                                    17,
                                    "price_wei_per_unit",
                                    WEI,
                                    "Price in wei per unit of price_unit (per pixel for"
                                            + " wei/pixel)"),
                            optional(
                                    18,
                                    "price_unit",
                                    STRING,
                                    "Unit of the price as sent, e.g. wei/pixel; null for a bare"
                                            + " number"),
                            optional(
                                    19,
                                    "num_tickets",
                                    LONG,
                                    "numTickets: the tickets in the batch")),
                    spec -> spec.day("event_time"),
                    Map.of());

    /**
     * {@code naap.jobs}: every report of a finished batch AI, LLM, bring-your-own-container or
     * orchestrator-processed job, once, in one shape (see {@link JobRow}). Partitioned by event
     * day, then kind: analyses read a time range of one kind of job, and transcoding segments
     * outnumber the others by far.
     */
    public static final TableDefinition JOBS =
            define(
                    "jobs",
                    1,
                    "Every report of a finished batch AI, LLM, bring-your-own-container or"
                            + " orchestrator-processed job, once, with its duration, success and"
                            + " real-time ratio",
                    new Schema(
                            optional(1, "event_id", STRING, "Envelope id of the event"),
                            required(2, "event_time", TIMESTAMPTZ, "Event time"),
                            optional(3, "family", STRING, "Event family wire name"),
                            optional(
                                    4,
                                    "kind",
                                    STRING,
                                    "batch_ai, llm, byoc, transcode or batch_ai_orchestrator"),
                            optional(
                                    5,
                                    "stage",
                                    STRING,
                                    "Which report: the event's subtype (ai_batch_request_completed,"
                                            + " llm_request_completed, llm_stream_completed) or"
                                            + " family (job_gateway, job_orchestrator,"
                                            + " job-processed)"),
                            optional(
                                    6,
                                    "request_id",
                                    STRING,
                                    "The job's request id; null for transcoding"),
                            optional(
                                    7, "gateway", STRING, "Envelope gateway host; null when empty"),
                            optional(
                                    8,
                                    "orchestrator_url",
                                    STRING,
                                    "Orchestrator service URL (orch_url, orchestrator_info.url)"),
                            optional(
                                    9,
                                    "orchestrator_address",
                                    STRING,
                                    "Orchestrator address, lower case (orchestrator_info.address,"
                                            + " ethAddress)"),
                            optional(
                                    10,
                                    "pipeline",
                                    STRING,
                                    "Pipeline: the batch pipeline, llm, or a container's"
                                            + " capability; null for transcoding"),
                            optional(11, "model", STRING, "Model id"),
                            optional(
                                    12,
                                    "success",
                                    BOOLEAN,
                                    "Whether the job succeeded: as sent; LLM: error empty;"
                                            + " job-processed: true (sent for finished work only)"),
                            optional(
                                    13,
                                    "duration_ms",
                                    DOUBLE,
                                    "How long the job took, ms; job-processed: responseTime (ns"
                                            + " for batch AI, converted), not the segment length"),
                            optional(
                                    14,
                                    "realtime_ratio",
                                    DOUBLE,
                                    "Transcoding: realTimeRatio as sent (segment length over"
                                            + " processing time); null for other kinds"),
                            optional(
                                    15,
                                    "fees_wei",
                                    WEI,
                                    "Fees in wei: job-processed fees, a container job's amount;"
                                            + " else null"),
                            optional(
                                    16,
                                    "compute_units",
                                    LONG,
                                    "Compute units charged (pixels for transcoding);"
                                            + " job-processed only"),
                            optional(17, "tokens", LONG, "LLM total_tokens"),
                            optional(18, "ttft_ms", DOUBLE, "LLM time to first token, ms"),
                            optional(19, "tokens_per_second", DOUBLE, "LLM tokens per second"),
                            optional(
                                    20,
                                    "error",
                                    STRING,
                                    "The error reported: batch AI error (else error_type), LLM"
                                            + " error; null when none")),
                    spec -> spec.day("event_time").identity("kind"),
                    Map.of());

    /**
     * The columns of {@code naap.metrics_1m} and {@code naap.metrics_1h} (METRICS.md, "Windowed
     * metrics"): the key, the revision, the figures and their additive support fields.
     */
    private static Schema metricsSchema() {
        return new Schema(
                optional(1, "resolution", STRING, "1m or 1h"),
                required(2, "window_start", TIMESTAMPTZ, "Window start (event time, inclusive)"),
                required(3, "window_end", TIMESTAMPTZ, "Window end (exclusive)"),
                optional(
                        4,
                        "aggregation_level",
                        STRING,
                        "orchestrator (orchestrator x pipeline x model x GPU) or network (roll-up per pipeline and model)"),
                optional(
                        5,
                        "orchestrator_address",
                        STRING,
                        "Canonical orchestrator address (lower case); null in the network roll-up"),
                optional(6, "pipeline", STRING, "Pipeline"),
                optional(7, "model", STRING, "Model"),
                optional(
                        8,
                        "gpu_id",
                        STRING,
                        "GPU id; null when the hardware does not say which, and in the roll-up"),
                optional(9, "gpu_name", STRING, "GPU name"),
                required(
                        10,
                        "revision",
                        INT,
                        "0 for the window's first row, then 1, 2... as sessions requested in it end later; the latest revision is the row"),
                required(
                        11,
                        "emitted_at",
                        TIMESTAMPTZ,
                        "Event time of the timer that emitted this revision"),
                required(
                        12,
                        "requested",
                        LONG,
                        "Sessions requested in the window (gateway_receive_stream_request)"),
                required(13, "startup_success", LONG, "Of them, started (playable)"),
                required(14, "excused", LONG, "Of them, excused startup failures"),
                required(15, "unexcused", LONG, "Of them, unexcused startup failures"),
                required(
                        16,
                        "no_orchestrator",
                        LONG,
                        "Of them, excused for no orchestrators available"),
                required(17, "swapped", LONG, "Of them, swapped (confirmed or inferred)"),
                required(
                        18,
                        "output_failed",
                        LONG,
                        "Of them, output failed (loading only or zero fps)"),
                required(
                        19,
                        "effective_failed",
                        LONG,
                        "Of them, effectively failed (unexcused, output failed or orchestrator lost)"),
                required(
                        20,
                        "orchestrator_lost",
                        LONG,
                        "Of them, ended because their orchestrator went down"),
                optional(
                        21,
                        "startup_success_rate",
                        DOUBLE,
                        "startup_success / requested; null when none requested"),
                optional(
                        22,
                        "failure_rate",
                        DOUBLE,
                        "effective_failed / requested; target below 0.01"),
                optional(23, "swap_rate", DOUBLE, "swapped / requested"),
                optional(
                        24,
                        "ptff_ms_p50",
                        DOUBLE,
                        "Prompt to first frame, p50 over the sessions (sketch, 1 % relative error)"),
                optional(25, "ptff_ms_p95", DOUBLE, "Prompt to first frame, p95"),
                optional(26, "ptff_ms_p99", DOUBLE, "Prompt to first frame, p99"),
                optional(27, "startup_ms_p50", DOUBLE, "Startup time, p50"),
                optional(28, "startup_ms_p95", DOUBLE, "Startup time, p95"),
                optional(29, "startup_ms_p99", DOUBLE, "Startup time, p99"),
                optional(30, "e2e_latency_ms_p50", DOUBLE, "End-to-end latency, p50"),
                optional(31, "e2e_latency_ms_p95", DOUBLE, "End-to-end latency, p95"),
                optional(32, "e2e_latency_ms_p99", DOUBLE, "End-to-end latency, p99"),
                optional(
                        33,
                        "e2e_latency_ms_mean",
                        DOUBLE,
                        "End-to-end latency, mean; target at most 3000 ms"),
                optional(
                        34,
                        "prompt_update_ms_p50",
                        DOUBLE,
                        "Prompt update latency, p50 over the sessions' own p50s"),
                optional(
                        35,
                        "prompt_update_ms_p95",
                        DOUBLE,
                        "Prompt update latency, p95 over the sessions' own p50s"),
                optional(
                        36,
                        "prompt_update_ms_p99",
                        DOUBLE,
                        "Prompt update latency, p99 over the sessions' own p50s"),
                optional(
                        37,
                        "ptff_sketch",
                        Types.BinaryType.get(),
                        "Support: DDSketch of the sessions' PTFF (mergeable)"),
                optional(
                        38,
                        "startup_sketch",
                        Types.BinaryType.get(),
                        "Support: DDSketch of startup times"),
                optional(
                        39,
                        "e2e_sketch",
                        Types.BinaryType.get(),
                        "Support: DDSketch of e2e latencies"),
                optional(
                        40,
                        "prompt_update_sketch",
                        Types.BinaryType.get(),
                        "Support: DDSketch of prompt update p50s"),
                required(41, "e2e_sum", DOUBLE, "Support: sum of e2e latencies"),
                required(42, "e2e_count", LONG, "Support: sessions with an e2e latency"),
                required(
                        43,
                        "fps_count",
                        LONG,
                        "Support: status samples counting toward output fps"),
                required(44, "fps_sum", DOUBLE, "Support: sum of their output fps"),
                optional(
                        45,
                        "fps_sketch",
                        Types.BinaryType.get(),
                        "Support: DDSketch of their output fps"),
                required(
                        46,
                        "interval_count",
                        LONG,
                        "Support: output frame intervals (1/fps of ONLINE samples above 0)"),
                required(47, "interval_sum", DOUBLE, "Support: their sum"),
                required(48, "interval_sum_squares", DOUBLE, "Support: the sum of their squares"),
                optional(
                        49,
                        "output_fps_mean",
                        DOUBLE,
                        "Output fps, mean over the window's samples"),
                optional(50, "output_fps_p5", DOUBLE, "Output fps, p5"),
                optional(51, "output_fps_p50", DOUBLE, "Output fps, p50"),
                optional(
                        52,
                        "jitter_coefficient",
                        DOUBLE,
                        "Coefficient of variation of all frame intervals in the window; null under 3; target at most 0.1"),
                required(
                        53,
                        "status_received",
                        LONG,
                        "Support: status samples received by the sessions requested in the window"),
                required(
                        54,
                        "status_expected",
                        LONG,
                        "Support: status samples expected of them (span at the 10 s cadence)"),
                optional(
                        55,
                        "health_coverage",
                        DOUBLE,
                        "status_received / status_expected, capped at 1"),
                optional(
                        56,
                        "sla",
                        DOUBLE,
                        "SLA score 0 to 100 (hourly orchestrator rows; null when nothing requested)"),
                optional(
                        57,
                        "sla_reliability",
                        DOUBLE,
                        "The score's reliability component (0 to 1)"),
                optional(58, "sla_quality", DOUBLE, "The score's quality component (0 to 1)"),
                optional(
                        59,
                        "fps_degraded",
                        BOOLEAN,
                        "Output fps mean 20 % or more below the previous hour's for the same key (hourly rows)"),
                required(
                        60,
                        "offered_seconds",
                        DOUBLE,
                        "Support: slot-seconds offered (advertised capacity held until the next snapshot, at most 2 min)"),
                required(
                        61,
                        "busy_seconds",
                        DOUBLE,
                        "Support: slot-seconds busy (sessions' ONLINE time)"),
                required(
                        62,
                        "useful_seconds",
                        DOUBLE,
                        "Support: useful slot-seconds (ONLINE time x real-time ratio)"),
                optional(63, "gpu_utilization", DOUBLE, "busy / offered, in [0, 1]"),
                optional(64, "gpu_efficiency", DOUBLE, "useful / busy, in [0, 1]"),
                optional(
                        65,
                        "cue",
                        DOUBLE,
                        "CUDA utilization efficiency: utilization x efficiency (useful / offered), in [0, 1]"),
                required(
                        66,
                        "earned_wei",
                        DOUBLE,
                        "Support: expected value (wei) of the payments made in the window"),
                optional(67, "earnings_wei_per_hour", DOUBLE, "earned_wei per busy (ONLINE) hour"),
                optional(
                        68,
                        "active_sessions_mean",
                        DOUBLE,
                        "Sessions online on average over the window: busy_seconds / window seconds"),
                required(
                        69,
                        "upload_bits",
                        LONG,
                        "Support: bits the users uploaded (ingest samples in the window)"),
                required(70, "download_bits", LONG, "Support: bits sent back to the users"),
                required(71, "ingest_ms", LONG, "Support: the ingest intervals they cover, ms"),
                optional(
                        72,
                        "upload_bps_mean",
                        DOUBLE,
                        "Upload rate, mean over the ingest intervals"),
                optional(73, "upload_bps_peak", DOUBLE, "Upload rate, peak interval"),
                optional(
                        74,
                        "download_bps_mean",
                        DOUBLE,
                        "Download rate, mean over the ingest intervals"),
                optional(75, "download_bps_peak", DOUBLE, "Download rate, peak interval"),
                optional(
                        76,
                        "active_sessions_max",
                        LONG,
                        "The most sessions with a status sample in any one minute of the window"));
    }

    /** {@code naap.metrics_1m}: one-minute windows, partitioned by day. */
    public static final TableDefinition METRICS_1M =
            define(
                    "metrics_1m",
                    7,
                    "One-minute windowed metrics per orchestrator x pipeline x model x GPU, and the"
                            + " network roll-up; the latest revision of a window is the row",
                    metricsSchema(),
                    spec -> spec.day("window_start"),
                    Map.of());

    /** {@code naap.metrics_1h}: one-hour windows, partitioned by day. */
    public static final TableDefinition METRICS_1H =
            define(
                    "metrics_1h",
                    7,
                    "One-hour windowed metrics per orchestrator x pipeline x model x GPU, and the"
                            + " network roll-up; the latest revision of a window is the row",
                    metricsSchema(),
                    spec -> spec.day("window_start"),
                    Map.of());

    /** Every table this code version defines. */
    public static final List<TableDefinition> ALL =
            List.of(
                    RAW_EVENTS,
                    REJECTED_EVENTS,
                    SESSIONS,
                    NODE_STATUS,
                    ALERTS,
                    CAPABILITIES,
                    PAYMENTS,
                    JOBS,
                    METRICS_1M,
                    METRICS_1H);

    private NaapTables() {}

    /** Ensures every table of {@link #ALL}; see {@link #ensureTable}. */
    public static void ensureTables(Catalog catalog) {
        for (TableDefinition definition : ALL) {
            ensureTable(catalog, definition);
        }
    }

    /**
     * Ensures every table of {@link #ALL} in the catalog the settings describe, and closes the
     * catalog again.
     */
    public static void ensureTables(CatalogSettings settings) {
        settings.withCatalog(
                catalog -> {
                    ensureTables(catalog);
                    return null;
                });
    }

    /**
     * Creates the namespace and the table when missing; brings an existing table up to the
     * definition without ever dropping anything: missing columns are added (optional, in definition
     * order), docs are updated, required columns the definition now calls optional are relaxed, and
     * missing properties are set. Properties already on the table are kept, so an operator's tuning
     * survives; the partition spec of an existing table is left as it is. A table that a newer
     * definition version already shaped is left alone, so a rolled-back job does not undo docs.
     * Safe to call from many jobs at once: a concurrent creation is tolerated. Does not commit when
     * nothing changes.
     *
     * @return the table, loaded after any change
     * @throws IllegalStateException when the existing table cannot be evolved to the definition,
     *     for example a column of the same name with an incompatible type
     */
    public static Table ensureTable(Catalog catalog, TableDefinition definition) {
        ensureNamespace(catalog);
        TableIdentifier id = definition.identifier();
        Table table = loadOrCreate(catalog, definition);
        if (storedVersion(table.properties()) > definition.version()) {
            return table;
        }
        boolean changed = evolveSchema(table, definition);
        changed |= updateProperties(table, definition);
        return changed ? catalog.loadTable(id) : table;
    }

    /**
     * Defines a table with {@link #COMMON_PROPERTIES}, the doc as {@code comment}, and the version.
     */
    static TableDefinition define(
            String name,
            int version,
            String doc,
            Schema schema,
            UnaryOperator<PartitionSpec.Builder> partitioning,
            Map<String, String> extraProperties) {
        Map<String, String> properties = new HashMap<>(COMMON_PROPERTIES);
        properties.putAll(extraProperties);
        properties.put(TableProperties.COMMENT, doc);
        properties.put(VERSION_PROPERTY, Integer.toString(version));
        PartitionSpec spec = partitioning.apply(PartitionSpec.builderFor(schema)).build();
        return new TableDefinition(name, version, schema, spec, properties);
    }

    private static void ensureNamespace(Catalog catalog) {
        if (catalog instanceof SupportsNamespaces namespaces
                && !namespaces.namespaceExists(NAMESPACE)) {
            try {
                namespaces.createNamespace(NAMESPACE);
            } catch (AlreadyExistsException createdConcurrently) {
                // another job created it between the check and the create: that is the goal
            }
        }
    }

    private static Table loadOrCreate(Catalog catalog, TableDefinition definition) {
        TableIdentifier id = definition.identifier();
        try {
            return catalog.loadTable(id);
        } catch (NoSuchTableException missing) {
            try {
                return catalog.buildTable(id, definition.schema())
                        .withPartitionSpec(definition.spec())
                        .withProperties(definition.properties())
                        .create();
            } catch (AlreadyExistsException createdConcurrently) {
                return catalog.loadTable(id);
            }
        }
    }

    private static boolean evolveSchema(Table table, TableDefinition definition) {
        try {
            UpdateSchema update = table.updateSchema().unionByNameWith(definition.schema());
            if (update.apply().sameSchema(table.schema())) {
                return false;
            }
            update.commit();
            return true;
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new IllegalStateException(
                    "Table "
                            + definition.identifier()
                            + " cannot be brought to definition version "
                            + definition.version()
                            + ": "
                            + e.getMessage()
                            + ". Columns are only ever added or relaxed here; a type change"
                            + " needs a new column, or a migration of the table by hand.",
                    e);
        }
    }

    private static boolean updateProperties(Table table, TableDefinition definition) {
        Map<String, String> current = table.properties();
        UpdateProperties update = table.updateProperties();
        boolean changed = false;
        for (Map.Entry<String, String> wanted : definition.properties().entrySet()) {
            String key = wanted.getKey();
            // Reserved properties (format-version) only shape a new table: setting one on an
            // existing table would upgrade or refuse, never what ensureTables is for.
            if (TableProperties.RESERVED_PROPERTIES.contains(key) || key.equals(VERSION_PROPERTY)) {
                continue;
            }
            boolean definitionOwned = key.equals(TableProperties.COMMENT);
            if (!current.containsKey(key)
                    || (definitionOwned && !wanted.getValue().equals(current.get(key)))) {
                update.set(key, wanted.getValue());
                changed = true;
            }
        }
        if (storedVersion(current) < definition.version()) {
            update.set(VERSION_PROPERTY, Integer.toString(definition.version()));
            changed = true;
        }
        if (changed) {
            update.commit();
        }
        return changed;
    }

    private static int storedVersion(Map<String, String> properties) {
        String value = properties.get(VERSION_PROPERTY);
        if (value == null) {
            return 0;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
