package org.livepeer.naap.functions;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.livepeer.naap.schemas.TelemetryEvent;

/**
 * The one place event-time watermarks are defined. They are assigned right after parsing (raw bytes
 * have no time): bounded out-of-orderness on the event's own normalized time, with idleness so that
 * a quiet input split does not hold the watermark back.
 */
public final class EventTimeWatermarks {
    private EventTimeWatermarks() {}

    public static WatermarkStrategy<TelemetryEvent> strategy(
            Duration outOfOrderness, Duration idleness) {
        WatermarkStrategy<TelemetryEvent> strategy =
                WatermarkStrategy.<TelemetryEvent>forBoundedOutOfOrderness(outOfOrderness)
                        .withTimestampAssigner((event, previous) -> event.eventTime);
        return idleness.isZero() ? strategy : strategy.withIdleness(idleness);
    }
}
