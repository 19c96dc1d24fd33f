package org.livepeer.naap.functions.liveness;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.livepeer.naap.functions.Accounting;
import org.livepeer.naap.functions.CheckpointedCount;
import org.livepeer.naap.schemas.NodeIds;
import org.livepeer.naap.schemas.output.NodeTransition;

/**
 * The liveness of workers (transcoders and AI runners attached to an orchestrator), which send no
 * periodic signal of their own: their orchestrator reports their {@code worker-connected} and
 * {@code worker-disconnected}. So a worker is never declared down on its own silence: it is {@code
 * DOWN_GRACEFUL} at a disconnect and {@code DOWN_ABRUPT} when its orchestrator is (a worker cannot
 * outlive the process it is attached to), with its own last-seen time and the orchestrator's down
 * time; {@code UP}, {@code RECOVERED} and {@code RESTARTED} as for any node.
 *
 * <p>Key: the orchestrator the worker belongs to ({@link #ownerOf}: {@code orchestrator:<address>}
 * from {@code worker:<address>@<connection>}), so that one orchestrator's down reaches all its
 * workers. Input: worker {@link Heartbeat}s and, from {@link LivenessDetector}'s output, the
 * orchestrators' {@code DOWN_ABRUPT} as {@link #ownerDown} notices.
 *
 * <p>Both are applied in event-time order once the watermark passes them (buffer {@code
 * worker-buffer}, a timer at each time), so a worker that connects after its orchestrator's down is
 * not taken down by it. State: {@code workers}, one {@link WorkerState} per worker id, forgotten
 * {@link LivenessConfig#forgetAfter()} after its last event (a timer at that time); all with the
 * processing-time TTL of {@link LivenessConfig#stateTtl()}. The final watermark clears everything
 * and emits nothing. Operator state: {@code nodes_down}, the subtask's count of workers down behind
 * the gauge of that name ({@link CheckpointedCount}).
 */
public class WorkerLiveness extends KeyedProcessFunction<String, Heartbeat, NodeTransition>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    /** The signal of an {@link #ownerDown} notice. */
    public static final String OWNER_DOWN = "owner_down";

    static final String REASON_ORCHESTRATOR_DOWN = "orchestrator_down";

    private static final Comparator<Heartbeat> SAME_TIME_ORDER =
            Comparator.comparing((Heartbeat h) -> OWNER_DOWN.equals(h.signal) ? 1 : 0)
                    .thenComparing(h -> h.nodeId == null ? "" : h.nodeId)
                    .thenComparing(h -> h.family == null ? "" : h.family)
                    .thenComparing(h -> h.signal == null ? "" : h.signal);

    /** One worker's liveness. A Flink POJO. */
    public static class WorkerState {
        public String status;
        public long lastSeen;
        public long downAt;

        public WorkerState() {}

        boolean up() {
            return NodeTransition.UP.equals(status);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof WorkerState w
                    && lastSeen == w.lastSeen
                    && downAt == w.downAt
                    && Objects.equals(status, w.status);
        }

        @Override
        public int hashCode() {
            return Objects.hash(status, lastSeen, downAt);
        }
    }

    private final LivenessConfig config;

    private transient MapState<Long, List<Heartbeat>> buffer;
    private transient MapState<String, WorkerState> workers;
    private transient Accounting accounting;
    private transient Accounting.Totals totals;
    private transient CheckpointedCount workersDown;

    public WorkerLiveness(LivenessConfig config) {
        this.config = config;
    }

    /** {@code orchestrator:<address>} for a worker id {@code worker:<address>[@<connection>]}. */
    public static String ownerOf(String workerId) {
        String rest = workerId.substring(NodeIds.WORKER.length());
        int at = rest.indexOf('@');
        return NodeIds.ORCHESTRATOR + (at < 0 ? rest : rest.substring(0, at));
    }

    /** A worker heartbeat to its orchestrator's key, a notice to the orchestrator's own. */
    public static KeySelector<Heartbeat, String> keySelector() {
        return h -> OWNER_DOWN.equals(h.signal) ? h.nodeId : ownerOf(h.nodeId);
    }

    /** The input that takes an orchestrator's workers down with it. */
    public static Heartbeat ownerDown(NodeTransition t) {
        Heartbeat h =
                new Heartbeat(
                        t.nodeId, Heartbeat.ORCHESTRATOR, t.at, null, null, null, null, OWNER_DOWN);
        h.ownerLastSeen = t.lastSeen;
        return h;
    }

    @Override
    public void open(OpenContext openContext) {
        StateTtlConfig ttl =
                StateTtlConfig.newBuilder(config.stateTtl())
                        .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                        .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                        .build();
        MapStateDescriptor<Long, List<Heartbeat>> bufferDescriptor =
                new MapStateDescriptor<>(
                        "worker-buffer",
                        Types.LONG,
                        Types.LIST(TypeInformation.of(Heartbeat.class)));
        MapStateDescriptor<String, WorkerState> workersDescriptor =
                new MapStateDescriptor<>(
                        "workers", Types.STRING, TypeInformation.of(WorkerState.class));
        bufferDescriptor.enableTimeToLive(ttl);
        workersDescriptor.enableTimeToLive(ttl);
        buffer = getRuntimeContext().getMapState(bufferDescriptor);
        workers = getRuntimeContext().getMapState(workersDescriptor);
        accounting = new Accounting(getRuntimeContext(), totals);
        accounting.gauge(LivenessDetector.NODES_DOWN, workersDown::get);
    }

    /** The {@code nodes_down} gauge's count of this subtask's workers down, as in the detector. */
    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        totals = Accounting.Totals.restore(context);
        workersDown = CheckpointedCount.restore(context, LivenessDetector.NODES_DOWN);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        totals.snapshot();
        workersDown.snapshot();
    }

    /** Workers this subtask holds as down (the gauge's value). */
    long workersDown() {
        return workersDown.get();
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
            // Cleared by the timer at this time.
            buffer.put(h.eventTime, atTime);
            ctx.timerService().registerEventTimeTimer(h.eventTime);
            return;
        }
        apply(h, ctx, out);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<NodeTransition> out)
            throws Exception {
        List<Heartbeat> due = buffer.get(timestamp);
        if (due != null) {
            buffer.remove(timestamp);
            due.sort(SAME_TIME_ORDER);
            for (Heartbeat h : due) {
                apply(h, ctx, out);
            }
        }
        if (ctx.timerService().currentWatermark() == Long.MAX_VALUE) {
            // The input ended, not the workers: a worker down stays counted down.
            if (buffer.isEmpty()) {
                accounting.count(LivenessDetector.NODES_AT_END);
                workers.clear();
            }
            return;
        }
        long forgetBefore = timestamp - config.forgetAfter().toMillis();
        List<String> gone = new ArrayList<>();
        for (Map.Entry<String, WorkerState> e : workers.entries()) {
            if (e.getValue().lastSeen <= forgetBefore) {
                gone.add(e.getKey());
            }
        }
        for (String id : gone) {
            if (!workers.get(id).up()) {
                workersDown.decrement();
            }
            workers.remove(id);
            accounting.count(LivenessDetector.NODES_FORGOTTEN);
        }
    }

    private void apply(Heartbeat h, Context ctx, Collector<NodeTransition> out) throws Exception {
        if (OWNER_DOWN.equals(h.signal)) {
            List<String> ids = new ArrayList<>();
            for (Map.Entry<String, WorkerState> e : workers.entries()) {
                // A worker heard from after its orchestrator's last sign of life attached to a
                // newer process of it (restarted before its death was found): it stays up.
                boolean newer = h.ownerLastSeen != null && e.getValue().lastSeen > h.ownerLastSeen;
                if (e.getValue().up() && !newer) {
                    ids.add(e.getKey());
                }
            }
            ids.sort(null);
            for (String id : ids) {
                WorkerState w = workers.get(id);
                emit(
                        out,
                        id,
                        NodeTransition.DOWN_ABRUPT,
                        h.eventTime,
                        w.lastSeen,
                        REASON_ORCHESTRATOR_DOWN,
                        new String[0]);
                w.status = NodeTransition.DOWN_ABRUPT;
                w.downAt = h.eventTime;
                workers.put(id, w);
                accounting.count(LivenessDetector.NODES_WENT_DOWN);
                workersDown.increment();
            }
            return;
        }
        long t = h.eventTime;
        String id = h.nodeId;
        WorkerState w = workers.get(id);
        if (w == null) {
            w = new WorkerState();
            w.status = NodeTransition.UP;
            w.lastSeen = t;
            emit(out, id, NodeTransition.UP, t, null, LivenessDetector.REASON_FIRST_SEEN, null);
        } else if (!w.up()) {
            if (t <= w.downAt) {
                accounting.count(LivenessDetector.LATE_HEARTBEATS);
                return;
            }
            emit(
                    out,
                    id,
                    NodeTransition.RECOVERED,
                    t,
                    w.lastSeen,
                    LivenessDetector.REASON_EVENT_AFTER_DOWN,
                    null);
            workersDown.decrement();
            w.status = NodeTransition.UP;
            w.lastSeen = t;
        } else {
            if (h.reset()) {
                emit(
                        out,
                        id,
                        NodeTransition.RESTARTED,
                        t,
                        w.lastSeen,
                        LivenessDetector.REASON_RESET,
                        null);
            }
            if (h.graceful() && t < w.lastSeen) {
                accounting.count(LivenessDetector.LATE_HEARTBEATS);
                return;
            }
            w.lastSeen = Math.max(w.lastSeen, t);
        }
        if (h.graceful()) {
            emit(
                    out,
                    id,
                    NodeTransition.DOWN_GRACEFUL,
                    t,
                    w.lastSeen,
                    h.family == null ? Heartbeat.GRACEFUL : h.family.replace('-', '_'),
                    null);
            w.status = NodeTransition.DOWN_GRACEFUL;
            w.downAt = t;
            accounting.count(LivenessDetector.NODES_WENT_DOWN);
            workersDown.increment();
        }
        workers.put(id, w);
        // Forgets the worker if nothing more comes; a later event registers a later one.
        ctx.timerService().registerEventTimeTimer(w.lastSeen + config.forgetAfter().toMillis());
    }

    private void emit(
            Collector<NodeTransition> out,
            String id,
            String transition,
            long at,
            Long lastSeen,
            String reason,
            String[] activeSessions) {
        NodeTransition t = new NodeTransition();
        t.nodeId = id;
        t.nodeKind = Heartbeat.WORKER;
        t.transition = transition;
        t.at = at;
        t.lastSeen = lastSeen;
        t.activeSessions = activeSessions;
        t.reason = reason;
        accounting.count(LivenessDetector.NODE_TRANSITIONS);
        accounting.count(LivenessDetector.NODE_TRANSITIONS_BY_TYPE, "transition", transition);
        out.collect(t);
    }
}
