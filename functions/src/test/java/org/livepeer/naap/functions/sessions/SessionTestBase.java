package org.livepeer.naap.functions.sessions;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.livepeer.naap.schemas.SessionIds;
import org.livepeer.naap.schemas.TelemetryEvent;
import org.livepeer.naap.schemas.output.SessionFact;

/** Named times, a session's events and the harness plumbing shared by the session tests. */
abstract class SessionTestBase {
    /** 2026-01-15T13:30:00Z, a time in the range of the real samples. */
    static final long T0 = 1_768_483_800_000L;

    static final long SECOND = 1_000L;
    static final long MINUTE = 60 * SECOND;

    /**
     * The defaults (60 s idle timeout, 10 s updates and status cadence, 30 s swap window) but no
     * close grace, so a session ends as soon as the watermark passes its close trace; the grace
     * itself has its own tests with {@link SessionConfig#defaults()}.
     */
    static final SessionConfig CONFIG = SessionConfig.defaults().withCloseGrace(Duration.ZERO);

    static final long IDLE = CONFIG.idleTimeout().toMillis();
    static final long RETAIN = CONFIG.retainAfterEnd().toMillis();

    static final String STREAM = "stream-a";
    static final String REQUEST = "req-1";
    static final String SESSION = STREAM + "|" + REQUEST;
    static final String GATEWAY = "gw-1.example";

    static final String ORCH_A_URL = "https://orch-a.example:8935";
    static final String ORCH_A_ADDRESS = "0xAaAa000000000000000000000000000000000001";
    static final String ORCH_B_URL = "https://orch-b.example:8935";
    static final String ORCH_C_URL = "https://orch-c.example:8935";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static int nextId;

    KeyedOneInputStreamOperatorTestHarness<String, TelemetryEvent, SessionFact> tracker(
            SessionConfig config) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, TelemetryEvent, SessionFact> h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new SessionTracker(config)),
                        SessionKeys::routingKey,
                        Types.STRING);
        h.open();
        return h;
    }

    static void send(
            KeyedOneInputStreamOperatorTestHarness<String, TelemetryEvent, ?> h,
            TelemetryEvent... events)
            throws Exception {
        for (TelemetryEvent e : events) {
            h.processElement(new StreamRecord<>(e, e.eventTime));
        }
    }

    static List<SessionFact> facts(
            KeyedOneInputStreamOperatorTestHarness<String, TelemetryEvent, SessionFact> h,
            String status) {
        return h.extractOutputValues().stream()
                .filter(f -> f.status.equals(status))
                .collect(Collectors.toList());
    }

    static List<SessionFact> finals(
            KeyedOneInputStreamOperatorTestHarness<String, TelemetryEvent, SessionFact> h) {
        return facts(h, SessionFact.STATUS_FINAL);
    }

    // ---- events of the session STREAM|REQUEST

    static TelemetryEvent event(String family, String subtype, long time, ObjectNode payload) {
        return event(family, subtype, time, payload, STREAM, REQUEST);
    }

    static TelemetryEvent event(
            String family,
            String subtype,
            long time,
            ObjectNode payload,
            String streamId,
            String requestId) {
        TelemetryEvent e = new TelemetryEvent();
        e.eventId = "ev-" + (nextId++);
        e.type = family;
        e.family = family;
        e.subtype = subtype;
        e.shape = "kafka_queue";
        e.eventTime = time;
        e.envelopeTime = time;
        e.envelopeTimestamp = Long.toString(time);
        e.eventTimeSource = "data";
        e.gateway = GATEWAY;
        e.streamId = streamId;
        e.requestId = requestId;
        if (streamId != null || requestId != null) {
            e.sessionId = SessionIds.of(streamId, requestId, e.eventId);
        }
        e.payload = payload.toString();
        e.raw = e.payload;
        e.source = "raw";
        e.topic = "naap.events.raw";
        e.index = -1;
        return e;
    }

    static ObjectNode ids(String type) {
        ObjectNode d = JSON.createObjectNode();
        d.put("type", type);
        d.put("stream_id", STREAM);
        d.put("request_id", REQUEST);
        return d;
    }

    static void orchestrator(ObjectNode d, String url, String address) {
        ObjectNode o = d.putObject("orchestrator_info");
        o.put("url", url == null ? "" : url);
        o.put("address", address == null ? "" : address);
    }

    /** A gateway trace with its own timestamp equal to the event time. */
    static TelemetryEvent trace(String subtype, long time) {
        ObjectNode d = ids(subtype);
        d.put("timestamp", time);
        orchestrator(d, null, null);
        return event("stream_trace", subtype, time, d);
    }

    static TelemetryEvent trace(String subtype, long time, String orchestratorUrl) {
        ObjectNode d = ids(subtype);
        d.put("timestamp", time);
        orchestrator(d, orchestratorUrl, null);
        return event("stream_trace", subtype, time, d);
    }

    /** {@code orchestrator_swap} carries no timestamp: the envelope time stands. */
    static TelemetryEvent swap(long time, String newOrchestratorUrl) {
        ObjectNode d = ids("orchestrator_swap");
        orchestrator(d, newOrchestratorUrl, null);
        d.put("message", "swapping orchestrator");
        return event("stream_trace", "orchestrator_swap", time, d);
    }

    static TelemetryEvent request(long time) {
        return trace("gateway_receive_stream_request", time);
    }

    static TelemetryEvent close(long time) {
        return trace("gateway_ingest_stream_closed", time);
    }

    static TelemetryEvent error(long time, String message) {
        ObjectNode d = ids("error");
        d.put("message", message);
        d.put("pipeline", "streamdiffusion-sdxl");
        return event("ai_stream_events", "error", time, d);
    }

    /** A status sample; chain the {@link Status} setters, then {@link Status#event()}. */
    static Status status(long time, String state, double fps) {
        return new Status(time, state, fps);
    }

    static final class Status {
        final ObjectNode d;
        final ObjectNode inference;
        final long time;

        Status(long time, String state, double fps) {
            this.time = time;
            d = ids("status");
            d.put("pipeline", "streamdiffusion-sdxl");
            d.put("state", state);
            d.put("timestamp", time);
            inference = d.putObject("inference_status");
            inference.put("fps", fps);
            SessionTestBase.orchestrator(d, ORCH_A_URL, ORCH_A_ADDRESS);
        }

        Status orchestrator(String url) {
            SessionTestBase.orchestrator(d, url, null);
            return this;
        }

        Status inputFps(double fps) {
            d.putObject("input_status").put("fps", fps);
            return this;
        }

        Status params(String hash, long updateTime, long lastOutputTime) {
            inference.put("last_params_hash", hash);
            inference.put("last_params_update_time", updateTime);
            inference.put("last_output_time", lastOutputTime);
            return this;
        }

        Status restartCount(long count) {
            inference.put("restart_count", count);
            return this;
        }

        Status lastError(String message) {
            inference.put("last_error", message);
            return this;
        }

        TelemetryEvent event() {
            return SessionTestBase.event("ai_stream_status", "status", time, d);
        }
    }

    /** An ingest sample with one video track (and an audio track that must be ignored). */
    static TelemetryEvent ingest(
            long time,
            long bytesReceived,
            long bytesSent,
            double jitterMs,
            double lossPct,
            double latencyS) {
        ObjectNode d = JSON.createObjectNode();
        d.put("stream_id", STREAM);
        d.put("request_id", REQUEST);
        d.put("timestamp", time);
        ObjectNode stats = d.putObject("stats");
        ObjectNode peer = stats.putObject("peer_conn_stats");
        peer.put("ID", "pc-1");
        peer.put("BytesReceived", bytesReceived);
        peer.put("BytesSent", bytesSent);
        ObjectNode video = stats.putArray("track_stats").addObject();
        video.put("type", "video");
        video.put("jitter", jitterMs);
        video.put("packet_loss_pct", lossPct);
        video.put("latency", latencyS);
        ObjectNode audio =
                ((com.fasterxml.jackson.databind.node.ArrayNode) stats.get("track_stats"))
                        .addObject();
        audio.put("type", "audio");
        audio.put("jitter", 999.0);
        audio.put("packet_loss_pct", 50.0);
        return event("stream_ingest_metrics", null, time, d);
    }

    /**
     * A {@code create_new_payment} as the gateway sends it: no stream id, request id only on the
     * first payment of a payment session.
     */
    static TelemetryEvent payment(
            long time,
            String paymentSession,
            String requestId,
            String manifest,
            String faceValue,
            String winProb,
            String orchestratorUrl) {
        ObjectNode d = JSON.createObjectNode();
        d.put("sessionID", paymentSession);
        d.put("manifestID", manifest);
        d.put("requestID", requestId == null ? "" : requestId);
        d.put("sender", "0xgateway");
        d.put("recipient", ORCH_A_ADDRESS);
        d.put("orchestrator", orchestratorUrl);
        d.put("faceValue", faceValue);
        d.put("winProb", winProb);
        d.put("price", "1635.021 wei/pixel");
        d.put("numTickets", "1");
        TelemetryEvent e = event("create_new_payment", null, time, d, null, null);
        e.requestId = requestId == null || requestId.isEmpty() ? null : requestId;
        return e;
    }
}
