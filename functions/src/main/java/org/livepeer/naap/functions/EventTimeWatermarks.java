package org.livepeer.naap.functions;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.livepeer.naap.schemas.TelemetryEvent;

/**
 * The one place event-time watermarks are defined. They are assigned right after parsing (raw bytes
 * have no time): bounded out-of-orderness on the event's own normalized time, with idleness so that
 * a quiet input split does not hold the watermark back.
 *
 * <p>The watermark advances with the events, not only with the wall clock: each time the newest
 * event time moves the watermark on by {@link #STEP_MS} or more, it is emitted at once (and
 * periodically as usual). Flink's periodic-only generator moves event time every 200 ms of
 * processing time, so a file read in a second would see time stand still and then jump to the end;
 * with this one the same ordered input always gives the same watermarks, hence the same timeouts,
 * the same late events and the same results, however fast it is read.
 *
 * <p>On a bounded input (files, replays) an event whose time the parser clamped ({@code
 * timeClamped}: it was further in the future of its ingest time than allowed) does not move event
 * time. Its time is then its record's ingest time, which for a file is the moment it was read, not
 * anything the data says: one event from the year 3000 in a replayed file would otherwise push
 * event time to the day of the replay, make every later event late and time every session and node
 * out at once. On a live input the ingest time is the arrival time, which event time follows
 * anyway, so there a clamped event counts like any other.
 */
public final class EventTimeWatermarks {
    /** Event-time granularity of the watermarks emitted as events arrive. */
    public static final long STEP_MS = 1_000;

    private EventTimeWatermarks() {}

    public static WatermarkStrategy<TelemetryEvent> strategy(
            Duration outOfOrderness, Duration idleness) {
        return strategy(outOfOrderness, idleness, null);
    }

    /**
     * @param silenceGrace null for bounded inputs; for live inputs, how long a split may receive
     *     nothing before its watermark follows the wall clock (then idleness is not used)
     */
    public static WatermarkStrategy<TelemetryEvent> strategy(
            Duration outOfOrderness, Duration idleness, Duration silenceGrace) {
        long bound = outOfOrderness.toMillis();
        if (silenceGrace != null) {
            long grace = silenceGrace.toMillis();
            return WatermarkStrategy.<TelemetryEvent>forGenerator(
                            context ->
                                    new EagerBoundedOutOfOrderness<>(
                                            bound, STEP_MS, grace, System::currentTimeMillis))
                    .withTimestampAssigner((event, previous) -> event.eventTime);
        }
        WatermarkStrategy<TelemetryEvent> strategy =
                WatermarkStrategy.<TelemetryEvent>forGenerator(
                                context ->
                                        new EagerBoundedOutOfOrderness<TelemetryEvent>(
                                                bound, STEP_MS, -1, null, e -> !e.timeClamped))
                        .withTimestampAssigner((event, previous) -> event.eventTime);
        return idleness.isZero() ? strategy : strategy.withIdleness(idleness);
    }

    /**
     * Bounded out-of-orderness whose watermark ({@code newest event time - bound - 1}) is emitted
     * as soon as it has moved by {@code step}, and on every periodic emit when it has moved at all.
     * Events that {@code movesTime} refuses are not looked at.
     */
    static final class EagerBoundedOutOfOrderness<T> implements WatermarkGenerator<T> {
        /** A wall clock, replaceable in tests. */
        interface Clock extends java.io.Serializable {
            long now();
        }

        /** Whether an event's time may move event time. */
        interface MovesTime<T> extends java.io.Serializable {
            boolean test(T event);
        }

        private final long bound;
        private final long step;
        private final long silenceGrace;
        private final Clock clock;
        private final MovesTime<T> movesTime;
        private long newest;
        private long emitted = Long.MIN_VALUE;
        private long lastArrival;
        private boolean seenAny;
        private long started = Long.MIN_VALUE;

        EagerBoundedOutOfOrderness(long bound, long step) {
            this(bound, step, -1, null);
        }

        EagerBoundedOutOfOrderness(long bound, long step, long silenceGrace, Clock clock) {
            this(bound, step, silenceGrace, clock, null);
        }

        /**
         * @param movesTime null to let every event move event time
         */
        EagerBoundedOutOfOrderness(
                long bound, long step, long silenceGrace, Clock clock, MovesTime<T> movesTime) {
            this.bound = bound;
            this.step = step;
            this.silenceGrace = silenceGrace;
            this.clock = clock;
            this.movesTime = movesTime;
            this.newest = Long.MIN_VALUE + bound + 1;
        }

        @Override
        public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
            if (movesTime != null && !movesTime.test(event)) {
                return;
            }
            newest = Math.max(newest, eventTimestamp);
            seenAny = true;
            if (clock != null) {
                lastArrival = clock.now();
            }
            long watermark = newest - bound - 1;
            if (emitted == Long.MIN_VALUE || watermark - emitted >= step) {
                emit(watermark, output);
            }
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            if (clock != null && !seenAny) {
                // A split that has never had an event has no time of its own to run on: after
                // the grace it stops holding the others back, until its first event.
                if (started == Long.MIN_VALUE) {
                    started = clock.now();
                } else if (clock.now() - started > silenceGrace) {
                    output.markIdle();
                }
                return;
            }
            long watermark = newest - bound - 1;
            if (clock != null && seenAny) {
                long silence = clock.now() - lastArrival;
                if (silence > silenceGrace) {
                    watermark = Math.max(watermark, newest + silence - silenceGrace);
                }
            }
            if (watermark > emitted) {
                emit(watermark, output);
            }
        }

        private void emit(long watermark, WatermarkOutput output) {
            emitted = watermark;
            output.emitWatermark(new Watermark(watermark));
        }
    }
}
