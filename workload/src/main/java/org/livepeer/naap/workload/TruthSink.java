package org.livepeer.naap.workload;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Receives the ground truth while a workload is generated. Field names are those of METRICS.md;
 * {@link WorkloadGenerator} documents every file. The methods default to ignoring their input, so a
 * caller implements only what it needs.
 */
public interface TruthSink {
    /** The config, seed and network, first ({@code truth/workload.json}). */
    default void workload(ObjectNode workload) {}

    /** One session, once it can emit nothing more ({@code truth/sessions.jsonl}). */
    default void session(ObjectNode row) {}

    /** One node transition, in simulated time order ({@code truth/nodes.jsonl}). */
    default void node(ObjectNode row) {}

    /** The expected accounting of the whole input, last ({@code truth/expected.json}). */
    default void expected(ObjectNode expected) {}
}
