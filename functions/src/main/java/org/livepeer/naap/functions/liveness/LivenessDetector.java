package org.livepeer.naap.functions.liveness;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.livepeer.naap.functions.Accounting;
import org.livepeer.naap.functions.CheckpointedCount;
import org.livepeer.naap.schemas.Family;
import org.livepeer.naap.schemas.output.NodeTransition;

/**
 * Detects nodes that die without a word, from their silence (METRICS.md, "Node liveness and abrupt
 * shutdown").
 *
 * <p>Key: the node id ({@link Heartbeat#nodeId}). Input: gateway {@link Heartbeat}s from {@link
 * Heartbeats}, and orchestrator heartbeats and notices resolved by {@link OrchestratorIdentity}
 * (workers have their own {@link WorkerLiveness}).
 *
 * <p>Cadence: learned per heartbeat source ({@link Heartbeat#source}: a family, and the gateway
 * that relayed it), as the lower quartile of the source's last five positive gaps ({@link
 * SourceCadence}). Per source, not per node: several gateways each send an orchestrator's
 * capabilities every 60 s at their own phase, and a busy orchestrator's status samples come every
 * second or so; the gaps of the merged stream say nothing of how long the node can normally stay
 * silent (two snapshots 1 s apart then 59 s of quiet), nor of how long it stays silent once its
 * sessions end. The deadline ({@link #deadline}) is recomputed over the node's few sources at each
 * heartbeat: the status cadence, confirmed by the next snapshots, while an orchestrator runs
 * sessions; otherwise the latest of every source's {@code last + timeout}. A {@code RESTARTED} node
 * learns afresh.
 *
 * <p>Workers fed here directly (not in the job, which uses {@link WorkerLiveness}) are never
 * declared down on silence: they go {@code DOWN_GRACEFUL} on {@code worker-disconnected}, and are
 * forgotten silently after {@code forgetAfter} without an event.
 *
 * <p>State, per key, all with a processing-time TTL of {@link LivenessConfig#stateTtl()} behind the
 * timers: {@code liveness-node}, a {@link NodeLiveness} (status, last seen, deadline, the pending
 * timer); {@code liveness-sources}, a {@link SourceCadence} per source; {@code liveness-sessions},
 * each session id that named the node and when it last did (negated once it ended, so that a
 * straggler after its close does not make it active again). After a down only {@code liveness-node}
 * is kept (what {@code RECOVERED} needs), until {@code forgetAfter} after the last event, when it
 * is cleared too. Operator state: {@code nodes_down}, the subtask's count of nodes down behind the
 * gauge of that name ({@link CheckpointedCount}).
 *
 * <p>Timers (event time): exactly one pending, its time held in {@link NodeLiveness#timerAt} and
 * deleted before a new one is set: when up, at the deadline, where it emits {@code DOWN_ABRUPT};
 * when down (or for a worker, always), at {@code lastSeen + forgetAfter}, where it clears the key.
 * When the final watermark ({@code Long.MAX_VALUE}) fires a timer the input has ended, which is not
 * silence: the key is cleared and nothing is emitted.
 *
 * <p>Output: {@link NodeTransition}s, each once: {@code UP} at the first heartbeat, {@code
 * DOWN_ABRUPT} at the deadline (with last seen, the silence allowed, and the sessions that named
 * the node within {@code activeSessionWindow} before its last event), {@code DOWN_GRACEFUL} at a
 * graceful signal, {@code RECOVERED} at the first heartbeat after a down, {@code RESTARTED} at a
 * reset signal while up (a first-seen or recovering reset gives {@code UP} or {@code RECOVERED}).
 * Counted in {@code node_transitions} and {@code node_transitions_by_type.<transition>}.
 *
 * <p>Late data: heartbeats may come out of order; {@code lastSeen} and each source's last time take
 * the maximum and never move back. While down, a heartbeat at or before the down's time cannot undo
 * a transition already emitted: it is dropped and counted in {@code liveness_late_heartbeats}, as
 * is a graceful signal older than the node's last event (a later event has already superseded it).
 */
public class LivenessDetector extends KeyedProcessFunction<String, Heartbeat, NodeTransition>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    /** Accounting names (metrics and accumulators). */
    public static final String NODE_TRANSITIONS = "node_transitions";

    public static final String NODE_TRANSITIONS_BY_TYPE = "node_transitions_by_type";

    /** Counts every down transition (a sum; the level is the {@link #NODES_DOWN} gauge). */
    public static final String NODES_WENT_DOWN = "nodes_went_down";

    /**
     * Gauge (and the name of its operator state): nodes this subtask holds as down right now, from
     * their down until they recover or are forgotten ({@code forgetAfter}); the end of a bounded
     * input leaves it as the input left it.
     */
    public static final String NODES_DOWN = "nodes_down";

    public static final String LATE_HEARTBEATS = "liveness_late_heartbeats";
    public static final String NODES_FORGOTTEN = "liveness_nodes_forgotten";
    public static final String NODES_AT_END = "liveness_nodes_at_end";
    public static final String ALIASES_RESOLVED = "liveness_aliases_resolved";

    private static final String STATUS_SOURCE = Family.AI_STREAM_STATUS.wireName();
    private static final String CAPABILITIES_SOURCE = Family.NETWORK_CAPABILITIES.wireName();
    private static final String DISCOVERY_SOURCE = Family.DISCOVERY_RESULTS.wireName();

    static final String REASON_FIRST_SEEN = "first_seen";
    static final String REASON_SILENT = "silent";
    static final String REASON_EVENT_AFTER_DOWN = "event_after_down";
    static final String REASON_RESET = "node_trace_reset";

    private final LivenessConfig config;

    /** Heartbeats of one time apply in a fixed order, so arrival order never changes a result. */
    private static final Comparator<Heartbeat> SAME_TIME_ORDER =
            Comparator.comparing((Heartbeat h) -> h.source == null ? "" : h.source)
                    .thenComparing(h -> h.family == null ? "" : h.family)
                    .thenComparing(h -> h.signal == null ? "" : h.signal)
                    .thenComparing(h -> h.sessionId == null ? "" : h.sessionId);

    private transient MapState<Long, List<Heartbeat>> buffer;
    private transient ValueState<NodeLiveness> node;
    private transient MapState<String, SourceCadence> sources;
    private transient MapState<String, Long> sessions;
    private transient Accounting accounting;
    private transient Accounting.Totals totals;
    private transient CheckpointedCount nodesDown;

    public LivenessDetector(LivenessConfig config) {
        this.config = config;
    }

    public LivenessDetector() {
        this(LivenessConfig.defaults());
    }

    @Override
    public void open(OpenContext openContext) {
        StateTtlConfig ttl =
                StateTtlConfig.newBuilder(config.stateTtl())
                        .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                        .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                        .build();
        ValueStateDescriptor<NodeLiveness> nodeDescriptor =
                new ValueStateDescriptor<>("liveness-node", TypeInformation.of(NodeLiveness.class));
        MapStateDescriptor<String, SourceCadence> sourcesDescriptor =
                new MapStateDescriptor<>(
                        "liveness-sources", Types.STRING, TypeInformation.of(SourceCadence.class));
        MapStateDescriptor<String, Long> sessionsDescriptor =
                new MapStateDescriptor<>("liveness-sessions", Types.STRING, Types.LONG);
        nodeDescriptor.enableTimeToLive(ttl);
        sourcesDescriptor.enableTimeToLive(ttl);
        sessionsDescriptor.enableTimeToLive(ttl);
        MapStateDescriptor<Long, List<Heartbeat>> bufferDescriptor =
                new MapStateDescriptor<>(
                        "liveness-buffer",
                        Types.LONG,
                        Types.LIST(TypeInformation.of(Heartbeat.class)));
        bufferDescriptor.enableTimeToLive(ttl);
        buffer = getRuntimeContext().getMapState(bufferDescriptor);
        node = getRuntimeContext().getState(nodeDescriptor);
        sources = getRuntimeContext().getMapState(sourcesDescriptor);
        sessions = getRuntimeContext().getMapState(sessionsDescriptor);
        accounting = new Accounting(getRuntimeContext(), totals);
        accounting.gauge(NODES_DOWN, nodesDown::get);
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        totals = Accounting.Totals.restore(context);
        nodesDown = CheckpointedCount.restore(context, NODES_DOWN);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        totals.snapshot();
        nodesDown.snapshot();
    }

    /** Nodes this subtask holds as down (the gauge's value). */
    long nodesDown() {
        return nodesDown.get();
    }

    @Override
    public void processElement(Heartbeat h, Context ctx, Collector<NodeTransition> out)
            throws Exception {
        if (h.eventTime > ctx.timerService().currentWatermark()) {
            List<Heartbeat> atTime = buffer.get(h.eventTime);
            if (atTime == null) {
                atTime = new ArrayList<>();
            }
            atTime.add(h);
            // Cleared by the timer at this time, which applies the heartbeats in time order.
            buffer.put(h.eventTime, atTime);
            ctx.timerService().registerEventTimeTimer(h.eventTime);
            return;
        }
        apply(h, ctx.timerService(), ctx.getCurrentKey(), out);
    }

    /** Applies one heartbeat: in event-time order from the buffer, or at once when behind. */
    private void apply(Heartbeat h, TimerService timers, String id, Collector<NodeTransition> out)
            throws Exception {
        if (!h.alive()) {
            applyNotice(h, timers);
            return;
        }
        long t = h.eventTime;
        NodeLiveness n = node.value();
        if (n == null) {
            n = new NodeLiveness();
            n.nodeKind = h.nodeKind;
            n.status = NodeTransition.UP;
            n.lastSeen = t;
            n.prunedAt = t;
            emit(out, id, n.nodeKind, NodeTransition.UP, t, null, null, null, REASON_FIRST_SEEN);
        } else if (!n.up()) {
            if (t <= n.downAt) {
                accounting.count(LATE_HEARTBEATS);
                return;
            }
            emit(out, id, n, NodeTransition.RECOVERED, t, null, null, REASON_EVENT_AFTER_DOWN);
            nodesDown.decrement();
            n.status = NodeTransition.UP;
            n.lastSeen = t;
            n.prunedAt = t;
        } else {
            if (h.reset()) {
                emit(out, id, n, NodeTransition.RESTARTED, t, null, null, REASON_RESET);
                // A new process: its cadence is learned afresh, as after a recovery.
                sources.clear();
            }
            if (h.graceful() && t < n.lastSeen) {
                accounting.count(LATE_HEARTBEATS);
                return;
            }
            n.lastSeen = Math.max(n.lastSeen, t);
        }

        if (h.graceful()) {
            emit(out, id, n, NodeTransition.DOWN_GRACEFUL, t, null, null, gracefulReason(h));
            goDown(n, NodeTransition.DOWN_GRACEFUL, t, timers);
            return;
        }
        if (silenceMonitored(n)) {
            learn(h);
            if (h.sessionId != null) {
                Long seen = sessions.get(h.sessionId);
                // A negative time marks a session that ended: a straggler does not revive it.
                if (seen == null || (seen >= 0 && seen < t)) {
                    sessions.put(h.sessionId, t);
                }
            }
            prune(n);
            checkBy(n, n.lastSeen + config.minTimeout().toMillis(), timers);
        } else {
            reschedule(n, n.lastSeen + config.forgetAfter().toMillis(), timers);
        }
        node.update(n);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<NodeTransition> out)
            throws Exception {
        List<Heartbeat> due = buffer.get(timestamp);
        if (due != null) {
            buffer.remove(timestamp);
            due.sort(SAME_TIME_ORDER);
            for (Heartbeat h : due) {
                apply(h, ctx.timerService(), ctx.getCurrentKey(), out);
            }
        }
        NodeLiveness n = node.value();
        if (n == null || n.timerAt != timestamp) {
            return;
        }
        if (ctx.timerService().currentWatermark() == Long.MAX_VALUE) {
            if (!buffer.isEmpty()) {
                // Later heartbeats are still to be applied: the node was not silent; the timer
                // they set clears the key.
                return;
            }
            // The input ended, not the node: a node down stays counted down.
            accounting.count(NODES_AT_END);
            clearAll();
            return;
        }
        if (n.up() && silenceMonitored(n)) {
            long deadline = deadline(n);
            if (deadline > timestamp) {
                // Heard from since the check was set: check again at the deadline.
                n.deadline = deadline;
                n.timerAt = 0;
                reschedule(n, deadline, ctx.timerService());
                node.update(n);
                return;
            }
            emit(
                    out,
                    ctx.getCurrentKey(),
                    n,
                    NodeTransition.DOWN_ABRUPT,
                    timestamp,
                    timestamp - n.lastSeen,
                    activeSessions(n.lastSeen),
                    REASON_SILENT);
            n.timerAt = 0;
            goDown(n, NodeTransition.DOWN_ABRUPT, timestamp, ctx.timerService());
            return;
        }
        accounting.count(NODES_FORGOTTEN);
        if (!n.up()) {
            nodesDown.decrement();
        }
        clearAll();
    }

    private boolean silenceMonitored(NodeLiveness n) {
        return !Heartbeat.WORKER.equals(n.nodeKind);
    }

    /**
     * A notice that is not a sign of life: a session left the node ({@link Heartbeat#SESSION_END}),
     * so it is no longer expected on that session's status cadence; or the node id was a stand-in
     * now resolved to a canonical one ({@link Heartbeat#ALIAS_RESOLVED}), so its state goes without
     * a transition.
     */
    private void applyNotice(Heartbeat h, TimerService timers) throws Exception {
        NodeLiveness n = node.value();
        if (n == null) {
            return;
        }
        if (h.aliasResolved()) {
            if (n.timerAt != 0 && !bufferedAt(n.timerAt)) {
                timers.deleteEventTimeTimer(n.timerAt);
            }
            accounting.count(ALIASES_RESOLVED);
            if (!n.up()) {
                nodesDown.decrement();
            }
            clearAll();
            return;
        }
        if (!n.up() || h.sessionId == null || !silenceMonitored(n)) {
            return;
        }
        // Ending a session can only move the deadline later: the pending check stands.
        sessions.put(h.sessionId, -h.eventTime);
        node.update(n);
    }

    /** Adds the heartbeat to its source's cadence. */
    private void learn(Heartbeat h) throws Exception {
        String key = h.source == null ? "" : h.source;
        SourceCadence s = sources.get(key);
        if (s == null) {
            s = new SourceCadence(h.eventTime);
        } else {
            s.observe(h.eventTime);
        }
        sources.put(key, s);
    }

    /**
     * When the node is declared down if nothing more comes (METRICS.md: "a node with active
     * sessions is expected every status cadence, an idle orchestrator every capabilities cadence").
     *
     * <p>While an orchestrator runs sessions (a session named it within {@code activeSessionWindow}
     * before its last event, and has not ended) and its status samples are on time, it is expected
     * on the status cadence: the latest {@code last + timeout} of its status sources (one per
     * relaying gateway; until a source has a gap, {@code last + minTimeout}), confirmed by its
     * snapshots: not before every gateway that relays its {@code network_capabilities} is due to
     * have sent the next one ({@code last + gap + gap / 4} each, the quarter for jitter; the gap of
     * a source seen once is {@code initialTimeout / factor}; snapshots that reached the job without
     * their gateway mix relays at irregular gaps, and count only when no relay is known). Streams
     * can stop without a close (the trace lost on the way, their gateway gone silent) while the
     * orchestrator lives; a live one shows up in the next snapshot, which finds its status samples
     * overdue and puts it back on its snapshot cadence, while a dead one is found about one
     * snapshot period after its last sign of life: within the session tracker's idle timeout plus
     * its verdict wait, so its streams end as {@code orchestrator_lost}.
     *
     * <p>Otherwise (gateways always: they send their own {@code discovery_results} and {@code
     * network_capabilities} whatever their traffic) every source counts and the node is down only
     * when all are overdue: the latest {@code last + max(minTimeout, factor x typical gap)} over
     * them, {@code last + initialTimeout} for a snapshot source seen once (a gateway that has sent
     * one so far), and {@code lastSeen + initialTimeout} while no source has a gap yet, so a node
     * heard from several gateways at their own phases, or from an irregular source such as {@code
     * job-processed}, or whose streams ended, is not declared down while any of its periodic
     * signals may still be due. Expecting a gateway on its fastest snapshot alone declared live
     * gateways down whenever two discovery results in a row reached the job without their gateway
     * (Open Pool envelopes carry none). Never before {@code lastSeen + minTimeout}.
     *
     * <p>Limit: an orchestrator that no gateway lists in its snapshots is expected on the status
     * cadence alone, so a stream of it that stops without a close declares it down until its next
     * heartbeat.
     */
    private long deadline(NodeLiveness n) throws Exception {
        long floor = n.lastSeen + config.minTimeout().toMillis();
        long all = floor;
        // Status samples that reached the job without their gateway mix relays at irregular gaps
        // too: they count only when no relay's samples are on time.
        long statusRelayed = Long.MIN_VALUE;
        long statusUnrelayed = Long.MIN_VALUE;
        // The next snapshot due from each gateway that relays the node's, and from those that came
        // without their gateway (a mix of relays, so irregular): counted only when no relay is.
        long nextRelayed = Long.MIN_VALUE;
        boolean learnedAny = false;
        long nextUnrelayed = Long.MIN_VALUE;
        for (Map.Entry<String, SourceCadence> e : sources.entries()) {
            SourceCadence s = e.getValue();
            long due;
            learnedAny |= s.learned();
            if (s.learned()) {
                due = s.last + config.timeoutFor(s.typicalGap());
                if (isSnapshot(e.getKey())) {
                    long gap = Math.min(s.typicalGap(), config.slowestPeriod());
                    if (relayed(e.getKey())) {
                        nextRelayed = Math.max(nextRelayed, s.last + gap + gap / 4);
                    } else {
                        nextUnrelayed = Math.max(nextUnrelayed, s.last + gap + gap / 4);
                    }
                }
            } else if (isSnapshot(e.getKey())) {
                due = s.last + config.initialTimeout().toMillis();
                // Seen once: its period is not known yet; the initial timeout is three periods
                // of the slowest snapshot.
                long gap = config.slowestPeriod();
                if (relayed(e.getKey())) {
                    nextRelayed = Math.max(nextRelayed, s.last + gap + gap / 4);
                } else {
                    nextUnrelayed = Math.max(nextUnrelayed, s.last + gap + gap / 4);
                }
            } else {
                due = s.last + config.minTimeout().toMillis();
            }
            if (isStatus(e.getKey()) && onTime(s, n.lastSeen)) {
                if (relayed(e.getKey())) {
                    statusRelayed = Math.max(statusRelayed, due);
                } else {
                    statusUnrelayed = Math.max(statusUnrelayed, due);
                }
            }
            all = Math.max(all, due);
        }
        if (!learnedAny) {
            // Nothing periodic known of it yet (a reset, a first job): three slowest periods.
            all = Math.max(all, n.lastSeen + config.initialTimeout().toMillis());
        }
        boolean orchestrator = Heartbeat.ORCHESTRATOR.equals(n.nodeKind);
        long status = statusRelayed != Long.MIN_VALUE ? statusRelayed : statusUnrelayed;
        if (orchestrator && status != Long.MIN_VALUE && hasActiveSession(n.lastSeen)) {
            long confirm = nextRelayed != Long.MIN_VALUE ? nextRelayed : nextUnrelayed;
            return Math.max(floor, Math.max(status, confirm));
        }
        return all;
    }

    /**
     * A source is on time while the node's latest sign of life is within two of its gaps (until it
     * has one, {@code minTimeout}) of its last event. A node heard from otherwise after its status
     * samples stopped is alive, and its streams stopped for another reason (their gateway went
     * silent, or they ended without a close).
     */
    private boolean onTime(SourceCadence s, long lastSeen) {
        long slack = s.learned() ? 2 * s.typicalGap() : config.minTimeout().toMillis();
        return lastSeen <= s.last + slack;
    }

    /** A family a gateway sends on a timer whatever the traffic (its snapshots of the network). */
    private static boolean isSnapshot(String source) {
        return source.startsWith(CAPABILITIES_SOURCE) || source.startsWith(DISCOVERY_SOURCE);
    }

    /** A source of events a gateway relayed about the node ({@code family@gateway:...}). */
    private static boolean relayed(String source) {
        return source.indexOf('@') >= 0;
    }

    private static boolean isStatus(String source) {
        return source.startsWith(STATUS_SOURCE);
    }

    private boolean hasActiveSession(long lastSeen) throws Exception {
        long activeFrom = lastSeen - config.activeSessionWindow().toMillis();
        for (Long namedAt : sessions.values()) {
            if (namedAt >= activeFrom) {
                return true;
            }
        }
        return false;
    }

    /**
     * Drops sessions that no longer count as active and sources silent for {@code forgetAfter},
     * once per {@code activeSessionWindow} of the node's time: without it a long-lived node would
     * hold every session it ever served, and every gateway that ever relayed it.
     */
    private void prune(NodeLiveness n) throws Exception {
        long window = config.activeSessionWindow().toMillis();
        if (n.lastSeen - n.prunedAt < window) {
            return;
        }
        n.prunedAt = n.lastSeen;
        long activeFrom = n.lastSeen - window;
        Iterator<Map.Entry<String, Long>> it = sessions.iterator();
        while (it.hasNext()) {
            if (Math.abs(it.next().getValue()) < activeFrom) {
                it.remove();
            }
        }
        long staleBefore = n.lastSeen - config.forgetAfter().toMillis();
        Iterator<Map.Entry<String, SourceCadence>> st = sources.iterator();
        while (st.hasNext()) {
            if (st.next().getValue().last < staleBefore) {
                st.remove();
            }
        }
    }

    private String[] activeSessions(long lastSeen) throws Exception {
        long activeFrom = lastSeen - config.activeSessionWindow().toMillis();
        List<String> active = new ArrayList<>();
        for (Map.Entry<String, Long> e : sessions.entries()) {
            if (e.getValue() >= activeFrom) {
                active.add(e.getKey());
            }
        }
        active.sort(null);
        return active.toArray(new String[0]);
    }

    /**
     * After a down only the node record is kept, until {@code forgetAfter} past its last event; the
     * cadence is learned afresh after a recovery (a restarted node may keep a different pace).
     */
    private void goDown(NodeLiveness n, String status, long at, TimerService timers)
            throws Exception {
        n.status = status;
        n.downAt = at;
        sources.clear();
        sessions.clear();
        reschedule(n, Math.max(n.lastSeen + config.forgetAfter().toMillis(), at), timers);
        node.update(n);
        accounting.count(NODES_WENT_DOWN);
        nodesDown.increment();
    }

    /**
     * Makes sure the node is checked no later than {@code at}, its earliest possible deadline. The
     * deadline itself is computed only when the check fires (over the node's sources and sessions
     * as they are then), so a busy node's heartbeat costs no iteration and usually no timer change:
     * its pending check stays until it fires, finds the node heard from, and sets the next one.
     */
    private void checkBy(NodeLiveness n, long at, TimerService timers) {
        if (n.timerAt == 0 || n.timerAt > at) {
            reschedule(n, at, timers);
        }
    }

    private void reschedule(NodeLiveness n, long at, TimerService timers) {
        if (n.timerAt == at) {
            return;
        }
        if (n.timerAt != 0 && !bufferedAt(n.timerAt)) {
            timers.deleteEventTimeTimer(n.timerAt);
        }
        n.timerAt = at;
        timers.registerEventTimeTimer(at);
    }

    private boolean bufferedAt(long time) {
        try {
            return buffer.contains(time);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the heartbeat buffer", e);
        }
    }

    private void clearAll() {
        buffer.clear();
        node.clear();
        sources.clear();
        sessions.clear();
    }

    private static String gracefulReason(Heartbeat h) {
        return h.family == null ? Heartbeat.GRACEFUL : h.family.replace('-', '_');
    }

    private void emit(
            Collector<NodeTransition> out,
            String id,
            NodeLiveness n,
            String transition,
            long at,
            Long timeoutMs,
            String[] activeSessions,
            String reason) {
        emit(out, id, n.nodeKind, transition, at, n.lastSeen, timeoutMs, activeSessions, reason);
    }

    private void emit(
            Collector<NodeTransition> out,
            String id,
            String kind,
            String transition,
            long at,
            Long lastSeen,
            Long timeoutMs,
            String[] activeSessions,
            String reason) {
        NodeTransition t = new NodeTransition();
        t.nodeId = id;
        t.nodeKind = kind;
        t.transition = transition;
        t.at = at;
        t.lastSeen = lastSeen;
        t.timeoutMs = timeoutMs;
        t.activeSessions = activeSessions;
        t.reason = reason;
        accounting.count(NODE_TRANSITIONS);
        accounting.count(NODE_TRANSITIONS_BY_TYPE, "transition", transition);
        out.collect(t);
    }
}
