package org.livepeer.naap.functions.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
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
 * <p>Deterministic: the rows, their revisions and their {@code emitted_at} are a function of the
 * contributions and their times (record timestamps), not of the order in which the four inputs
 * deliver them or of how the watermark advances. A contribution waits in keyed state until the
 * watermark passes its time and is then merged, contributions of one time in a canonical order
 * ({@link #SAME_TIME_ORDER}: double sums do not depend on arrival order).
 *
 * <p>Emission, on a fixed grid of event time: a window's row goes out at its end plus {@code
 * settleMs} (revision 0) with every contribution of that time or before. A contribution of a later
 * time (a session requested in the window that ended later) revises the window at the next point of
 * the grid at or after its time: the window's end plus the settle time plus a whole number of
 * minutes. So a window goes out at most once a minute, each revision with what came in the minute
 * before it, {@code emitted_at} (and the record timestamp) being that grid point. A window is kept
 * until {@code retentionMs} past its end; a contribution whose time is at or past that is dropped
 * and counted ({@code metrics_late_contributions}): a session longer than the retention does not
 * revise the window of its request. The end of a bounded input fires every timer in time order, so
 * it emits and clears what a watermark passing those times would.
 *
 * <p>State: {@code metrics-pending} (contributions by time, until the watermark passes them) and
 * {@code metrics-windows} (one {@link WindowState} per resolution and window start), cleared by the
 * timers at each time and at each window's retention; processing-time TTL of one day behind them.
 */
public class WindowedMetrics extends KeyedProcessFunction<String, MetricsRow, MetricsRow> {
    private static final long serialVersionUID = 1L;

    public static final long MINUTE_MS = 60_000L;
    public static final long HOUR_MS = 3_600_000L;

    /** Accounting names. */
    public static final String LATE_CONTRIBUTIONS = "metrics_late_contributions";

    public static final String ROWS = "metrics_rows";

    /**
     * The order in which contributions of one time are merged: by every support field, so that two
     * contributions it does not order are the same contribution.
     */
    static final Comparator<MetricsRow> SAME_TIME_ORDER =
            Comparator.comparingLong((MetricsRow r) -> r.windowStart)
                    .thenComparing(
                            r -> r.sessionId, Comparator.nullsFirst(Comparator.naturalOrder()))
                    .thenComparingDouble(r -> r.offeredSeconds)
                    .thenComparingDouble(r -> r.busySeconds)
                    .thenComparingDouble(r -> r.usefulSeconds)
                    .thenComparingDouble(r -> r.earnedWei)
                    .thenComparingDouble(r -> r.fpsSum)
                    .thenComparingDouble(r -> r.intervalSum)
                    .thenComparingDouble(r -> r.intervalSumSquares)
                    .thenComparingDouble(r -> r.e2eSum)
                    .thenComparingLong(r -> r.uploadBits)
                    .thenComparingLong(r -> r.downloadBits)
                    .thenComparingLong(r -> r.ingestMs)
                    .thenComparing(
                            r -> r.uploadBpsPeak, Comparator.nullsFirst(Comparator.naturalOrder()))
                    .thenComparing(
                            r -> r.downloadBpsPeak,
                            Comparator.nullsFirst(Comparator.naturalOrder()))
                    .thenComparing(WindowedMetrics::compareCounts)
                    .thenComparing((a, b) -> Arrays.compare(a.ptffSketch, b.ptffSketch))
                    .thenComparing((a, b) -> Arrays.compare(a.startupSketch, b.startupSketch))
                    .thenComparing((a, b) -> Arrays.compare(a.e2eSketch, b.e2eSketch))
                    .thenComparing(
                            (a, b) -> Arrays.compare(a.promptUpdateSketch, b.promptUpdateSketch))
                    .thenComparing((a, b) -> Arrays.compare(a.fpsSketch, b.fpsSketch))
                    .thenComparing(
                            r -> r.activeSessionsMax,
                            Comparator.nullsFirst(Comparator.naturalOrder()))
                    .thenComparing(
                            r -> r.pipeline, Comparator.nullsFirst(Comparator.naturalOrder()))
                    .thenComparing(
                            r -> r.gpuName, Comparator.nullsFirst(Comparator.naturalOrder()));

    private static int compareCounts(MetricsRow a, MetricsRow b) {
        long[] x = counts(a);
        long[] y = counts(b);
        return Arrays.compare(x, y);
    }

    private static long[] counts(MetricsRow r) {
        return new long[] {
            r.requested,
            r.startupSuccess,
            r.excused,
            r.unexcused,
            r.noOrchestrator,
            r.swapped,
            r.outputFailed,
            r.effectiveFailed,
            r.orchestratorLost,
            r.e2eCount,
            r.statusReceived,
            r.statusExpected,
            r.fpsCount,
            r.intervalCount
        };
    }

    /** One window's accumulated support fields and emission state. A POJO. */
    public static class WindowState {
        public MetricsRow acc;

        /** The revision last emitted; -1 before the first emission. */
        public int emitted = -1;

        /** When it was last emitted (its {@code emitted_at}). */
        public long emittedAt;

        /** Changed since it was last emitted. */
        public boolean dirty;

        /** When a dirty window goes out again: a point of the emission grid. */
        public long dueAt;

        /** Minute windows: the sessions with a status sample in it (for active_sessions_max). */
        public List<String> sessions;

        public WindowState() {}

        @Override
        public boolean equals(Object o) {
            return o instanceof WindowState w
                    && emitted == w.emitted
                    && emittedAt == w.emittedAt
                    && dirty == w.dirty
                    && dueAt == w.dueAt
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

    private transient MapState<Long, List<MetricsRow>> pending;
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
        StateTtlConfig ttl =
                StateTtlConfig.newBuilder(Duration.ofDays(1))
                        .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                        .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                        .build();
        MapStateDescriptor<Long, List<MetricsRow>> p =
                new MapStateDescriptor<>(
                        "metrics-pending",
                        Types.LONG,
                        Types.LIST(TypeInformation.of(MetricsRow.class)));
        MapStateDescriptor<String, WindowState> d =
                new MapStateDescriptor<>(
                        "metrics-windows", Types.STRING, TypeInformation.of(WindowState.class));
        p.enableTimeToLive(ttl);
        d.enableTimeToLive(ttl);
        pending = getRuntimeContext().getMapState(p);
        windows = getRuntimeContext().getMapState(d);
        accounting = new Accounting(getRuntimeContext());
    }

    @Override
    public void processElement(MetricsRow c, Context ctx, Collector<MetricsRow> out)
            throws Exception {
        Long stamp = ctx.timestamp();
        long time = stamp != null ? stamp : c.windowStart;
        List<MetricsRow> atTime = pending.get(time);
        if (atTime == null) {
            atTime = new ArrayList<>();
        }
        atTime.add(c);
        // Merged by the timer at this time (one behind the watermark: at the next watermark).
        pending.put(time, atTime);
        ctx.timerService().registerEventTimeTimer(time);
    }

    /** The first point of the emission grid at or after {@code time}. */
    private long gridPointFrom(long time) {
        return time + Math.floorMod(settleMs - time, MINUTE_MS);
    }

    private boolean gridOrRetentionPoint(long time) {
        return Math.floorMod(time - settleMs, MINUTE_MS) == 0
                || Math.floorMod(time - minuteRetentionMs, MINUTE_MS) == 0
                || Math.floorMod(time - hourRetentionMs, MINUTE_MS) == 0;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<MetricsRow> out)
            throws Exception {
        List<MetricsRow> due = pending.get(timestamp);
        if (due != null) {
            pending.remove(timestamp);
            due.sort(SAME_TIME_ORDER);
            for (MetricsRow c : due) {
                add(c, MetricsRow.MINUTE, MINUTE_MS, timestamp, ctx);
                add(c, MetricsRow.HOUR, HOUR_MS, timestamp, ctx);
            }
        }
        if (gridOrRetentionPoint(timestamp)) {
            emitAndExpire(timestamp, out);
        }
    }

    private void add(MetricsRow c, String resolution, long size, long time, OnTimerContext ctx)
            throws Exception {
        long start = Math.floorDiv(c.windowStart, size) * size;
        long end = start + size;
        long retentionMs = retentionOf(size);
        if (end + retentionMs <= time) {
            accounting.count(LATE_CONTRIBUTIONS);
            return;
        }
        String key = resolution + ":" + start;
        WindowState w = windows.get(key);
        if (w == null) {
            w = new WindowState();
            w.acc = c.copy();
            w.acc.resolution = resolution;
            w.acc.windowStart = start;
            w.acc.windowEnd = end;
            // First emitted at its end plus the settle time; cleared at its retention.
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
                // (a contribution is added to its minute before its hour).
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
        if (w.emitted >= 0 && !w.dirty) {
            // Revised at the next grid point: at or after this time, and after the last emission
            // (a contribution merged late, behind the watermark, never revises into the past).
            w.dirty = true;
            w.dueAt = gridPointFrom(Math.max(time, w.emittedAt + 1));
            ctx.timerService().registerEventTimeTimer(w.dueAt);
        }
        windows.put(key, w);
    }

    private void emitAndExpire(long timestamp, Collector<MetricsRow> out) throws Exception {
        List<String> keys = new ArrayList<>();
        for (Map.Entry<String, WindowState> e : windows.entries()) {
            keys.add(e.getKey());
        }
        keys.sort(null);
        for (String key : keys) {
            WindowState w = windows.get(key);
            long size = w.acc.windowEnd - w.acc.windowStart;
            boolean expired = w.acc.windowEnd + retentionOf(size) <= timestamp;
            boolean first = w.emitted < 0 && (w.acc.windowEnd + settleMs <= timestamp || expired);
            boolean revised = w.emitted >= 0 && w.dirty && (w.dueAt <= timestamp || expired);
            if (first || revised) {
                MetricsRow row = w.acc.copy();
                Demand.finish(row);
                row.revision = w.emitted + 1;
                row.emittedAt = timestamp;
                out.collect(row);
                accounting.count(ROWS, "resolution", row.resolution);
                w.emitted = row.revision;
                w.emittedAt = timestamp;
                w.dirty = false;
            }
            if (expired) {
                windows.remove(key);
            } else if (first || revised) {
                windows.put(key, w);
            }
        }
        if (windows.isEmpty()) {
            windows.clear();
        }
    }
}
