package org.livepeer.naap.workload;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the pipeline must count for the records written, tallied as each record is handed to the
 * sink. A record holding a JSON array (also inside a Streamr wrapper) counts once per element in
 * {@code records_in}; any other record once, also one that is not JSON.
 */
final class Accounting {
    static final String MALFORMED_JSON = "malformed_json";
    static final String TOO_LARGE = "too_large";
    static final String NOT_AN_OBJECT = "not_an_object";
    static final String MISSING_ID = "missing_field:id";
    static final String UNKNOWN_FAMILY = "unknown_family";

    /** The families of EVENTS.md; any other {@code type} is {@code unknown_family}. */
    static final Set<String> FAMILIES =
            Set.of(
                    "stream_trace",
                    "ai_stream_status",
                    "ai_stream_events",
                    "stream_ingest_metrics",
                    "discovery_results",
                    "create_new_payment",
                    "create_signed_ticket",
                    "network_capabilities",
                    "ai_batch_request",
                    "ai_llm_request",
                    "job_gateway",
                    "job_orchestrator",
                    "job_auth",
                    "job_payment",
                    "worker_lifecycle",
                    "node_trace",
                    "worker-connected",
                    "worker-disconnected",
                    "job-received",
                    "job-processed",
                    "ticket-redeemed");

    long records;
    long bytes;
    long recordsIn;
    long accepted;
    long rejected;
    long duplicates;
    long dropped;
    long late;
    long streamrWrapped;
    long firstDelivery = -1;
    long lastDelivery = -1;
    final Map<String, Long> rejectedByReason = new TreeMap<>();
    final Map<String, Long> acceptedByFamily = new TreeMap<>();
    final Map<String, Long> byShape = new TreeMap<>();

    Accounting() {
        for (String s : Event.SHAPE_NAMES) {
            byShape.put(s, 0L);
        }
    }

    static String family(String type) {
        return FAMILIES.contains(type) ? type : UNKNOWN_FAMILY;
    }

    void record(String line, long time) {
        records++;
        bytes += line.length() + 1L;
        if (firstDelivery < 0) {
            firstDelivery = time;
        }
        lastDelivery = time;
    }

    void acceptedEvent(Event e, boolean wrapped) {
        recordsIn++;
        accepted++;
        acceptedByFamily.merge(family(e.type), 1L, Long::sum);
        byShape.merge(Event.SHAPE_NAMES[e.shape], 1L, Long::sum);
        if (wrapped) {
            streamrWrapped++;
        }
    }

    void duplicate(long n) {
        recordsIn += n;
        duplicates += n;
    }

    void rejected(String reason, long n) {
        recordsIn += n;
        rejected += n;
        rejectedByReason.merge(reason, n, Long::sum);
    }

    ObjectNode toJson() {
        ObjectNode n = Json.obj();
        n.put("records", records);
        n.put("records_in", recordsIn);
        n.put("accepted", accepted);
        n.put("rejected", rejected);
        ObjectNode r = n.putObject("rejected_by_reason");
        rejectedByReason.forEach(r::put);
        n.put("duplicates", duplicates);
        ObjectNode f = n.putObject("accepted_by_family");
        acceptedByFamily.forEach(f::put);
        n.put("dropped", dropped);
        n.put("late", late);
        ObjectNode s = n.putObject("by_shape");
        byShape.forEach(s::put);
        n.put("streamr_wrapped", streamrWrapped);
        n.put("bytes", bytes);
        return n;
    }
}
