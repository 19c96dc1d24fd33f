package org.livepeer.naap.workload;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every valid event matches the envelope and family shapes of EVENTS.md: the required envelope
 * fields of its shape, and the payload field names of its family.
 */
class EventShapesTest {
    private static final Pattern UUID =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    private static final Pattern EPOCH_MS = Pattern.compile("1[0-9]{12}");
    private static final Pattern RFC3339_NANOS =
            Pattern.compile(
                    "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?Z");
    private static final Pattern LOWER_ADDRESS = Pattern.compile("0x[0-9a-f]{40}");
    private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");
    private static final Set<String> STATES =
            Set.of("LOADING", "OFFLINE", "ONLINE", "DEGRADED_INPUT", "DEGRADED_INFERENCE", "ERROR");
    private static final Set<String> TRACE_SUBTYPES =
            Set.of(
                    "gateway_receive_stream_request",
                    "gateway_send_first_ingest_segment",
                    "gateway_receive_first_processed_segment",
                    "gateway_receive_few_processed_segments",
                    "gateway_ingest_stream_closed",
                    "gateway_no_orchestrators_available",
                    "orchestrator_swap",
                    "runner_receive_stream_request",
                    "runner_receive_first_ingest_segment",
                    "runner_send_first_processed_segment");

    @Test
    void everyEmbeddedEventHasItsEnvelopeAndFamilyShape() {
        checkAll(Generated.embedded());
    }

    @Test
    void everyMediumEventHasItsEnvelopeAndFamilyShape() {
        checkAll(Generated.medium());
    }

    @Test
    void everyFamilyAppearsAndEveryShapeCarriesSessionEvents() {
        Records r = Records.of(Generated.medium().lines);
        assertThat(r.families.keySet()).containsAll(Records.FAMILIES).contains("unknown_family");
        Map<String, Set<String>> shapesByFamily = new TreeMap<>();
        for (Records.Element e : r.distinct()) {
            shapesByFamily.computeIfAbsent(e.type(), k -> new HashSet<>()).add(e.shape());
        }
        for (String f :
                List.of(
                        "stream_trace",
                        "ai_stream_status",
                        "ai_stream_events",
                        "stream_ingest_metrics",
                        "create_new_payment",
                        "network_capabilities",
                        "discovery_results")) {
            assertThat(shapesByFamily.get(f))
                    .as(f)
                    .containsExactlyInAnyOrder("kafka_queue", "event_sink", "open_pool");
        }
        assertThat(r.wrapped).isPositive();
        assertThat(r.arrayRecords).isPositive();
    }

    @Test
    void addressesAreLowerCaseInTracesAndCanonicalInCapabilitiesAndPayments() {
        Generated g = Generated.medium();
        Set<String> canonical = new HashSet<>();
        for (JsonNode o : g.workload.path("network").path("orchestrators")) {
            canonical.add(o.get("address").asText());
            assertThat(o.get("address").asText())
                    .matches(ADDRESS)
                    .isNotEqualTo(o.get("address").asText().toLowerCase());
        }
        boolean sharedHotWallet = false;
        Set<String> wallets = new HashSet<>();
        for (JsonNode o : g.workload.path("network").path("orchestrators")) {
            sharedHotWallet |= !wallets.add(o.get("local_address").asText());
        }
        assertThat(sharedHotWallet).as("one hot wallet serves several orchestrators").isTrue();
        for (Records.Element e : Records.of(g.lines).distinct()) {
            JsonNode p = e.payload();
            switch (e.type()) {
                case "stream_trace":
                case "ai_stream_status":
                    String a = p.path("orchestrator_info").path("address").asText();
                    if (!a.isEmpty()) {
                        assertThat(a).matches(LOWER_ADDRESS);
                    }
                    break;
                case "create_new_payment":
                    assertThat(canonical).contains(p.get("recipient").asText());
                    break;
                default:
                    break;
            }
        }
    }

    private static void checkAll(Generated g) {
        Records r = Records.of(g.lines);
        assertThat(r.elements).isNotEmpty();
        for (Records.Element e : r.elements) {
            envelope(e);
            if (Records.FAMILIES.contains(e.type())) {
                family(e.type(), e.payload());
            } else {
                assertThat(e.payload().isObject()).as("unknown family data").isTrue();
            }
        }
    }

    private static void envelope(Records.Element e) {
        JsonNode n = e.node();
        String where = e.shape() + " " + n;
        switch (e.shape()) {
            case "kafka_queue":
                assertThat(n.get("id").asText()).as(where).matches(UUID);
                assertThat(n.get("type").asText()).isNotEmpty();
                assertThat(n.get("timestamp").isTextual()).as(where).isTrue();
                assertThat(n.get("timestamp").asText()).matches(EPOCH_MS);
                if (Records.FAMILIES.contains(e.type())) {
                    assertThat(n.get("gateway").isTextual()).as(where).isTrue();
                }
                assertThat(n.has("payload")).isFalse();
                break;
            case "event_sink":
                assertThat(n.get("id").asText()).as(where).matches(UUID);
                assertThat(n.get("type").asText()).isNotEmpty();
                assertThat(n.get("timestamp").asText()).as(where).matches(RFC3339_NANOS);
                assertThat(n.has("payload")).isTrue();
                assertThat(n.has("data")).isFalse();
                if (n.has("gateway")) {
                    assertThat(n.get("gateway").asText()).endsWith(".example");
                }
                break;
            case "open_pool":
                assertThat(e.inArray()).as("Open Pool elements come in arrays").isTrue();
                assertThat(n.get("ID").asText()).matches(UUID);
                assertThat(n.get("EventType").asText()).isNotEmpty();
                assertThat(n.get("Version").asInt()).isEqualTo(1);
                assertThat(n.has("Payload")).isTrue();
                assertThat(n.get("NodeType").asText()).isIn("gateway", "orchestrator");
                assertThat(n.get("Region").asText()).isNotEmpty();
                assertThat(n.get("DT").asText()).matches(RFC3339_NANOS);
                break;
            default:
                throw new AssertionError(e.shape());
        }
        if (e.wrapped()) {
            JsonNode meta = e.wrapper().get("metadata");
            assertThat(meta.get("timestamp").isNumber()).isTrue();
            assertThat(meta.get("sequenceNumber").canConvertToLong()).isTrue();
            assertThat(meta.get("publisherId").asText()).matches(ADDRESS);
            assertThat(meta.get("msgChainId").asText()).isNotEmpty();
            assertThat(e.shape()).isNotEqualTo("open_pool");
        }
    }

    private static void has(JsonNode n, String family, String... fields) {
        for (String f : fields) {
            assertThat(n.has(f)).as(family + " has " + f + ": " + n).isTrue();
        }
    }

    private static void orchestratorInfo(JsonNode n, String family) {
        has(n, family, "orchestrator_info");
        has(n.get("orchestrator_info"), family, "address", "url");
    }

    private static void family(String type, JsonNode p) {
        switch (type) {
            case "stream_trace":
                has(p, type, "type", "stream_id", "request_id", "pipeline_id");
                orchestratorInfo(p, type);
                assertThat(p.get("type").asText()).isIn(TRACE_SUBTYPES);
                assertThat(p.has("timestamp"))
                        .isEqualTo(!p.get("type").asText().equals("orchestrator_swap"));
                break;
            case "ai_stream_status":
                has(
                        p,
                        type,
                        "type",
                        "stream_id",
                        "request_id",
                        "pipeline",
                        "pipeline_id",
                        "state",
                        "start_time",
                        "timestamp",
                        "last_status_timestamp",
                        "last_state_update_time",
                        "inference_status",
                        "input_status");
                orchestratorInfo(p, type);
                assertThat(p.get("type").asText()).isEqualTo("status");
                assertThat(p.get("state").asText()).isIn(STATES);
                has(
                        p.get("inference_status"),
                        type,
                        "fps",
                        "last_error",
                        "last_error_time",
                        "last_output_time",
                        "last_params",
                        "last_params_hash",
                        "last_params_update_time",
                        "last_restart_logs",
                        "last_restart_time",
                        "restart_count");
                has(p.get("input_status"), type, "fps", "last_input_time");
                assertThat(p.get("pipeline").asText()).isNotEqualTo("live-video-to-video");
                break;
            case "ai_stream_events":
                has(
                        p,
                        type,
                        "type",
                        "stream_id",
                        "request_id",
                        "pipeline_id",
                        "pipeline",
                        "capability");
                switch (p.get("type").asText()) {
                    case "error":
                        has(p, type, "message");
                        break;
                    case "params_update":
                        has(p, type, "params");
                        orchestratorInfo(p, type);
                        break;
                    case "restart":
                        has(p, type, "restart_count", "restart_time", "restart_logs");
                        assertThat(p.get("restart_time").isNumber()).isTrue();
                        break;
                    default:
                        throw new AssertionError("event type " + p);
                }
                break;
            case "stream_ingest_metrics":
                has(p, type, "stream_id", "request_id", "pipeline_id", "timestamp", "stats");
                assertThat(p.has("orchestrator_info")).isFalse();
                JsonNode stats = p.get("stats");
                has(stats, type, "peer_conn_stats", "track_stats", "conn_quality");
                has(stats.get("peer_conn_stats"), type, "ID", "BytesReceived", "BytesSent");
                for (JsonNode t : stats.get("track_stats")) {
                    has(
                            t,
                            type,
                            "type",
                            "jitter",
                            "packets_lost",
                            "packets_received",
                            "packet_loss_pct",
                            "rtt",
                            "last_input_ts",
                            "last_output_ts",
                            "latency",
                            "warnings");
                    assertThat(t.get("type").asText()).isIn("video", "audio");
                }
                assertThat(stats.get("conn_quality").asText()).isIn("good", "bad");
                break;
            case "discovery_results":
                for (JsonNode d : p.isArray() ? p : List.of(p)) {
                    has(d, type, "address", "url", "latency_ms");
                    assertThat(d.get("latency_ms").isTextual()).isTrue();
                    assertThat(d.get("address").asText()).matches(LOWER_ADDRESS);
                }
                break;
            case "create_new_payment":
                has(
                        p,
                        type,
                        "sessionID",
                        "manifestID",
                        "requestID",
                        "sender",
                        "recipient",
                        "orchestrator",
                        "faceValue",
                        "winProb",
                        "price",
                        "numTickets",
                        "capability",
                        "clientIP");
                assertThat(p.get("faceValue").asText()).matches("[0-9]+ WEI|[0-9.]+ ETH");
                assertThat(p.get("price").asText()).matches("[0-9]+\\.[0-9]{3} wei/pixel");
                assertThat(p.get("sessionID").asText()).matches("[0-9a-f]{8}");
                break;
            case "create_signed_ticket":
                has(
                        p,
                        type,
                        "session_id",
                        "session_status",
                        "app",
                        "pipeline",
                        "request_id",
                        "orch_address",
                        "orch_url",
                        "manifest_id",
                        "pm_session_id",
                        "current_time",
                        "previous_time",
                        "current_time_unix",
                        "previous_time_unix",
                        "billable_secs",
                        "pixels",
                        "session_balance",
                        "computed_fee",
                        "cost",
                        "sequence_number",
                        "num_tickets",
                        "auth_id");
                break;
            case "network_capabilities":
                for (JsonNode o : p.isArray() ? p : List.of(p)) {
                    has(
                            o,
                            type,
                            "address",
                            "local_address",
                            "orch_uri",
                            "capabilities",
                            "capabilities_prices",
                            "hardware");
                    has(
                            o.get("capabilities"),
                            type,
                            "bitstring",
                            "capacities",
                            "version",
                            "constraints");
                    has(
                            o.get("capabilities").get("constraints"),
                            type,
                            "minVersion",
                            "PerCapability");
                    assertThat(o.get("address").asText()).matches(ADDRESS);
                    for (JsonNode h : o.get("hardware")) {
                        has(h, type, "pipeline", "model_id", "gpu_info");
                        JsonNode gpus = h.get("gpu_info");
                        for (JsonNode gpu : gpus) {
                            has(
                                    gpu,
                                    type,
                                    "id",
                                    "name",
                                    "major",
                                    "minor",
                                    "memory_free",
                                    "memory_total");
                        }
                    }
                    for (JsonNode price : o.get("capabilities_prices")) {
                        has(
                                price,
                                type,
                                "pricePerUnit",
                                "pixelsPerUnit",
                                "capability",
                                "constraint");
                    }
                }
                break;
            case "ai_batch_request":
                has(p, type, "type", "request_id", "pipeline", "model_id");
                if (p.get("type").asText().equals("ai_batch_request_completed")) {
                    has(
                            p,
                            type,
                            "success",
                            "tries",
                            "duration_ms",
                            "orch_url",
                            "latency_score",
                            "price_per_unit",
                            "error_type",
                            "error");
                } else {
                    assertThat(p.get("type").asText()).isEqualTo("ai_batch_request_received");
                }
                break;
            case "ai_llm_request":
                has(
                        p,
                        type,
                        "type",
                        "request_id",
                        "model",
                        "orch_url",
                        "prompt_tokens",
                        "completion_tokens",
                        "total_tokens",
                        "total_duration_ms",
                        "tokens_per_second",
                        "ttft_ms",
                        "finish_reason",
                        "error");
                assertThat(p.get("type").asText())
                        .isIn("llm_request_completed", "llm_stream_completed");
                break;
            case "job_gateway":
            case "job_orchestrator":
                has(
                        p,
                        type,
                        "request_id",
                        "capability",
                        "success",
                        "duration_ms",
                        "http_status",
                        "worker_url",
                        "orchestrator_info",
                        "worker_options");
                break;
            case "job_auth":
                has(p, type, "request_id", "capability", "success", "orchestrator_info");
                break;
            case "job_payment":
                has(p, type, "request_id", "capability", "amount", "currency");
                break;
            case "worker_lifecycle":
                has(p, type, "capability", "worker_url", "worker_options");
                break;
            case "node_trace":
                assertThat(p.isTextual()).isTrue();
                assertThat(p.asText())
                        .isIn(
                                "gateway-reset",
                                "orchestrator-reset",
                                "transcoder-reset",
                                "node-reset");
                break;
            case "worker-connected":
            case "worker-disconnected":
                has(p, type, "connection", "ethAddress");
                break;
            case "job-received":
                has(p, type, "ethAddress", "requestID", "pipeline", "modelID");
                break;
            case "job-processed":
                if (p.has("requestID")) {
                    has(
                            p,
                            type,
                            "requestID",
                            "pipeline",
                            "modelID",
                            "responseTime",
                            "computeUnits",
                            "pricePerComputeUnit",
                            "fees");
                } else {
                    has(
                            p,
                            type,
                            "computeUnits",
                            "duration",
                            "ethAddress",
                            "fees",
                            "pricePerComputeUnit",
                            "realTimeRatio",
                            "responseTime");
                }
                break;
            case "ticket-redeemed":
                has(
                        p,
                        type,
                        "recipient",
                        "faceValue",
                        "sender",
                        "winProb",
                        "pricePerPixel",
                        "creationRound",
                        "txHash");
                break;
            default:
                throw new AssertionError("unexpected family " + type);
        }
    }
}
