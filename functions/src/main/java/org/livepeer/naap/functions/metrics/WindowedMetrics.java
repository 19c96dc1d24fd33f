package org.livepeer.naap.functions.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.livepeer.naap.functions.Accounting;
import org.livepeer.naap.schemas.output.MetricsRow;

/**
 * Tumbling event-time windows of one minute and one hour over metric contributions ({@link
 * Demand#contributions}), keyed by {@link Demand#keyOf} (orchestrator x pipeline x model x GPU, or
 * the network roll-up per pipeline and model).
 *
 * <p>Both resolutions are computed directly from the contributions; since every figure comes from
 * additive support fields, an hour's row equals the merge of its sixty minutes' rows (tested).
 *
 * <p>Emission: a window's row goes out when the watermark passes its end plus {@code settleMs}
 * (revision 0). A contribution that arrives after that (a session requested in the window that
 * ended later) updates the window and re-emits it with the next revision at the next watermark. A
 * window is kept until {@code retentionMs} past its end; a contribution older than that is dropped
 * and counted ({@code metrics_late_contributions}): a session longer than the retention does not
 * revise the window of its request. The end of a bounded input emits every pending window and
 * clears the state.
 *
 * <p>State: {@code metrics-windows}, one {@link WindowState} per resolution and window start,
 * removed by the timer at its retention (processing-time TTL of one day behind it).
 */
public class WindowedMetrics extends KeyedProcessFunction<String, MetricsRow, MetricsRow> {
    private static final long serialVersionUID = 1L;

    public static final long MINUTE_MS = 60_000L;
    public static final long HOUR_MS = 3_600_000L;

    /** Accounting names. */
    public static final String LATE_CONTRIBUTIONS = "metrics_late_contributions";

    public static final String ROWS = "metrics_rows";

    /** One window's accumulated support fields and emission state. A POJO. */
    public static class WindowState {
        public MetricsRow acc;

        /** The revision last emitted; -1 before the first emission. */
        public int emitted = -1;

        /** Changed since it was last emitted. */
        public boolean dirty;

        /** Minute windows: the sessions with a status sample in it (for active_sessions_max). */
        public List<String> sessions;

        public WindowState() {}

        @Override
        public boolean equals(Object o) {
            return o instanceof WindowState w
                    && emitted == w.emitted
                    && dirty == w.dirty
                    && Objects.equals(acc, w.acc)
                    && Objects.equals(sessions, w.sessions);
        }

        @Override
        public int hashCode() {
            return Objects.hash(acc, emitted, dirty);
        }
    }

    private final long settleMs;
    private final long minuteRetentionMs;
    private final long hourRetentionMs;

    private transient MapState<String, WindowState> windows;
    private transient Accounting accounting;

    /**
     * @param settleMs how long after its end a window first goes out
     * @param minuteRetentionMs how long after its end a minute window takes late sessions
     * @param hourRetentionMs how long after its end an hour window takes late sessions
     */
    public WindowedMetrics(long settleMs, long minuteRetentionMs, long hourRetentionMs) {
        this.settleMs = settleMs;
        this.minuteRetentionMs = minuteRetentionMs;
        this.hourRetentionMs = hourRetentionMs;
    }

    private long retentionOf(long size) {
        return size == HOUR_MS ? hourRetentionMs : minuteRetentionMs;
    }

    @Override
    public void open(OpenContext openContext) {
        MapStateDescriptor<String, WindowState> d =
                new MapStateDescriptor<>(
                        "metrics-windows", Types.STRING, TypeInformation.of(WindowState.class));
        d.enableTimeToLive(
                StateTtlConfig.newBuilder(java.time.Duration.ofDays(1))
                        .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                        .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                        .build());
        windows = getRuntimeContext().getMapState(d);
        accounting = new Accounting(getRuntimeContext());
    }

    @Override
    public void processElement(MetricsRow c, Context ctx, Collector<MetricsRow> out)
            throws Exception {
        long watermark = ctx.timerService().currentWatermark();
        add(c, MetricsRow.MINUTE, MINUTE_MS, watermark, ctx);
        add(c, MetricsRow.HOUR, HOUR_MS, watermark, ctx);
    }

    private void add(MetricsRow c, String resolution, long size, long watermark, Context ctx)
            throws Exception {
        long start = Math.floorDiv(c.windowStart, size) * size;
        long end = start + size;
        String key = resolution + ":" + start;
        long retentionMs = retentionOf(size);
        WindowState w = windows.get(key);
        if (w == null) {
            if (end + retentionMs <= watermark) {
                accounting.count(LATE_CONTRIBUTIONS);
                return;
            }
            w = new WindowState();
            w.acc = c.copy();
            w.acc.resolution = resolution;
            w.acc.windowStart = start;
            w.acc.windowEnd = end;
            // Cleared at its retention; first emitted at its end plus the settle time.
            ctx.timerService().registerEventTimeTimer(end + settleMs);
            ctx.timerService().registerEventTimeTimer(end + retentionMs);
        } else {
            Demand.merge(w.acc, c);
        }
        w.acc.sessionId = null;
        if (c.sessionId != null) {
            if (size == MINUTE_MS) {
                if (w.sessions == null) {
                    w.sessions = new ArrayList<>();
                }
                if (!w.sessions.contains(c.sessionId)) {
                    w.sessions.add(c.sessionId);
                }
                w.acc.activeSessionsMax = (long) w.sessions.size();
            } else {
                // The hour's is the most of its minutes', the minute just updated among them
                // (processElement adds a contribution to its minute before its hour).
                WindowState minute =
                        windows.get(
                                MetricsRow.MINUTE
                                        + ":"
                                        + Math.floorDiv(c.windowStart, MINUTE_MS) * MINUTE_MS);
                long count = minute == null || minute.sessions == null ? 0 : minute.sessions.size();
                w.acc.activeSessionsMax =
                        w.acc.activeSessionsMax == null
                                ? count
                                : Math.max(w.acc.activeSessionsMax, count);
            }
        }
        if (w.emitted >= 0) {
            w.dirty = true;
            // Re-emitted at the next watermark. Right after a restore the operator has no
            // watermark yet (Long.MIN_VALUE: Flink does not checkpoint watermarks), and a timer
            // just past it would stamp the revision (its emitted_at, its record timestamp) with
            // Long.MIN_VALUE + 1, which a Kafka sink refuses, failing every restart the same way.
            // The window first went out at its end plus the settle time: no revision before that.
            ctx.timerService()
                    .registerEventTimeTimer(Math.max(watermark, w.acc.windowEnd + settleMs) + 1);
        }
        windows.put(key, w);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<MetricsRow> out)
            throws Exception {
        boolean ended = ctx.timerService().currentWatermark() == Long.MAX_VALUE;
        List<String> keys = new ArrayList<>();
        for (Map.Entry<String, WindowState> e : windows.entries()) {
            keys.add(e.getKey());
        }
        keys.sort(null);
        for (String key : keys) {
            WindowState w = windows.get(key);
            boolean due = w.acc.windowEnd + settleMs <= timestamp || ended;
            if ((w.emitted < 0 && due) || (w.emitted >= 0 && w.dirty)) {
                MetricsRow row = w.acc.copy();
                Demand.finish(row);
                row.revision = w.emitted + 1;
                row.emittedAt = timestamp;
                out.collect(row);
                accounting.count(ROWS, "resolution", row.resolution);
                w.emitted = row.revision;
                w.dirty = false;
            }
            long size = w.acc.windowEnd - w.acc.windowStart;
            if (ended || w.acc.windowEnd + retentionOf(size) <= timestamp) {
                windows.remove(key);
            } else {
                windows.put(key, w);
            }
        }
        if (windows.isEmpty()) {
            windows.clear();
        }
    }
}
