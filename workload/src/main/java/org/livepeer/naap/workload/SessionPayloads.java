package org.livepeer.naap.workload;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.livepeer.naap.workload.Network.Orchestrator;
import org.livepeer.naap.workload.SessionScript.Ingest;
import org.livepeer.naap.workload.SessionScript.Payment;
import org.livepeer.naap.workload.SessionScript.SignedTicket;
import org.livepeer.naap.workload.SessionScript.Status;
import org.livepeer.naap.workload.SessionScript.Step;
import org.livepeer.naap.workload.SessionScript.StreamEvent;
import org.livepeer.naap.workload.SessionScript.Trace;

/**
 * Renders a session's steps as the payloads a gateway publishes, field names and value styles as in
 * EVENTS.md and the captured samples (keys in the sorted order Go writes maps in). Runner-clock
 * fields get the orchestrator's runner clock offset here.
 */
final class SessionPayloads {
    private SessionPayloads() {}

    static Event render(SessionScript s, Step step) {
        if (step instanceof Trace t) {
            return trace(s, t);
        }
        if (step instanceof Status st) {
            return status(s, st);
        }
        if (step instanceof Ingest in) {
            return ingest(s, in);
        }
        if (step instanceof StreamEvent ev) {
            return streamEvent(s, ev);
        }
        if (step instanceof Payment p) {
            return payment(s, p);
        }
        if (step instanceof SignedTicket t) {
            return signedTicket(s, t);
        }
        throw new IllegalStateException("unknown step " + step);
    }

    static long runnerTime(Orchestrator o, long t) {
        return o == null ? t : t + o.clockOffsetMs;
    }

    static Long runnerTime(Orchestrator o, Long t) {
        return t == null ? null : runnerTime(o, t.longValue());
    }

    static ObjectNode orchestratorInfo(Orchestrator o) {
        ObjectNode n = Json.obj();
        n.put("address", o == null ? "" : o.hotWalletLower());
        n.put("url", o == null ? "" : o.uri);
        return n;
    }

    private static Event trace(SessionScript s, Trace t) {
        ObjectNode d = Json.obj();
        if (t.message != null) {
            d.put("message", t.message);
        }
        d.set("orchestrator_info", orchestratorInfo(t.orchestrator));
        d.put("pipeline_id", "");
        d.put("request_id", s.requestId);
        d.put("stream_id", s.streamId);
        Long ts = null;
        if (!SessionScript.SWAP.equals(t.subtype)) {
            ts = t.runnerClock ? runnerTime(t.orchestrator, t.at) : t.at;
            d.put("timestamp", ts);
        }
        d.put("type", t.subtype);
        return new Event(t.at, "stream_trace", d, s.gateway, ts, 0);
    }

    private static Event status(SessionScript s, Status st) {
        Orchestrator o = st.orchestrator;
        ObjectNode d = Json.obj();
        ObjectNode inf = d.putObject("inference_status");
        inf.put("fps", st.fps);
        inf.set("last_error", Json.orNull(st.lastError));
        inf.set("last_error_time", Json.orNull(runnerTime(o, st.lastErrorTime)));
        inf.set("last_output_time", Json.orNull(runnerTime(o, st.lastOutputTime)));
        inf.set("last_params", st.lastParams == null ? Json.F.nullNode() : st.lastParams);
        inf.put("last_params_hash", st.paramsHash == null ? "" : st.paramsHash);
        inf.set("last_params_update_time", Json.orNull(runnerTime(o, st.paramsUpdateTime)));
        inf.set(
                "last_restart_logs",
                st.lastRestartLogs == null ? Json.F.nullNode() : st.lastRestartLogs);
        inf.set("last_restart_time", Json.orNull(runnerTime(o, st.lastRestartTime)));
        inf.put("restart_count", st.restartCount);
        ObjectNode in = d.putObject("input_status");
        in.put("fps", st.inputFps);
        in.set("last_input_time", Json.orNull(runnerTime(o, st.lastInputTime)));
        d.set("last_state_update_time", Json.orNull(runnerTime(o, st.lastStateUpdateTime)));
        d.set("last_status_timestamp", Json.orNull(st.lastStatusTimestamp));
        d.set("orchestrator_info", orchestratorInfo(o));
        d.put("pipeline", s.model);
        d.put("pipeline_id", "");
        d.put("request_id", s.requestId);
        d.put("start_time", runnerTime(o, st.startTime));
        d.put("state", st.state);
        d.put("stream_id", s.streamId);
        d.put("timestamp", st.at);
        d.put("type", "status");
        return new Event(st.at, "ai_stream_status", d, s.gateway, st.at, Event.DROPPABLE);
    }

    private static Event ingest(SessionScript s, Ingest in) {
        ObjectNode d = Json.obj();
        d.put("pipeline_id", "");
        d.put("request_id", s.requestId);
        ObjectNode stats = d.putObject("stats");
        ObjectNode peer = stats.putObject("peer_conn_stats");
        peer.put("ID", "iceTransport");
        peer.put("BytesReceived", in.bytesReceived);
        peer.put("BytesSent", in.bytesSent);
        ArrayNode tracks = stats.putArray("track_stats");
        ObjectNode v = tracks.addObject();
        v.put("type", "video");
        v.put("jitter", in.jitterMs);
        v.put("packets_lost", in.packetsLost);
        v.put("packets_received", in.packetsReceived);
        v.put("packet_loss_pct", in.packetLossPct);
        v.put("rtt", in.rttNs);
        v.put("last_input_ts", in.lastInputTs);
        v.put("last_output_ts", in.lastOutputTs);
        v.put("latency", in.latencyS);
        v.putNull("warnings");
        ObjectNode a = tracks.addObject();
        a.put("type", "audio");
        a.put("jitter", in.audioJitterMs);
        a.put("packets_lost", 0);
        a.put("packets_received", in.audioPacketsReceived);
        a.put("packet_loss_pct", 0);
        a.put("rtt", in.rttNs);
        a.put("last_input_ts", in.lastInputTs);
        a.put("last_output_ts", in.lastOutputTs);
        a.put("latency", 0);
        a.putNull("warnings");
        stats.put("conn_quality", in.jitterMs > 50 || in.packetLossPct > 2 ? "bad" : "good");
        d.put("stream_id", s.streamId);
        d.put("timestamp", in.at);
        return new Event(
                in.at,
                "stream_ingest_metrics",
                d,
                s.gateway,
                in.at,
                Event.DROPPABLE | Event.LATEABLE);
    }

    private static Event streamEvent(SessionScript s, StreamEvent ev) {
        ObjectNode d = Json.obj();
        d.put("capability", "");
        if ("restart".equals(ev.type)) {
            d.putNull("message");
        } else if (ev.message != null) {
            d.put("message", ev.message);
        }
        if (ev.withOrchestratorInfo) {
            d.set("orchestrator_info", orchestratorInfo(ev.orchestrator));
        }
        if (ev.params != null) {
            d.set("params", ev.params);
        }
        d.put("pipeline", s.model);
        d.put("pipeline_id", "");
        d.put("request_id", s.requestId);
        if ("restart".equals(ev.type)) {
            d.put("restart_count", ev.restartCount);
            ArrayNode logs = d.putArray("restart_logs");
            ev.restartLogs.forEach(logs::add);
            d.set("restart_time", Json.seconds(runnerTime(ev.orchestrator, ev.at)));
        }
        d.put("stream_id", s.streamId);
        if ("error".equals(ev.type) && ev.runner) {
            d.set("time", Json.seconds(runnerTime(ev.orchestrator, ev.at)));
        }
        d.put("type", ev.type);
        return new Event(ev.at, "ai_stream_events", d, s.gateway, null, 0);
    }

    private static Event payment(SessionScript s, Payment p) {
        ObjectNode d = Json.obj();
        d.put("capability", "");
        d.put("clientIP", "");
        d.put("faceValue", p.faceValueWei + " WEI");
        d.put("manifestID", p.manifestId);
        d.put("numTickets", Integer.toString(p.numTickets));
        d.put("orchestrator", p.orchestrator.uri);
        d.put("price", p.price + " wei/pixel");
        d.put("recipient", p.orchestrator.address);
        d.put("requestID", p.requestId);
        d.put("sender", s.gateway.address);
        d.put("sessionID", p.paymentSessionId);
        d.put("winProb", p.winProb);
        return new Event(p.at, "create_new_payment", d, s.gateway, null, 0);
    }

    private static Event signedTicket(SessionScript s, SignedTicket t) {
        ObjectNode d = Json.obj();
        d.put("session_id", s.streamId);
        d.put("session_status", t.first ? "new" : "continuing");
        d.put("app", "daydream");
        d.put("pipeline", Network.LIVE_PIPELINE);
        d.put("request_id", s.requestId);
        d.put("orch_address", t.orchestrator.hotWalletLower());
        d.put("orch_url", t.orchestrator.uri);
        d.put("manifest_id", t.manifestId);
        d.put("pm_session_id", t.paymentSessionId);
        d.put("current_time", Ids.rfc3339(t.at, 0));
        d.put("previous_time", Ids.rfc3339(t.previousAt, 0));
        d.put("current_time_unix", t.at);
        d.put("previous_time_unix", t.previousAt);
        d.put("billable_secs", (t.at - t.previousAt) / 1000);
        d.put("pixels", Long.toString(t.pixels));
        d.put("session_balance", t.balance.toString());
        d.put("computed_fee", t.fee.toString());
        d.put("cost", t.fee.toString());
        d.put("sequence_number", t.sequence);
        d.put("num_tickets", 1);
        d.put("auth_id", t.authId);
        return new Event(t.at, "create_signed_ticket", d, s.gateway, null, 0);
    }
}
