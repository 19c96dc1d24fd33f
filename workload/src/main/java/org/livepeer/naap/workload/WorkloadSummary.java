package org.livepeer.naap.workload;

import java.util.Map;

/**
 * The counts of one generated workload: those of {@code truth/expected.json} and a few more.
 *
 * @param records lines written
 * @param recordsIn input units as the pipeline counts them (array elements one each)
 * @param accepted distinct valid events, unknown families included
 * @param rejected input units the pipeline must reject
 * @param rejectedByReason rejections by reason class
 * @param duplicates extra copies of accepted events
 * @param acceptedByFamily accepted events by envelope type ({@code unknown_family} for others)
 * @param dropped events the producers dropped (never written)
 * @param late events delivered 30 to 120 s late
 * @param byShape accepted events by envelope shape
 * @param streamrWrapped accepted events that came inside a Streamr wrapper
 * @param sessions sessions simulated
 * @param outcomes sessions by realized outcome
 * @param nodeTransitions rows of {@code truth/nodes.jsonl}
 * @param bytes size of the records, newlines included
 * @param firstDeliveryMs delivery time of the first record (-1 when none)
 * @param lastDeliveryMs delivery time of the last record (-1 when none)
 */
public record WorkloadSummary(
        long records,
        long recordsIn,
        long accepted,
        long rejected,
        Map<String, Long> rejectedByReason,
        long duplicates,
        Map<String, Long> acceptedByFamily,
        long dropped,
        long late,
        Map<String, Long> byShape,
        long streamrWrapped,
        long sessions,
        Map<String, Long> outcomes,
        long nodeTransitions,
        long bytes,
        long firstDeliveryMs,
        long lastDeliveryMs) {

    public WorkloadSummary {
        rejectedByReason = Map.copyOf(rejectedByReason);
        acceptedByFamily = Map.copyOf(acceptedByFamily);
        byShape = Map.copyOf(byShape);
        outcomes = Map.copyOf(outcomes);
    }

    /** {@code records_in = accepted + rejected + duplicates}, as the pipeline must find it. */
    public boolean balanced() {
        return recordsIn == accepted + rejected + duplicates;
    }
}
