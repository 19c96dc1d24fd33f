package org.livepeer.naap.functions.sessions;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.ListTypeInfo;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.livepeer.naap.functions.Accounting;
import org.livepeer.naap.functions.CheckpointedCount;
import org.livepeer.naap.functions.metrics.QualitySample;
import org.livepeer.naap.schemas.EventParser;
import org.livepeer.naap.schemas.SessionIds;
import org.livepeer.naap.schemas.TelemetryEvent;
import org.livepeer.naap.schemas.family.AiStreamEvent;
import org.livepeer.naap.schemas.family.AiStreamStatus;
import org.livepeer.naap.schemas.family.CreateNewPayment;
import org.livepeer.naap.schemas.family.Families;
import org.livepeer.naap.schemas.family.FamilyPayload;
import org.livepeer.naap.schemas.family.InvalidPayloadException;
import org.livepeer.naap.schemas.family.StreamIngestMetrics;
import org.livepeer.naap.schemas.family.StreamTrace;
import org.livepeer.naap.schemas.output.SessionFact;

/**
 * Follows every stream session through its life (METRICS.md, "Session") and computes its measures
 * ("Per-session measures").
 *
 * <p>Key: {@link SessionKeys#routingKey} ({@code r:<request id>}, else {@code s:<session id>}), so
 * that payments routed by {@link PaymentRouter} (which know only the request id) meet their
 * session. Input: {@code stream_trace}, {@code ai_stream_status}, {@code ai_stream_events}, {@code
 * stream_ingest_metrics} and routed {@code create_new_payment} events.
 *
 * <p>State, all per key: {@code session-buffer}, the events not yet passed by the watermark, by
 * event time; {@code sessions}, one {@link SessionState} per open session id (one key can hold
 * several session ids sharing a request id); {@code session-tombstones}, the event time until which
 * an ended session id absorbs stragglers; {@code session-waiting-payments} and {@code
 * session-waiting-until}, payments that reached the key before any session. Every state has a
 * processing-time TTL of {@link SessionConfig#stateTtl()} behind the timers. Operator state: {@code
 * sessions_open}, the subtask's count of open sessions behind the gauge of that name ({@link
 * org.livepeer.naap.functions.CheckpointedCount}).
 *
 * <p>Timers (event time): one at each buffered event's time, which applies that time's events in
 * event-time order, so out-of-order input within the watermark bound gives the same result as
 * in-order input; one per open session at {@code last event + idle timeout}, moved on every event,
 * which ends it as {@code timed_out}; one per tombstone at its expiry, which forgets it; one at the
 * waiting payments' deadline, which sends them to {@link #UNMATCHED_PAYMENTS}. When the final
 * watermark ({@code Long.MAX_VALUE}) fires them and no buffered event remains, a session still open
 * ends as {@code open}: the end of a bounded input is not silence.
 *
 * <p>Output: {@link SessionFact}s, a {@code live} update at most every {@link
 * SessionConfig#updateInterval()} of event time while a session is open, and one {@code final} fact
 * when it ends ({@code closed} by its close trace, {@code timed_out}, {@code open}).
 *
 * <p>Late data: an event at or behind the watermark is applied at once when its session is open (or
 * opens a new session if no trace of it is left and it is less than {@code retainAfterEnd} behind
 * the watermark). An event of a session that has ended (its tombstone is held), or an older one
 * with no session, goes to {@link #LATE_SESSION_EVENTS}, counted as {@code late_session_events}; it
 * never reopens the session.
 */
public class SessionTracker extends KeyedProcessFunction<String, TelemetryEvent, SessionFact>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    public static final String END_CLOSED = "closed";
    public static final String END_TIMED_OUT = "timed_out";
    public static final String END_ORCHESTRATOR_LOST = "orchestrator_lost";
    public static final String END_OPEN = "open";

    /** Accounting names (metrics and accumulators). */
    public static final String LATE_SESSION_EVENTS_COUNT = "late_session_events";

    public static final String UNMATCHED_PAYMENTS_COUNT = "session_unmatched_payments";
    public static final String UNDECODABLE_COUNT = "session_undecodable_events";
    public static final String ORCHESTRATOR_LOST_NOTICES = "session_orchestrator_lost_notices";

    /** Gauge (and the name of its operator state): sessions open in this subtask right now. */
    public static final String SESSIONS_OPEN = "sessions_open";

    /**
     * The family of a notice from node liveness (not a wire family: the parser never produces it)
     * that a session's orchestrator went down abruptly; see {@link #orchestratorLostNotice}.
     */
    public static final String ORCHESTRATOR_LOST = "naap:orchestrator_lost";

    /** Each status sample as the windowed metrics see it ({@link QualitySample}). */
    public static final OutputTag<QualitySample> QUALITY_SAMPLES =
            new OutputTag<>("quality-samples") {};

    /** Events of an ended session that arrived after its final fact. */
    public static final OutputTag<TelemetryEvent> LATE_SESSION_EVENTS =
            new OutputTag<>("late-session-events") {};

    /** Routed payments whose request id never showed a session within the payment wait. */
    public static final OutputTag<TelemetryEvent> UNMATCHED_PAYMENTS =
            new OutputTag<>("session-unmatched-payments") {};

    private static final Comparator<TelemetryEvent> SAME_TIME_ORDER =
            Comparator.comparing((TelemetryEvent e) -> e.family == null ? "" : e.family)
                    .thenComparing(e -> e.eventId == null ? "" : e.eventId)
                    .thenComparing(e -> e.payload == null ? "" : e.payload);

    private final SessionConfig config;

    private transient MapState<Long, List<TelemetryEvent>> buffer;
    private transient MapState<String, SessionState> sessions;
    private transient MapState<String, Long> tombstones;
    private transient ListState<TelemetryEvent> waitingPayments;
    private transient ValueState<Long> waitingUntil;
    private transient ObjectMapper mapper;
    private transient Accounting accounting;
    private transient CheckpointedCount openSessions;

    public SessionTracker(SessionConfig config) {
        this.config = config;
    }

    public SessionTracker() {
        this(SessionConfig.defaults());
    }

    @Override
    public void open(OpenContext openContext) {
        StateTtlConfig ttl =
                StateTtlConfig.newBuilder(config.stateTtl())
                        .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                        .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                        .build();
        TypeInformation<TelemetryEvent> eventType = TypeInformation.of(TelemetryEvent.class);
        MapStateDescriptor<Long, List<TelemetryEvent>> bufferDescriptor =
                new MapStateDescriptor<>(
                        "session-buffer", Types.LONG, new ListTypeInfo<>(eventType));
        MapStateDescriptor<String, SessionState> sessionsDescriptor =
                new MapStateDescriptor<>(
                        "sessions", Types.STRING, TypeInformation.of(SessionState.class));
        MapStateDescriptor<String, Long> tombstonesDescriptor =
                new MapStateDescriptor<>("session-tombstones", Types.STRING, Types.LONG);
        ListStateDescriptor<TelemetryEvent> waitingDescriptor =
                new ListStateDescriptor<>("session-waiting-payments", eventType);
        ValueStateDescriptor<Long> waitingUntilDescriptor =
                new ValueStateDescriptor<>("session-waiting-until", Types.LONG);
        bufferDescriptor.enableTimeToLive(ttl);
        sessionsDescriptor.enableTimeToLive(ttl);
        tombstonesDescriptor.enableTimeToLive(ttl);
        waitingDescriptor.enableTimeToLive(ttl);
        waitingUntilDescriptor.enableTimeToLive(ttl);
        buffer = getRuntimeContext().getMapState(bufferDescriptor);
        sessions = getRuntimeContext().getMapState(sessionsDescriptor);
        tombstones = getRuntimeContext().getMapState(tombstonesDescriptor);
        waitingPayments = getRuntimeContext().getListState(waitingDescriptor);
        waitingUntil = getRuntimeContext().getState(waitingUntilDescriptor);
        mapper = EventParser.newObjectMapper();
        accounting = new Accounting(getRuntimeContext());
        accounting.gauge(SESSIONS_OPEN, openSessions::get);
    }

    /**
     * The open-session count behind the {@code sessions_open} gauge: one up when a session opens,
     * one down at its final fact (the end of a bounded input ends every session as {@code open}, so
     * it returns to 0 there), kept in operator state ({@link CheckpointedCount}).
     */
    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        openSessions = CheckpointedCount.restore(context, SESSIONS_OPEN);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        openSessions.snapshot();
    }

    /** Sessions open in this subtask (the gauge's value). */
    long openSessions() {
        return openSessions.get();
    }

    @Override
    public void processElement(TelemetryEvent event, Context ctx, Collector<SessionFact> out)
            throws Exception {
        long watermark = ctx.timerService().currentWatermark();
        if (event.eventTime > watermark) {
            List<TelemetryEvent> atTime = buffer.get(event.eventTime);
            if (atTime == null) {
                atTime = new ArrayList<>();
            }
            atTime.add(event);
            // Cleared by the timer at this time, which applies the events.
            buffer.put(event.eventTime, atTime);
            ctx.timerService().registerEventTimeTimer(event.eventTime);
            return;
        }
        List<String> touched = new ArrayList<>();
        apply(event, watermark, true, ctx, touched, out);
        emitLiveUpdates(touched, watermark, out);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<SessionFact> out)
            throws Exception {
        TimerService timers = ctx.timerService();
        List<String> touched = new ArrayList<>();
        List<TelemetryEvent> due = buffer.get(timestamp);
        if (due != null) {
            buffer.remove(timestamp);
            due.sort(SAME_TIME_ORDER);
            for (TelemetryEvent e : due) {
                apply(e, timestamp, false, ctx, touched, out);
            }
        }

        Long waitDeadline = waitingUntil.value();
        if (waitDeadline != null && waitDeadline <= timestamp) {
            for (TelemetryEvent p : waitingPayments.get()) {
                unmatched(p, ctx);
            }
            waitingPayments.clear();
            waitingUntil.clear();
        }

        List<String> expired = new ArrayList<>();
        for (Map.Entry<String, Long> t : tombstones.entries()) {
            if (t.getValue() <= timestamp) {
                expired.add(t.getKey());
            }
        }
        for (String id : expired) {
            tombstones.remove(id);
        }

        boolean inputEnded = timers.currentWatermark() == Long.MAX_VALUE && buffer.isEmpty();
        List<SessionState> open = new ArrayList<>();
        for (SessionState s : sessions.values()) {
            open.add(s);
        }
        for (SessionState s : open) {
            if (s.isClosed() && (inputEnded || s.idleTimerAt <= timestamp)) {
                end(s, END_CLOSED, s.closedAt, Math.min(timestamp, s.idleTimerAt), timers, out);
            } else if (inputEnded && s.silentSince == null) {
                end(s, END_OPEN, null, s.lastEventAt, timers, out);
            } else if (inputEnded) {
                end(s, idleEndReason(s), s.lastEventAt, s.idleTimerAt, timers, out);
            } else if (s.idleTimerAt != null && s.idleTimerAt <= timestamp) {
                if (s.silentSince == null && awaitsVerdict(s)) {
                    // Silent past its idle timeout: over, but whether its orchestrator died is
                    // known a little later. The fired timer needs no release.
                    s.silentSince = s.idleTimerAt;
                    s.idleTimerAt = s.idleTimerAt + config.orchestratorVerdictWait().toMillis();
                    sessions.put(s.sessionId, s);
                    timers.registerEventTimeTimer(s.idleTimerAt);
                } else {
                    end(s, idleEndReason(s), s.lastEventAt, s.idleTimerAt, timers, out);
                }
            }
        }
        emitLiveUpdates(touched, timestamp, out);
    }

    /**
     * How a silent session ends: {@code orchestrator_lost} when its orchestrator went down within
     * the gap (an {@link #ORCHESTRATOR_LOST} notice came after its last event), else {@code
     * timed_out}.
     */
    /**
     * Whether a session whose idle timeout just passed waits for the verdict on its orchestrator:
     * it ran on one, no down is known yet, and the wait is not zero.
     */
    private boolean awaitsVerdict(SessionState s) {
        return s.currentOrchestrator != null
                && !s.orchestratorLost
                && !config.orchestratorVerdictWait().isZero();
    }

    static String idleEndReason(SessionState s) {
        return s.orchestratorLost ? END_ORCHESTRATOR_LOST : END_TIMED_OUT;
    }

    private void apply(
            TelemetryEvent e,
            long now,
            boolean late,
            Context ctx,
            List<String> touched,
            Collector<SessionFact> out)
            throws Exception {
        if (ORCHESTRATOR_LOST.equals(e.family)) {
            orchestratorLost(e);
            return;
        }
        FamilyPayload payload;
        try {
            payload = Families.decode(mapper, e);
        } catch (InvalidPayloadException x) {
            accounting.count(UNDECODABLE_COUNT);
            return;
        }
        if (payload instanceof CreateNewPayment) {
            applyPayment(e, (CreateNewPayment) payload, now, ctx, touched);
            return;
        }
        String id = e.sessionId;
        if (id == null || tombstones.contains(id)) {
            late(e, ctx);
            return;
        }
        SessionState s = sessions.get(id);
        boolean opened = s == null;
        if (opened) {
            if (late && e.eventTime + config.retainAfterEnd().toMillis() <= now) {
                // Too far behind to tell whether its session ended and was forgotten.
                late(e, ctx);
                return;
            }
            s = SessionState.open(e);
        }
        if (s.silentSince != null) {
            // Over since its idle timeout; only the verdict on its orchestrator is pending.
            late(e, ctx);
            return;
        }
        s.seen(e);
        if (s.orchestratorLost && e.eventTime > s.orchestratorLostAt) {
            // The session went on after its orchestrator was declared down (on another one).
            s.orchestratorLost = false;
            s.orchestratorLostAt = null;
        }
        if (payload instanceof StreamTrace) {
            s.applyTrace((StreamTrace) payload, e.eventTime, config);
        } else if (payload instanceof AiStreamStatus status) {
            long counted = s.outputFpsCount;
            long online = s.onlineMs;
            s.applyStatus(status, e.eventTime, config);
            QualitySample q = qualitySample(s, status, e.eventTime, counted);
            q.onlineMs = s.onlineMs - online;
            ctx.output(QUALITY_SAMPLES, q);
        } else if (payload instanceof AiStreamEvent) {
            s.applyStreamEvent((AiStreamEvent) payload, e.eventTime, config);
        } else if (payload instanceof StreamIngestMetrics ingest) {
            long received = s.bytesReceived;
            long sent = s.bytesSent;
            long ms = s.ingestMs;
            s.applyIngest(ingest, e.eventTime);
            if (s.ingestMs > ms) {
                ctx.output(
                        QUALITY_SAMPLES,
                        ingestSample(
                                s,
                                e.eventTime,
                                (s.bytesReceived - received) * 8,
                                (s.bytesSent - sent) * 8,
                                s.ingestMs - ms));
            }
        }
        if (opened) {
            openSessions.increment();
            attachWaitingPayments(s, ctx.timerService());
        }
        // Cleared by end(): the close grace or idle timer just moved, or the final watermark.
        sessions.put(id, s);
        moveIdleTimer(s, ctx.timerService());
        if (!touched.contains(id)) {
            touched.add(id);
        }
    }

    /**
     * An ingest sample as the windowed metrics see it: the bytes moved since the session's previous
     * one, for the orchestrator the session is on (the sample names none).
     */
    private static QualitySample ingestSample(
            SessionState s, long eventTime, long uploadBits, long downloadBits, long ms) {
        QualitySample q = new QualitySample();
        q.sessionId = s.sessionId;
        q.eventTime = eventTime;
        String on = s.currentOrchestrator;
        if (on != null && on.contains("://")) {
            q.orchestratorUrl = on;
        } else {
            q.orchestratorAddress = on;
        }
        q.pipeline = s.pipeline;
        q.model = s.model;
        q.uploadBits = uploadBits;
        q.downloadBits = downloadBits;
        q.ingestMs = ms;
        return q;
    }

    /** The sample as the windowed metrics see it, after {@code s} applied it. */
    private static QualitySample qualitySample(
            SessionState s, AiStreamStatus status, long eventTime, long countedBefore) {
        QualitySample q = new QualitySample();
        q.sessionId = s.sessionId;
        q.eventTime = eventTime;
        if (status.orchestratorInfo() != null) {
            q.orchestratorUrl = status.orchestratorInfo().url();
            q.orchestratorAddress = status.orchestratorInfo().address();
        }
        q.pipeline = s.pipeline;
        q.model = s.model;
        double fps =
                status.inferenceStatus() != null && status.inferenceStatus().fps() != null
                        ? status.inferenceStatus().fps()
                        : 0.0;
        if (s.outputFpsCount > countedBefore) {
            q.fps = fps;
        }
        if ("ONLINE".equals(status.state()) && fps > 0) {
            q.frameInterval = 1.0 / fps;
        }
        Double input = status.inputStatus() == null ? null : status.inputStatus().fps();
        if (input != null && input > 0) {
            q.realtimeRatio = Math.min(1.0, fps / input);
        }
        return q;
    }

    /**
     * A notice from node liveness: the session's orchestrator was declared {@code DOWN_ABRUPT} at
     * the notice's event time with the session active on it. An open session that has not closed is
     * marked; applied in event-time order with the session's events, so the mark holds only if
     * nothing of the session comes after the down, and its idle end is then {@code
     * orchestrator_lost}. A notice for a session that already ended (or never opened here) changes
     * nothing.
     */
    private void orchestratorLost(TelemetryEvent notice) throws Exception {
        SessionState s = notice.sessionId == null ? null : sessions.get(notice.sessionId);
        if (s == null || s.isClosed()) {
            return;
        }
        s.orchestratorLost = true;
        s.orchestratorLostAt = notice.eventTime;
        sessions.put(s.sessionId, s);
        accounting.count(ORCHESTRATOR_LOST_NOTICES);
    }

    /**
     * The tracker's input for one session named by an orchestrator's {@code DOWN_ABRUPT} (see
     * {@link #ORCHESTRATOR_LOST}), keyed like the session's own events.
     */
    public static TelemetryEvent orchestratorLostNotice(
            String sessionId, String nodeId, long downAt) {
        TelemetryEvent n = new TelemetryEvent();
        n.family = ORCHESTRATOR_LOST;
        n.type = ORCHESTRATOR_LOST;
        n.eventId = ORCHESTRATOR_LOST + ":" + nodeId + ":" + downAt + ":" + sessionId;
        n.sessionId = sessionId;
        n.requestId = SessionIds.requestIdOf(sessionId);
        n.eventTime = downAt;
        n.nodeIds = new String[] {nodeId};
        return n;
    }

    /**
     * Emits the final fact, drops the session's state and leaves a tombstone until {@code
     * retainAfterEnd} past the end, with a timer that forgets it.
     */
    private void end(
            SessionState s,
            String reason,
            Long endedAt,
            long emittedAt,
            TimerService timers,
            Collector<SessionFact> out)
            throws Exception {
        out.collect(s.toFact(SessionFact.STATUS_FINAL, emittedAt, reason, endedAt, config));
        sessions.remove(s.sessionId);
        openSessions.decrement();
        long expiry = emittedAt + config.retainAfterEnd().toMillis();
        // Cleared by the timer at its expiry, registered here.
        tombstones.put(s.sessionId, expiry);
        timers.registerEventTimeTimer(expiry);
        if (s.idleTimerAt != null) {
            releaseTimer(s.idleTimerAt, timers);
        }
    }

    private void emitLiveUpdates(List<String> touched, long now, Collector<SessionFact> out)
            throws Exception {
        long interval = config.updateInterval().toMillis();
        for (String id : touched) {
            SessionState s = sessions.get(id);
            if (s == null || (s.lastFactAt != null && now - s.lastFactAt < interval)) {
                continue;
            }
            out.collect(s.toFact(SessionFact.STATUS_LIVE, now, null, null, config));
            s.version++;
            s.lastFactAt = now;
            sessions.put(id, s);
        }
    }

    private void late(TelemetryEvent e, Context ctx) {
        accounting.count(LATE_SESSION_EVENTS_COUNT);
        ctx.output(LATE_SESSION_EVENTS, e);
    }

    private void unmatched(TelemetryEvent e, Context ctx) {
        accounting.count(UNMATCHED_PAYMENTS_COUNT);
        ctx.output(UNMATCHED_PAYMENTS, e);
    }

    private void applyPayment(
            TelemetryEvent e, CreateNewPayment p, long now, Context ctx, List<String> touched)
            throws Exception {
        if (e.requestId == null || e.requestId.isEmpty()) {
            unmatched(e, ctx);
            return;
        }
        SessionState target = null;
        for (SessionState s : sessions.values()) {
            if (target == null
                    || s.firstEventAt < target.firstEventAt
                    || (s.firstEventAt == target.firstEventAt
                            && s.sessionId.compareTo(target.sessionId) < 0)) {
                target = s;
            }
        }
        if (target != null) {
            // The payment only grows the session's counts: no state of its own.
            target.applyPayment(p);
            sessions.put(target.sessionId, target);
            if (!touched.contains(target.sessionId)) {
                touched.add(target.sessionId);
            }
            return;
        }
        if (!tombstones.isEmpty()) {
            late(e, ctx);
            return;
        }
        List<TelemetryEvent> waiting = new ArrayList<>();
        for (TelemetryEvent w : waitingPayments.get()) {
            waiting.add(w);
        }
        if (waiting.size() >= config.maxWaitingPayments()) {
            unmatched(e, ctx);
            return;
        }
        // Cleared when a session opens under this key, or by the timer at the deadline.
        waitingPayments.add(e);
        if (waitingUntil.value() == null) {
            long deadline = Math.max(now, e.eventTime) + config.paymentWait().toMillis();
            waitingUntil.update(deadline);
            ctx.timerService().registerEventTimeTimer(deadline);
        }
    }

    private void attachWaitingPayments(SessionState s, TimerService timers) throws Exception {
        Long deadline = waitingUntil.value();
        if (deadline == null) {
            return;
        }
        for (TelemetryEvent p : waitingPayments.get()) {
            FamilyPayload payload = Families.decode(mapper, p);
            s.applyPayment((CreateNewPayment) payload);
        }
        waitingPayments.clear();
        waitingUntil.clear();
        releaseTimer(deadline, timers);
    }

    /**
     * Keeps one end timer per session: {@code closeGrace} after its close trace once it has one
     * (events up to then still count), else {@code idleTimeout} after its last event.
     */
    private void moveIdleTimer(SessionState s, TimerService timers) throws Exception {
        long at =
                s.isClosed()
                        ? s.closedAt + config.closeGrace().toMillis()
                        : s.lastEventAt + config.idleTimeout().toMillis();
        if (s.idleTimerAt != null && s.idleTimerAt == at) {
            return;
        }
        Long old = s.idleTimerAt;
        s.idleTimerAt = at;
        sessions.put(s.sessionId, s);
        if (old != null) {
            releaseTimer(old, timers);
        }
        timers.registerEventTimeTimer(at);
    }

    /** Deletes the timer at {@code time} unless something else of this key still needs it. */
    private void releaseTimer(long time, TimerService timers) throws Exception {
        if (buffer.contains(time) || time == nullToMin(waitingUntil.value())) {
            return;
        }
        for (SessionState s : sessions.values()) {
            if (s.idleTimerAt != null && s.idleTimerAt == time) {
                return;
            }
        }
        for (Long expiry : tombstones.values()) {
            if (expiry == time) {
                return;
            }
        }
        timers.deleteEventTimeTimer(time);
    }

    private static long nullToMin(Long v) {
        return v == null ? Long.MIN_VALUE : v;
    }
}
