package org.livepeer.naap.workload;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What really happened to one simulated session: the classes of {@link OutcomeMix}. The wire name
 * is the {@code outcome} of {@code truth/sessions.jsonl}.
 */
public enum Outcome {
    /** Normal start, streams, closes with {@code gateway_ingest_stream_closed}. */
    SUCCESS("success"),
    /** Requested, then {@code gateway_no_orchestrators_available}, closed. */
    NO_ORCHESTRATORS("no_orchestrators"),
    /** Requested, errors that are not excusable, never playable, closed. */
    UNEXCUSED_FAILURE("unexcused_failure"),
    /** Requested, only errors holding an excusable text (METRICS.md), never playable, closed. */
    EXCUSABLE_FAILURE("excusable_failure"),
    /** Playable, but every status sample is {@code LOADING}. */
    LOADING_ONLY("loading_only"),
    /** Playable, status {@code ONLINE} but inference fps 0 in every sample. */
    ZERO_OUTPUT_FPS("zero_output_fps"),
    /** An {@code orchestrator_swap} trace, then a second orchestrator serves the stream. */
    CONFIRMED_SWAP("confirmed_swap"),
    /** The orchestrator changes with no swap trace. */
    INFERRED_SWAP("inferred_swap"),
    /** Prompt updates mid-stream: {@code params_update} events and status params changes. */
    PROMPT_UPDATES("prompt_updates"),
    /** The orchestrator dies abruptly mid-session: everything about it stops, no close. */
    ORCHESTRATOR_DIES("orchestrator_dies"),
    /** The gateway goes silent mid-session: every event it emits stops, no close. */
    GATEWAY_SILENT("gateway_silent"),
    /** Still streaming when the simulation ends: no close. */
    LEFT_OPEN("left_open");

    private final String wireName;

    Outcome(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in configuration strings and in the truth files. */
    public String wireName() {
        return wireName;
    }

    /**
     * The outcome of a wire name.
     *
     * @throws IllegalArgumentException naming the valid outcomes, for any other name
     */
    public static Outcome fromWireName(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (Outcome o : values()) {
            if (o.wireName.equals(n)) {
                return o;
            }
        }
        throw new IllegalArgumentException(
                "unknown outcome '" + name + "'; valid outcomes: " + validNames());
    }

    static String validNames() {
        return Arrays.stream(values()).map(Outcome::wireName).collect(Collectors.joining(", "));
    }
}
