package org.livepeer.naap.iceberg;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.livepeer.naap.schemas.Rejection;
import org.livepeer.naap.schemas.TelemetryEvent;
import org.livepeer.naap.schemas.output.Alert;
import org.livepeer.naap.schemas.output.CapabilityRow;
import org.livepeer.naap.schemas.output.JobRow;
import org.livepeer.naap.schemas.output.MetricsRow;
import org.livepeer.naap.schemas.output.NodeTransition;
import org.livepeer.naap.schemas.output.PaymentRow;
import org.livepeer.naap.schemas.output.SessionFact;

/**
 * How each archive table's columns are read from the record type that flows into its sink, by
 * column name. {@link RowDataMapper} checks these against the table schema, and a test checks that
 * every column of every definition is filled.
 */
public final class ArchiveRows {

    /** {@link NaapTables#RAW_EVENTS} from {@link TelemetryEvent}. */
    public static final Map<String, ColumnValue<TelemetryEvent>> RAW_EVENTS = rawEvents();

    /** {@link NaapTables#REJECTED_EVENTS} from {@link Rejection}. */
    public static final Map<String, ColumnValue<Rejection>> REJECTED_EVENTS = rejectedEvents();

    /** {@link NaapTables#SESSIONS} from the final {@link SessionFact}s. */
    public static final Map<String, ColumnValue<SessionFact>> SESSIONS = sessions();

    /** {@link NaapTables#NODE_STATUS} from {@link NodeTransition}. */
    public static final Map<String, ColumnValue<NodeTransition>> NODE_STATUS = nodeStatus();

    /** {@link NaapTables#ALERTS} from {@link Alert}. */
    public static final Map<String, ColumnValue<Alert>> ALERTS = alerts();

    /** {@link NaapTables#METRICS_1M} and {@link NaapTables#METRICS_1H} from {@link MetricsRow}. */
    public static final Map<String, ColumnValue<MetricsRow>> METRICS = metrics();

    /** {@link NaapTables#CAPABILITIES} from {@link CapabilityRow}. */
    public static final Map<String, ColumnValue<CapabilityRow>> CAPABILITIES = capabilities();

    private static Map<String, ColumnValue<MetricsRow>> metrics() {
        Map<String, ColumnValue<MetricsRow>> c = new LinkedHashMap<>();
        c.put("resolution", r -> r.resolution);
        c.put("window_start", r -> r.windowStart);
        c.put("window_end", r -> r.windowEnd);
        c.put("aggregation_level", r -> r.scope);
        c.put("orchestrator_address", r -> r.orchestratorAddress);
        c.put("pipeline", r -> r.pipeline);
        c.put("model", r -> r.model);
        c.put("gpu_id", r -> r.gpuId);
        c.put("gpu_name", r -> r.gpuName);
        c.put("revision", r -> r.revision);
        c.put("emitted_at", r -> r.emittedAt);
        c.put("requested", r -> r.requested);
        c.put("startup_success", r -> r.startupSuccess);
        c.put("excused", r -> r.excused);
        c.put("unexcused", r -> r.unexcused);
        c.put("no_orchestrator", r -> r.noOrchestrator);
        c.put("swapped", r -> r.swapped);
        c.put("output_failed", r -> r.outputFailed);
        c.put("effective_failed", r -> r.effectiveFailed);
        c.put("orchestrator_lost", r -> r.orchestratorLost);
        c.put("startup_success_rate", r -> r.startupSuccessRate);
        c.put("failure_rate", r -> r.failureRate);
        c.put("swap_rate", r -> r.swapRate);
        c.put("ptff_ms_p50", r -> r.ptffMsP50);
        c.put("ptff_ms_p95", r -> r.ptffMsP95);
        c.put("ptff_ms_p99", r -> r.ptffMsP99);
        c.put("startup_ms_p50", r -> r.startupMsP50);
        c.put("startup_ms_p95", r -> r.startupMsP95);
        c.put("startup_ms_p99", r -> r.startupMsP99);
        c.put("e2e_latency_ms_p50", r -> r.e2eLatencyMsP50);
        c.put("e2e_latency_ms_p95", r -> r.e2eLatencyMsP95);
        c.put("e2e_latency_ms_p99", r -> r.e2eLatencyMsP99);
        c.put("e2e_latency_ms_mean", r -> r.e2eLatencyMsMean);
        c.put("prompt_update_ms_p50", r -> r.promptUpdateMsP50);
        c.put("prompt_update_ms_p95", r -> r.promptUpdateMsP95);
        c.put("prompt_update_ms_p99", r -> r.promptUpdateMsP99);
        c.put("ptff_sketch", r -> r.ptffSketch);
        c.put("startup_sketch", r -> r.startupSketch);
        c.put("e2e_sketch", r -> r.e2eSketch);
        c.put("prompt_update_sketch", r -> r.promptUpdateSketch);
        c.put("e2e_sum", r -> r.e2eSum);
        c.put("e2e_count", r -> r.e2eCount);
        c.put("fps_count", r -> r.fpsCount);
        c.put("fps_sum", r -> r.fpsSum);
        c.put("fps_sketch", r -> r.fpsSketch);
        c.put("interval_count", r -> r.intervalCount);
        c.put("interval_sum", r -> r.intervalSum);
        c.put("interval_sum_squares", r -> r.intervalSumSquares);
        c.put("output_fps_mean", r -> r.outputFpsMean);
        c.put("output_fps_p5", r -> r.outputFpsP5);
        c.put("output_fps_p50", r -> r.outputFpsP50);
        c.put("jitter_coefficient", r -> r.jitterCoefficient);
        c.put("status_received", r -> r.statusReceived);
        c.put("status_expected", r -> r.statusExpected);
        c.put("health_coverage", r -> r.healthCoverage);
        c.put("sla", r -> r.sla);
        c.put("sla_reliability", r -> r.slaReliability);
        c.put("sla_quality", r -> r.slaQuality);
        c.put("fps_degraded", r -> r.fpsDegraded);
        c.put("offered_seconds", r -> r.offeredSeconds);
        c.put("busy_seconds", r -> r.busySeconds);
        c.put("useful_seconds", r -> r.usefulSeconds);
        c.put("gpu_utilization", r -> r.gpuUtilization);
        c.put("gpu_efficiency", r -> r.gpuEfficiency);
        c.put("cue", r -> r.cue);
        c.put("earned_wei", r -> r.earnedWei);
        c.put("earnings_wei_per_hour", r -> r.earningsWeiPerHour);
        c.put("active_sessions_mean", r -> r.activeSessionsMean);
        c.put("upload_bits", r -> r.uploadBits);
        c.put("download_bits", r -> r.downloadBits);
        c.put("ingest_ms", r -> r.ingestMs);
        c.put("upload_bps_mean", r -> r.uploadBpsMean);
        c.put("upload_bps_peak", r -> r.uploadBpsPeak);
        c.put("download_bps_mean", r -> r.downloadBpsMean);
        c.put("download_bps_peak", r -> r.downloadBpsPeak);
        c.put("active_sessions_max", r -> r.activeSessionsMax);
        return Collections.unmodifiableMap(c);
    }

    private static Map<String, ColumnValue<CapabilityRow>> capabilities() {
        Map<String, ColumnValue<CapabilityRow>> c = new LinkedHashMap<>();
        c.put("snapshot_time", r -> r.snapshotTime);
        c.put("event_id", r -> r.eventId);
        c.put("gateway", r -> r.gateway);
        c.put("orchestrator_address", r -> r.orchestratorAddress);
        c.put("hot_wallet", r -> r.hotWallet);
        c.put("orch_uri", r -> r.orchUri);
        c.put("version", r -> r.version);
        c.put("min_version", r -> r.minVersion);
        c.put("capability", r -> r.capability);
        c.put("pipeline", r -> r.pipeline);
        c.put("model", r -> r.model);
        c.put("warm", r -> r.warm);
        c.put("capacity", r -> r.capacity);
        c.put("capacity_in_use", r -> r.capacityInUse);
        c.put("runner_version", r -> r.runnerVersion);
        c.put(
                "price_per_unit",
                r -> r.pricePerUnit == null ? null : r.pricePerUnit.toPlainString());
        c.put("pixels_per_unit", r -> r.pixelsPerUnit);
        c.put("gpu_key", r -> r.gpuKey);
        c.put("gpu_id", r -> r.gpuId);
        c.put("gpu_name", r -> r.gpuName);
        c.put("gpu_major", r -> r.gpuMajor);
        c.put("gpu_minor", r -> r.gpuMinor);
        c.put("gpu_memory_total", r -> r.gpuMemoryTotal);
        c.put("gpu_memory_free", r -> r.gpuMemoryFree);
        c.put("gpu_count", r -> r.gpuCount);
        c.put("capability_capacity", r -> r.capabilityCapacity);
        return Collections.unmodifiableMap(c);
    }

    /** {@link NaapTables#PAYMENTS} from {@link PaymentRow}. */
    public static final Map<String, ColumnValue<PaymentRow>> PAYMENTS = payments();

    /** {@link NaapTables#JOBS} from {@link JobRow}. */
    public static final Map<String, ColumnValue<JobRow>> JOBS = jobs();

    private ArchiveRows() {}

    private static Map<String, ColumnValue<PaymentRow>> payments() {
        Map<String, ColumnValue<PaymentRow>> c = new LinkedHashMap<>();
        c.put("event_id", p -> p.eventId);
        c.put("event_time", p -> p.eventTime);
        c.put("gateway", p -> p.gateway);
        c.put("payment_session_id", p -> p.paymentSessionId);
        c.put("manifest_id", p -> p.manifestId);
        c.put("request_id", p -> p.requestId);
        c.put("sender", p -> p.sender);
        c.put("recipient", p -> p.recipient);
        c.put("orchestrator_url", p -> p.orchestratorUrl);
        c.put("capability", p -> p.capability);
        c.put("model", p -> p.model);
        c.put("face_value_text", p -> p.faceValueText);
        c.put("face_value_wei", p -> p.faceValueWei);
        c.put("win_prob", p -> p.winProb);
        c.put("expected_value_wei", p -> p.expectedValueWei);
        c.put("price_text", p -> p.priceText);
        c.put("price_wei_per_unit", p -> p.priceWeiPerUnit);
        c.put("price_unit", p -> p.priceUnit);
        c.put("num_tickets", p -> p.numTickets);
        return Collections.unmodifiableMap(c);
    }

    private static Map<String, ColumnValue<JobRow>> jobs() {
        Map<String, ColumnValue<JobRow>> c = new LinkedHashMap<>();
        c.put("event_id", j -> j.eventId);
        c.put("event_time", j -> j.eventTime);
        c.put("family", j -> j.family);
        c.put("kind", j -> j.kind);
        c.put("stage", j -> j.stage);
        c.put("request_id", j -> j.requestId);
        c.put("gateway", j -> j.gateway);
        c.put("orchestrator_url", j -> j.orchestratorUrl);
        c.put("orchestrator_address", j -> j.orchestratorAddress);
        c.put("pipeline", j -> j.pipeline);
        c.put("model", j -> j.model);
        c.put("success", j -> j.success);
        c.put("duration_ms", j -> j.durationMs);
        c.put("realtime_ratio", j -> j.realtimeRatio);
        c.put("fees_wei", j -> j.feesWei);
        c.put("compute_units", j -> j.computeUnits);
        c.put("tokens", j -> j.tokens);
        c.put("ttft_ms", j -> j.ttftMs);
        c.put("tokens_per_second", j -> j.tokensPerSecond);
        c.put("error", j -> j.error);
        return Collections.unmodifiableMap(c);
    }

    private static Map<String, ColumnValue<Alert>> alerts() {
        Map<String, ColumnValue<Alert>> c = new LinkedHashMap<>();
        c.put("alert_id", a -> a.alertId);
        c.put("rule", a -> a.rule);
        c.put("severity", a -> a.severity);
        c.put("entity", a -> a.entity);
        c.put("value", a -> a.value);
        c.put("threshold", a -> a.threshold);
        c.put("window_start", a -> a.windowStart);
        c.put("window_end", a -> a.windowEnd);
        c.put("state", a -> a.state);
        c.put("evidence", a -> a.evidence);
        c.put("at", a -> a.at);
        return Collections.unmodifiableMap(c);
    }

    private static Map<String, ColumnValue<NodeTransition>> nodeStatus() {
        Map<String, ColumnValue<NodeTransition>> c = new LinkedHashMap<>();
        c.put("node_id", t -> t.nodeId);
        c.put("node_kind", t -> t.nodeKind);
        c.put("transition", t -> t.transition);
        c.put("at", t -> t.at);
        c.put("last_seen", t -> t.lastSeen);
        c.put("timeout_ms", t -> t.timeoutMs);
        c.put("active_sessions", t -> t.activeSessions);
        c.put("reason", t -> t.reason);
        return Collections.unmodifiableMap(c);
    }

    private static Map<String, ColumnValue<TelemetryEvent>> rawEvents() {
        Map<String, ColumnValue<TelemetryEvent>> c = new LinkedHashMap<>();
        c.put("event_id", e -> e.eventId);
        c.put("type", e -> e.type);
        c.put("family", e -> e.family);
        c.put("subtype", e -> e.subtype);
        c.put("shape", e -> e.shape);
        c.put("streamr_wrapped", e -> e.streamrWrapped);
        c.put("event_time", e -> e.eventTime);
        c.put("event_time_source", e -> e.eventTimeSource);
        c.put("time_clamped", e -> e.timeClamped);
        c.put("envelope_time", e -> e.envelopeTime);
        c.put("envelope_timestamp", e -> e.envelopeTimestamp);
        c.put("data_time", e -> e.dataTime);
        c.put("data_timestamp", e -> e.dataTimestamp);
        c.put("gateway", e -> e.gateway);
        c.put("publisher_id", e -> e.publisherId);
        c.put("streamr_timestamp", e -> e.streamrTimestamp);
        c.put("streamr_sequence_number", e -> e.streamrSequenceNumber);
        c.put("streamr_msg_chain_id", e -> e.streamrMsgChainId);
        c.put("session_id", e -> e.sessionId);
        c.put("stream_id", e -> e.streamId);
        c.put("request_id", e -> e.requestId);
        c.put("node_ids", e -> e.nodeIds);
        c.put("payload", e -> e.payload);
        c.put("raw", e -> e.raw);
        c.put("source", e -> e.source);
        c.put("source_topic", e -> e.topic);
        c.put("source_partition", e -> e.partition);
        c.put("source_offset", e -> e.offset);
        c.put("array_index", e -> e.index);
        c.put("ingest_time", e -> e.ingestTime);
        return Collections.unmodifiableMap(c);
    }

    private static Map<String, ColumnValue<Rejection>> rejectedEvents() {
        Map<String, ColumnValue<Rejection>> c = new LinkedHashMap<>();
        c.put("reason", r -> r.reason);
        c.put("detail", r -> r.detail);
        c.put("stage", r -> r.stage);
        c.put("source", r -> r.source);
        c.put("source_topic", r -> r.topic);
        c.put("source_partition", r -> r.partition);
        c.put("source_offset", r -> r.offset);
        c.put("array_index", r -> r.index);
        c.put("event_id", r -> r.eventId);
        c.put("type", r -> r.type);
        c.put("ingest_time", r -> r.ingestTime);
        c.put("raw_size", r -> r.rawSize);
        c.put("raw_text", Rejection::rawText);
        c.put("raw", r -> r.raw);
        return Collections.unmodifiableMap(c);
    }

    private static Map<String, ColumnValue<SessionFact>> sessions() {
        Map<String, ColumnValue<SessionFact>> c = new LinkedHashMap<>();
        c.put("session_id", f -> f.sessionId);
        c.put("stream_id", f -> f.streamId);
        c.put("request_id", f -> f.requestId);
        c.put("pipeline", f -> f.pipeline);
        c.put("model", f -> f.model);
        c.put("gateway", f -> f.gateway);
        c.put("orchestrator_address", f -> f.orchestratorAddress);
        c.put("orchestrator_url", f -> f.orchestratorUrl);
        c.put("payment_session_id", f -> f.paymentSessionId);
        c.put("manifest_id", f -> f.manifestId);

        c.put("started_at", f -> f.startedAt);
        c.put("ended_at", f -> f.endedAt);
        c.put("last_event_at", f -> f.lastEventAt);
        c.put("requested", f -> f.requested);
        c.put("startup_outcome", f -> f.startupOutcome);
        c.put("excuse_reason", f -> f.excuseReason);
        c.put("end_reason", f -> f.endReason);
        c.put("segments", f -> f.segments);
        c.put("confirmed_swaps", f -> f.confirmedSwaps);
        c.put("inferred_swaps", f -> f.inferredSwaps);
        c.put("swapped", f -> f.swapped);
        c.put("loading_only", f -> f.loadingOnly);
        c.put("zero_output_fps", f -> f.zeroOutputFps);
        c.put("output_failed", f -> f.outputFailed);
        c.put("effective_failed", f -> f.effectiveFailed);
        c.put("startup_ms", f -> f.startupMs);
        c.put("ptff_ms", f -> f.ptffMs);
        c.put("e2e_latency_ms", f -> f.e2eLatencyMs);
        c.put("e2e_pts_latency_ms", f -> f.e2ePtsLatencyMs);
        c.put("runner_startup_ms", f -> f.runnerStartupMs);
        c.put("prompt_updates", f -> f.promptUpdates);
        c.put("prompt_update_ms_p50", f -> f.promptUpdateMsP50);
        c.put("prompt_update_ms_max", f -> f.promptUpdateMsMax);
        c.put("output_fps_mean", f -> f.outputFpsMean);
        c.put("output_fps_p5", f -> f.outputFpsP5);
        c.put("output_fps_p50", f -> f.outputFpsP50);
        c.put("input_fps", f -> f.inputFps);
        c.put("realtime_ratio", f -> f.realtimeRatio);
        c.put("jitter_coefficient", f -> f.jitterCoefficient);
        c.put("network_jitter_ms_mean", f -> f.networkJitterMsMean);
        c.put("network_jitter_ms_p95", f -> f.networkJitterMsP95);
        c.put("packet_loss_pct", f -> f.packetLossPct);
        c.put("upload_bps_mean", f -> f.uploadBpsMean);
        c.put("upload_bps_peak", f -> f.uploadBpsPeak);
        c.put("download_bps_mean", f -> f.downloadBpsMean);
        c.put("download_bps_peak", f -> f.downloadBpsPeak);
        c.put("online_s", f -> f.onlineS);
        c.put("status_samples", f -> f.statusSamples);
        c.put("status_samples_expected", f -> f.statusSamplesExpected);
        c.put("health_coverage", f -> f.healthCoverage);
        c.put("restarts", f -> f.restarts);
        c.put("errors", f -> f.errors);
        c.put("excusable_errors", f -> f.excusableErrors);
        c.put("payments", f -> f.payments);
        c.put("payments_wei", f -> f.paymentsWei);
        c.put("emitted_at", f -> f.emittedAt);
        c.put("version", f -> f.version);
        c.put("canonical_orchestrator_address", f -> f.canonicalAddress);
        c.put("gpu_id", f -> f.gpuId);
        c.put("gpu_name", f -> f.gpuName);
        c.put("attribution", f -> f.attribution);
        return Collections.unmodifiableMap(c);
    }
}
