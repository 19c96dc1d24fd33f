package org.livepeer.naap.jobs;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.Collector;
import org.livepeer.naap.functions.DeduplicateEvents;
import org.livepeer.naap.functions.EventTimeWatermarks;
import org.livepeer.naap.functions.FinalSessionFacts;
import org.livepeer.naap.functions.ParseAndValidate;
import org.livepeer.naap.functions.TagLateEvents;
import org.livepeer.naap.functions.alerts.AlertSignal;
import org.livepeer.naap.functions.alerts.AlertStateMachine;
import org.livepeer.naap.functions.alerts.IntakeRule;
import org.livepeer.naap.functions.alerts.IntakeTallies;
import org.livepeer.naap.functions.alerts.IntakeTally;
import org.livepeer.naap.functions.alerts.MetricRules;
import org.livepeer.naap.functions.alerts.NodeRules;
import org.livepeer.naap.functions.liveness.Heartbeat;
import org.livepeer.naap.functions.liveness.Heartbeats;
import org.livepeer.naap.functions.liveness.LivenessConfig;
import org.livepeer.naap.functions.liveness.LivenessDetector;
import org.livepeer.naap.functions.liveness.OrchestratorIdentity;
import org.livepeer.naap.functions.liveness.WorkerLiveness;
import org.livepeer.naap.functions.metrics.Attribution;
import org.livepeer.naap.functions.metrics.CapabilityRows;
import org.livepeer.naap.functions.metrics.Demand;
import org.livepeer.naap.functions.metrics.Jobs;
import org.livepeer.naap.functions.metrics.OfferedCapacity;
import org.livepeer.naap.functions.metrics.PaymentAttribution;
import org.livepeer.naap.functions.metrics.Payments;
import org.livepeer.naap.functions.metrics.QualitySample;
import org.livepeer.naap.functions.metrics.SampleAttribution;
import org.livepeer.naap.functions.metrics.SlaScore;
import org.livepeer.naap.functions.metrics.WindowedMetrics;
import org.livepeer.naap.functions.sessions.PaymentRouter;
import org.livepeer.naap.functions.sessions.SessionConfig;
import org.livepeer.naap.functions.sessions.SessionKeys;
import org.livepeer.naap.functions.sessions.SessionTracker;
import org.livepeer.naap.schemas.Family;
import org.livepeer.naap.schemas.RawRecord;
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
 * The pipeline definition, shared by the streaming job, the embedded runner and the tests: raw
 * records in, every output handed to the sink given for it.
 *
 * <pre>
 * raw records -> parse and validate -+-> rejected
 *                                    +-> watermarks -> dedup -+-> duplicates
 *                                                             +-> late tagging -+-> raw events
 *                                                                               +-> late
 *                                                                               +-> payment rows
 *                                                                               +-> job rows
 *                                                                               |
 *   session families ------------------------------------------------------------+
 *   payments -> payment router (by payment session) -+-> session tracker (by request id)
 *                                                         +-> session facts (live + final)
 *                                                         +-> final facts -> session archive
 *                                                         +-> late session events
 *   every parsed event -> heartbeats -+- gateways ---------------------------+
 *                                     +- orchestrators -> identity (one key) -+-> liveness (node id)
 *                                     +- workers -> worker liveness (by orchestrator) <- its down
 *   node transitions -> nodes outputs; an orchestrator's DOWN_ABRUPT -> its active sessions
 *   -> session tracker (orchestrator_lost)
 *   network_capabilities -> capability rows (archive) and orchestrator snapshots (broadcast)
 *   session facts -> attribution (snapshots) -> session outputs
 *   final facts, status/ingest samples, payments (each attributed) and offered GPU time
 *   -> windowed metrics (1m, 1h; by orchestrator x model x GPU) -> 1h -> SLA score -> outputs
 *   alert rules: node transitions (NodeDownAbrupt), 1m and scored 1h rows (by metric key),
 *   intake tallies (received/rejected per ingest minute) -> alert state machine (rule x entity)
 *   -> alerts (FIRING, RESOLVED)
 * </pre>
 *
 * Every stateful operator has a stable uid (the constants below) so savepoints survive upgrades.
 */
public final class TelemetryPipeline {
    public static final String UID_PARSE = "parse-validate";
    public static final String UID_WATERMARKS = "event-time-watermarks";
    public static final String UID_DEDUP = "dedup-events";
    public static final String UID_LATE = "tag-late-events";
    public static final String UID_PAYLOAD_ONLY = "payload-only";
    public static final String UID_HEARTBEATS = "heartbeats";
    public static final String UID_LIVENESS = "node-liveness";
    public static final String UID_ORCHESTRATOR_IDENTITY = "orchestrator-identity";
    public static final String UID_WORKER_LIVENESS = "worker-liveness";
    public static final String UID_CAPABILITIES = "capability-rows";
    public static final String UID_ATTRIBUTION = "attribution";
    public static final String UID_SNAPSHOTS = "orchestrator-snapshots";
    public static final String UID_METRICS = "windowed-metrics";
    public static final String UID_SAMPLE_ATTRIBUTION = "sample-attribution";
    public static final String UID_SLA = "sla-score";
    public static final String UID_OFFERED = "offered-capacity";
    public static final String UID_PAYMENT_ATTRIBUTION = "payment-attribution";
    public static final String UID_INTAKE_ACCEPTED = "intake-tallies-accepted";
    public static final String UID_INTAKE_REJECTED = "intake-tallies-rejected";
    public static final String UID_INTAKE_WATERMARKS = "intake-watermarks";
    public static final String UID_INTAKE_RULE = "intake-rule";
    public static final String UID_METRIC_RULES = "metric-alert-rules";
    public static final String UID_NODE_RULES = "node-alert-rules";
    public static final String UID_ALERTS = "alert-state-machine";

    /** A capability snapshot vouches for what an orchestrator offers for this long at most. */
    static final java.time.Duration OFFER_HOLD = java.time.Duration.ofMinutes(2);

    /** A benchmark with fewer sessions (or fps samples) than this shrinks the scores it gives. */
    static final long SLA_BENCHMARK_FLOOR = 20;

    /** A metrics window goes out this long after its end (then revised by later sessions). */
    static final java.time.Duration METRICS_SETTLE = java.time.Duration.ofMinutes(1);

    /** An hour window is revised by sessions that end up to this long after its end. */
    static final java.time.Duration METRICS_RETENTION = java.time.Duration.ofHours(6);

    /**
     * A minute window is revised by sessions that end up to this long after its end: every window
     * is held in state (and in every checkpoint) until then, and minutes are many.
     */
    static final java.time.Duration METRICS_MINUTE_RETENTION = java.time.Duration.ofHours(1);

    /**
     * A session attributed from a snapshot older than this before its last event is {@code stale}:
     * orchestrators are listed every minute by every gateway that reaches them.
     */
    static final java.time.Duration ATTRIBUTION_MAX_SNAPSHOT_AGE = java.time.Duration.ofMinutes(10);

    public static final String UID_PAYMENT_ROUTER = "payment-router";
    public static final String UID_SESSIONS = "session-tracker";
    public static final String UID_FINAL_SESSIONS = "final-session-facts";
    public static final String UID_PAYMENT_ROWS = "payment-rows";
    public static final String UID_JOB_ROWS = "job-rows";

    /** One sink per output of the pipeline. */
    public record Outputs(
            OutputSink<TelemetryEvent> rawEvents,
            OutputSink<Rejection> rejected,
            OutputSink<TelemetryEvent> duplicates,
            OutputSink<TelemetryEvent> late,
            OutputSink<SessionFact> sessions,
            OutputSink<SessionFact> finalSessions,
            OutputSink<TelemetryEvent> lateSessionEvents,
            OutputSink<NodeTransition> nodes,
            OutputSink<CapabilityRow> capabilities,
            OutputSink<PaymentRow> payments,
            OutputSink<JobRow> jobs,
            OutputSink<MetricsRow> metrics1m,
            OutputSink<MetricsRow> metrics1h,
            OutputSink<Alert> alerts) {

        /** Every output but the alerts, which go nowhere. */
        public Outputs(
                OutputSink<TelemetryEvent> rawEvents,
                OutputSink<Rejection> rejected,
                OutputSink<TelemetryEvent> duplicates,
                OutputSink<TelemetryEvent> late,
                OutputSink<SessionFact> sessions,
                OutputSink<SessionFact> finalSessions,
                OutputSink<TelemetryEvent> lateSessionEvents,
                OutputSink<NodeTransition> nodes,
                OutputSink<CapabilityRow> capabilities,
                OutputSink<PaymentRow> payments,
                OutputSink<JobRow> jobs,
                OutputSink<MetricsRow> metrics1m,
                OutputSink<MetricsRow> metrics1h) {
            this(
                    rawEvents,
                    rejected,
                    duplicates,
                    late,
                    sessions,
                    finalSessions,
                    lateSessionEvents,
                    nodes,
                    capabilities,
                    payments,
                    jobs,
                    metrics1m,
                    metrics1h,
                    OutputSink.none());
        }

        /** The same outputs with the alerts to {@code sink}. */
        public Outputs withAlerts(OutputSink<Alert> sink) {
            return new Outputs(
                    rawEvents,
                    rejected,
                    duplicates,
                    late,
                    sessions,
                    finalSessions,
                    lateSessionEvents,
                    nodes,
                    capabilities,
                    payments,
                    jobs,
                    metrics1m,
                    metrics1h,
                    sink);
        }

        /** The archive outputs only: everything else to nowhere (tests, replays). */
        public static Outputs archiveOnly(
                OutputSink<TelemetryEvent> rawEvents, OutputSink<Rejection> rejected) {
            return new Outputs(
                    rawEvents,
                    rejected,
                    OutputSink.none(),
                    OutputSink.none(),
                    OutputSink.none(),
                    OutputSink.none(),
                    OutputSink.none(),
                    OutputSink.none(),
                    OutputSink.none(),
                    OutputSink.none(),
                    OutputSink.none(),
                    OutputSink.none(),
                    OutputSink.none());
        }
    }

    private TelemetryPipeline() {}

    /** Wires the pipeline onto {@code input} and attaches every output. */
    public static void define(DataStream<RawRecord> input, PipelineConfig config, Outputs outputs) {
        SingleOutputStreamOperator<TelemetryEvent> parsed =
                input.process(new ParseAndValidate(config.parser()))
                        .name("Parse and validate")
                        .uid(UID_PARSE);
        outputs.rejected().attach(parsed.getSideOutput(ParseAndValidate.REJECTED));
        DataStream<IntakeTally> intake =
                parsed.transform(
                                "Intake tallies (accepted)",
                                TypeInformation.of(IntakeTally.class),
                                new IntakeTallies<TelemetryEvent>(e -> e.ingestTime, false))
                        .uid(UID_INTAKE_ACCEPTED)
                        .union(
                                parsed.getSideOutput(ParseAndValidate.REJECTED)
                                        .transform(
                                                "Intake tallies (rejected)",
                                                TypeInformation.of(IntakeTally.class),
                                                new IntakeTallies<Rejection>(
                                                        r -> r.ingestTime, true))
                                        .uid(UID_INTAKE_REJECTED));

        SingleOutputStreamOperator<TelemetryEvent> timed =
                parsed.assignTimestampsAndWatermarks(
                                EventTimeWatermarks.strategy(
                                        config.outOfOrderness(),
                                        config.idleness(),
                                        config.silenceGrace()))
                        .name("Event-time watermarks")
                        .uid(UID_WATERMARKS);
        SingleOutputStreamOperator<TelemetryEvent> unique =
                timed.keyBy(TelemetryEvent::dedupKey)
                        .process(new DeduplicateEvents(config.dedupRetention()))
                        .name("Deduplicate")
                        .uid(UID_DEDUP);
        outputs.duplicates().attach(unique.getSideOutput(DeduplicateEvents.DUPLICATES));

        SingleOutputStreamOperator<TelemetryEvent> accepted =
                unique.process(new TagLateEvents(config.allowedLateness().toMillis()))
                        .name("Tag late events")
                        .uid(UID_LATE);
        outputs.late().attach(accepted.getSideOutput(TagLateEvents.LATE));
        outputs.rawEvents().attach(accepted);
        SingleOutputStreamOperator<PaymentRow> payments =
                accepted.process(new Payments()).name("Payment rows").uid(UID_PAYMENT_ROWS);
        outputs.payments().attach(payments);
        outputs.jobs().attach(accepted.process(new Jobs()).name("Job rows").uid(UID_JOB_ROWS));

        // Heartbeats come from the parsed stream, before deduplication: keyed by event id, the
        // dedup shuffle would interleave one node's events across its subtasks, and the cadence a
        // node learns from their order would depend on that interleaving. A redelivered copy is
        // the same heartbeat again, which changes nothing.
        DataStream<NodeTransition> nodes = defineLiveness(timed, config.liveness());
        outputs.nodes().attach(nodes);
        DataStream<AlertSignal> nodeSignals =
                nodes.flatMap(new NodeRules(config.alerts()))
                        .name("Node alert rules")
                        .uid(UID_NODE_RULES);
        DataStream<AlertSignal> intakeSignals =
                intake.assignTimestampsAndWatermarks(
                                WatermarkStrategy.<IntakeTally>forBoundedOutOfOrderness(
                                                config.outOfOrderness())
                                        .withTimestampAssigner((t, previous) -> t.minute)
                                        .withIdleness(config.idleness()))
                        .name("Intake watermarks")
                        .uid(UID_INTAKE_WATERMARKS)
                        .keyBy(t -> IntakeRule.ENTITY)
                        .process(new IntakeRule(config.alerts()))
                        .name("Intake alert rule")
                        .uid(UID_INTAKE_RULE);
        SingleOutputStreamOperator<CapabilityRow> capabilities =
                accepted.flatMap(new CapabilityRows())
                        .name("Capability snapshots")
                        .uid(UID_CAPABILITIES);
        outputs.capabilities().attach(capabilities);
        DataStream<Attribution.OrchestratorSnapshot> snapshots =
                accepted.flatMap(new Attribution.Snapshots())
                        .name("Orchestrator snapshots")
                        .uid(UID_SNAPSHOTS);
        DataStream<MetricsRow> scored =
                defineSessions(
                        accepted, orchestratorsLost(nodes), snapshots, payments, config, outputs);
        DataStream<AlertSignal> metricSignals =
                scored.keyBy(Demand::keyOf)
                        .process(new MetricRules(config.alerts(), METRICS_SETTLE.toMillis()))
                        .name("Metric alert rules")
                        .uid(UID_METRIC_RULES);
        outputs.alerts()
                .attach(
                        nodeSignals
                                .union(intakeSignals, metricSignals)
                                .keyBy(AlertSignal::key)
                                .process(new AlertStateMachine(config.alerts()))
                                .name("Alerts")
                                .uid(UID_ALERTS));
    }

    private static DataStream<NodeTransition> defineLiveness(
            DataStream<TelemetryEvent> accepted, LivenessConfig config) {
        DataStream<Heartbeat> heartbeats =
                accepted.flatMap(new Heartbeats()).name("Heartbeats").uid(UID_HEARTBEATS);
        DataStream<Heartbeat> orchestrators =
                heartbeats
                        .filter(h -> Heartbeat.ORCHESTRATOR.equals(h.nodeKind))
                        .name("Orchestrator heartbeats")
                        .keyBy(OrchestratorIdentity.keySelector())
                        .process(new OrchestratorIdentity(config))
                        .name("Orchestrator identity")
                        .uid(UID_ORCHESTRATOR_IDENTITY);
        SingleOutputStreamOperator<NodeTransition> nodes =
                heartbeats
                        .filter(h -> Heartbeat.GATEWAY.equals(h.nodeKind))
                        .name("Gateway heartbeats")
                        .union(orchestrators)
                        .keyBy(h -> h.nodeId)
                        .process(new LivenessDetector(config))
                        .name("Node liveness")
                        .uid(UID_LIVENESS);
        DataStream<Heartbeat> ownersDown =
                nodes.filter(TelemetryPipeline::orchestratorDown)
                        .name("Orchestrators down")
                        .map(WorkerLiveness::ownerDown)
                        .name("To their workers");
        DataStream<NodeTransition> workers =
                heartbeats
                        .filter(h -> Heartbeat.WORKER.equals(h.nodeKind))
                        .name("Worker heartbeats")
                        .union(ownersDown)
                        .keyBy(WorkerLiveness.keySelector())
                        .process(new WorkerLiveness(config))
                        .name("Worker liveness")
                        .uid(UID_WORKER_LIVENESS);
        return nodes.union(workers);
    }

    private static boolean orchestratorDown(NodeTransition t) {
        return Heartbeat.ORCHESTRATOR.equals(t.nodeKind)
                && NodeTransition.DOWN_ABRUPT.equals(t.transition);
    }

    /** One notice per session active on an orchestrator when it went down abruptly. */
    private static DataStream<TelemetryEvent> orchestratorsLost(DataStream<NodeTransition> nodes) {
        return nodes.filter(TelemetryPipeline::orchestratorDown)
                .name("Orchestrators lost")
                .flatMap(
                        (NodeTransition t, Collector<TelemetryEvent> out) -> {
                            if (t.activeSessions != null) {
                                for (String session : t.activeSessions) {
                                    out.collect(
                                            SessionTracker.orchestratorLostNotice(
                                                    session, t.nodeId, t.at));
                                }
                            }
                        })
                .returns(TelemetryEvent.class)
                .name("To their sessions");
    }

    /**
     * The windowed metrics: each final fact's contributions ({@link Demand}) into 1-minute and
     * 1-hour windows per metric key, emitted {@link #METRICS_SETTLE} after a window's end and
     * revised by sessions that end later, up to {@link #METRICS_RETENTION}.
     */
    private static DataStream<MetricsRow> defineMetrics(
            DataStream<SessionFact> facts,
            DataStream<QualitySample> samples,
            DataStream<Attribution.OrchestratorSnapshot> snapshots,
            DataStream<PaymentRow> payments,
            PipelineConfig pipeline,
            Outputs outputs) {
        DataStream<MetricsRow> earnings =
                payments.keyBy(p -> p.orchestratorUrl == null ? "" : p.orchestratorUrl)
                        .connect(snapshots.broadcast(Attribution.SNAPSHOT_HISTORY))
                        .process(
                                new PaymentAttribution(
                                        ATTRIBUTION_MAX_SNAPSHOT_AGE.toMillis(),
                                        pipeline.liveness().forgetAfter().toMillis()))
                        .name("Attribute payments")
                        .uid(UID_PAYMENT_ATTRIBUTION);
        DataStream<MetricsRow> quality =
                samples.keyBy(q -> q.sessionId)
                        .connect(snapshots.broadcast(Attribution.SNAPSHOT_HISTORY))
                        .process(
                                new SampleAttribution(
                                        ATTRIBUTION_MAX_SNAPSHOT_AGE.toMillis(),
                                        pipeline.liveness().forgetAfter().toMillis()))
                        .name("Attribute samples")
                        .uid(UID_SAMPLE_ATTRIBUTION);
        SingleOutputStreamOperator<MetricsRow> rows =
                facts.flatMap(
                                (SessionFact f, Collector<MetricsRow> out) ->
                                        Demand.contributions(f).forEach(out::collect))
                        .returns(MetricsRow.class)
                        .name("Metric contributions")
                        .union(
                                quality,
                                earnings,
                                snapshots
                                        .keyBy(s -> s.address)
                                        .process(new OfferedCapacity(OFFER_HOLD.toMillis()))
                                        .name("Offered GPU time")
                                        .uid(UID_OFFERED))
                        .keyBy(Demand::keyOf)
                        .process(
                                new WindowedMetrics(
                                        METRICS_SETTLE.toMillis(),
                                        METRICS_MINUTE_RETENTION.toMillis(),
                                        METRICS_RETENTION.toMillis()))
                        .name("Windowed metrics")
                        .uid(UID_METRICS);
        DataStream<MetricsRow> minutes =
                rows.filter(r -> MetricsRow.MINUTE.equals(r.resolution)).name("1m rows");
        DataStream<MetricsRow> hours =
                rows.filter(r -> MetricsRow.HOUR.equals(r.resolution))
                        .name("1h rows")
                        .keyBy(SlaScore.keySelector())
                        .process(new SlaScore(METRICS_SETTLE.toMillis(), SLA_BENCHMARK_FLOOR))
                        .name("SLA score")
                        .uid(UID_SLA);
        outputs.metrics1m().attach(minutes);
        outputs.metrics1h().attach(hours);
        return minutes.union(hours);
    }

    /** The session outputs; returns the metric rows (1-minute and SLA-scored 1-hour). */
    private static DataStream<MetricsRow> defineSessions(
            DataStream<TelemetryEvent> all,
            DataStream<TelemetryEvent> orchestratorsLost,
            DataStream<Attribution.OrchestratorSnapshot> snapshots,
            DataStream<PaymentRow> payments,
            PipelineConfig pipeline,
            Outputs outputs) {
        SessionConfig config = pipeline.sessions();
        DataStream<TelemetryEvent> accepted =
                all.map(TelemetryEvent::withoutRaw).name("Payload only").uid(UID_PAYLOAD_ONLY);
        DataStream<TelemetryEvent> routedPayments =
                accepted.filter(e -> Family.CREATE_NEW_PAYMENT.wireName().equals(e.family))
                        .name("Payments")
                        .keyBy(PaymentRouter.keySelector())
                        .process(new PaymentRouter(config))
                        .name("Route payments to sessions")
                        .uid(UID_PAYMENT_ROUTER);
        SingleOutputStreamOperator<SessionFact> facts =
                accepted.filter(e -> Family.ofType(e.family).sessionBearing())
                        .name("Session events")
                        .union(routedPayments, orchestratorsLost)
                        .keyBy(SessionKeys::routingKey)
                        .process(new SessionTracker(config))
                        .name("Track sessions")
                        .uid(UID_SESSIONS);
        outputs.lateSessionEvents().attach(facts.getSideOutput(SessionTracker.LATE_SESSION_EVENTS));
        SingleOutputStreamOperator<SessionFact> attributed =
                facts.keyBy(f -> f.sessionId)
                        .connect(snapshots.broadcast(Attribution.SNAPSHOTS))
                        .process(
                                new Attribution(
                                        pipeline.liveness().identityWait().toMillis(),
                                        ATTRIBUTION_MAX_SNAPSHOT_AGE.toMillis(),
                                        pipeline.liveness().forgetAfter().toMillis()))
                        .name("Attribute sessions")
                        .uid(UID_ATTRIBUTION);
        outputs.sessions().attach(attributed);
        DataStream<MetricsRow> metrics =
                defineMetrics(
                        attributed,
                        facts.getSideOutput(SessionTracker.QUALITY_SAMPLES),
                        snapshots,
                        payments,
                        pipeline,
                        outputs);
        outputs.finalSessions()
                .attach(
                        attributed
                                .process(new FinalSessionFacts())
                                .name("Final session facts")
                                .uid(UID_FINAL_SESSIONS));
        return metrics;
    }
}
