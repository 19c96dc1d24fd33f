package org.livepeer.naap.workload;

/** Receives the input records in delivery order, each a JSON Lines line (without its newline). */
@FunctionalInterface
public interface RecordSink {
    /**
     * @param line the record's text
     * @param deliveryTimeMs when it reaches the pipeline, epoch ms of simulated time
     *     (non-decreasing)
     */
    void accept(String line, long deliveryTimeMs);
}
