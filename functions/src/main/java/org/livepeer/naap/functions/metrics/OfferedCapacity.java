package org.livepeer.naap.functions.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.livepeer.naap.schemas.output.CapabilityRow;
import org.livepeer.naap.schemas.output.MetricsRow;

/**
 * The GPU time each orchestrator offers, for the denominator of {@code cue} and {@code
 * gpu_utilization} (METRICS.md: offered = the slots the orchestrator advertises for a model and
 * GPU, {@code capacity} from {@code network_capabilities}, held until the next snapshot, times the
 * window's seconds).
 *
 * <p>Key: the orchestrator's canonical address. Its snapshots are applied in event-time order once
 * the watermark passes them; each one's slots are held until the orchestrator's next snapshot (from
 * any gateway), at most {@code holdMs}: a snapshot vouches for what an orchestrator offers for one
 * snapshot period or two, not after it stops being listed. The slots of the interval are emitted as
 * {@link MetricsRow#offeredSeconds} contributions, split at minute boundaries, keyed as sessions
 * are attributed: per model, the GPU when the hardware lists exactly one for it, else none (and the
 * model's whole {@code capacity}). The last snapshot before the end of a bounded input offers
 * nothing after it (the input says no more).
 *
 * <p>State: {@code offered-buffer} (snapshots not yet passed by the watermark) and {@code
 * offered-last} (the snapshot being held), cleared by the timers; processing-time TTL of one day
 * behind them.
 */
public class OfferedCapacity
        extends KeyedProcessFunction<String, Attribution.OrchestratorSnapshot, MetricsRow> {
    private static final long serialVersionUID = 1L;

    private final long holdMs;

    private transient MapState<Long, List<Attribution.OrchestratorSnapshot>> buffer;
    private transient ValueState<Attribution.OrchestratorSnapshot> last;

    public OfferedCapacity(long holdMs) {
        this.holdMs = holdMs;
    }

    @Override
    public void open(OpenContext openContext) {
        StateTtlConfig ttl =
                StateTtlConfig.newBuilder(Duration.ofDays(1))
                        .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                        .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                        .build();
        TypeInformation<Attribution.OrchestratorSnapshot> type =
                TypeInformation.of(Attribution.OrchestratorSnapshot.class);
        MapStateDescriptor<Long, List<Attribution.OrchestratorSnapshot>> b =
                new MapStateDescriptor<>("offered-buffer", Types.LONG, Types.LIST(type));
        ValueStateDescriptor<Attribution.OrchestratorSnapshot> l =
                new ValueStateDescriptor<>("offered-last", type);
        b.enableTimeToLive(ttl);
        l.enableTimeToLive(ttl);
        buffer = getRuntimeContext().getMapState(b);
        last = getRuntimeContext().getState(l);
    }

    @Override
    public void processElement(
            Attribution.OrchestratorSnapshot s, Context ctx, Collector<MetricsRow> out)
            throws Exception {
        List<Attribution.OrchestratorSnapshot> held = buffer.get(s.time);
        if (held == null) {
            held = new ArrayList<>();
        }
        held.add(s);
        // Cleared by the timer at this time (a snapshot behind the watermark fires at once).
        buffer.put(s.time, held);
        ctx.timerService().registerEventTimeTimer(s.time);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<MetricsRow> out)
            throws Exception {
        List<Attribution.OrchestratorSnapshot> due = buffer.get(timestamp);
        if (due != null) {
            buffer.remove(timestamp);
            due.sort(Comparator.comparing(s -> s.eventId == null ? "" : s.eventId));
            for (Attribution.OrchestratorSnapshot s : due) {
                Attribution.OrchestratorSnapshot previous = last.value();
                if (previous != null && previous.time <= s.time) {
                    emit(previous, Math.min(s.time, previous.time + holdMs), out);
                }
                if (previous == null || previous.time <= s.time) {
                    last.update(s);
                }
            }
        }
        Attribution.OrchestratorSnapshot held = last.value();
        if (held == null) {
            return;
        }
        if (ctx.timerService().currentWatermark() == Long.MAX_VALUE) {
            if (buffer.isEmpty()) {
                last.clear();
            }
            return;
        }
        long expiry = held.time + holdMs;
        if (timestamp >= expiry) {
            // Not listed again within the hold: it offers nothing more.
            emit(held, expiry, out);
            last.clear();
        } else if (timestamp == held.time) {
            ctx.timerService().registerEventTimeTimer(expiry);
        }
    }

    /** The slots of {@code s} from its time to {@code until}, split at minute boundaries. */
    private void emit(Attribution.OrchestratorSnapshot s, long until, Collector<MetricsRow> out) {
        if (until <= s.time) {
            return;
        }
        for (Map.Entry<String, Offer> e : offers(s).entrySet()) {
            Offer o = e.getValue();
            long from = s.time;
            while (from < until) {
                long minuteEnd =
                        Math.floorDiv(from, WindowedMetrics.MINUTE_MS) * WindowedMetrics.MINUTE_MS
                                + WindowedMetrics.MINUTE_MS;
                long to = Math.min(until, minuteEnd);
                MetricsRow r = new MetricsRow();
                r.scope = MetricsRow.SCOPE_ORCHESTRATOR;
                r.orchestratorAddress = s.address;
                r.pipeline = o.pipeline;
                r.model = o.model;
                r.gpuId = o.gpuId;
                r.gpuName = o.gpuName;
                r.windowStart = from;
                r.offeredSeconds = o.slots * (to - from) / 1000.0;
                out.collect(r);
                // The network roll-up offers what every orchestrator offers.
                MetricsRow n = new MetricsRow();
                n.scope = MetricsRow.SCOPE_NETWORK;
                n.pipeline = o.pipeline;
                n.model = o.model;
                n.windowStart = from;
                n.offeredSeconds = r.offeredSeconds;
                out.collect(n);
                from = to;
            }
        }
    }

    /** What a snapshot offers, per model (and GPU when one): its slots. */
    static Map<String, Offer> offers(Attribution.OrchestratorSnapshot s) {
        Map<String, List<CapabilityRow>> byModel = new TreeMap<>();
        for (CapabilityRow r : s.rows) {
            if (r.model != null && r.capacity != null && r.capacity > 0 && live(r)) {
                byModel.computeIfAbsent(r.model, m -> new ArrayList<>()).add(r);
            }
        }
        Map<String, Offer> out = new TreeMap<>();
        for (Map.Entry<String, List<CapabilityRow>> e : byModel.entrySet()) {
            TreeSet<String> gpus = new TreeSet<>();
            CapabilityRow first = e.getValue().get(0);
            String pipeline = null;
            String gpuName = null;
            for (CapabilityRow r : e.getValue()) {
                if (r.gpuId != null) {
                    gpus.add(r.gpuId);
                    gpuName = r.gpuName;
                }
                if (r.pipeline != null) {
                    pipeline = r.pipeline;
                }
            }
            Offer o = new Offer();
            o.model = e.getKey();
            o.pipeline = pipeline;
            o.slots = first.capacity;
            if (gpus.size() == 1) {
                o.gpuId = gpus.first();
                o.gpuName = gpuName;
            }
            out.put(o.model, o);
        }
        return out;
    }

    /**
     * Whether a row offers live video, the only work the windowed metrics measure: its hardware
     * says a {@code live-} pipeline, or it is under capability {@value #LIVE_VIDEO_TO_VIDEO}
     * (go-livepeer's live-video-to-video) when the hardware says nothing.
     */
    static boolean live(CapabilityRow r) {
        return r.pipeline != null
                ? r.pipeline.startsWith("live-")
                : LIVE_VIDEO_TO_VIDEO.equals(r.capability);
    }

    static final String LIVE_VIDEO_TO_VIDEO = "35";

    /** One model's offer. */
    static final class Offer {
        String model;
        String pipeline;
        String gpuId;
        String gpuName;
        long slots;
    }
}
