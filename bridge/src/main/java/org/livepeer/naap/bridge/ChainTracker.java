package org.livepeer.naap.bridge;

import java.util.HashMap;
import java.util.Map;

/**
 * Follows each publisher's message chain ({@code publisherId} x {@code msgChainId}) by its sequence
 * numbers and says what each message is: the first seen of its chain, the next in order, after a
 * gap (how many numbers are missing: messages the bridge never received, e.g. while it was
 * disconnected, since the plugin does not replay), a duplicate (a number already seen), or
 * untracked (no metadata). Counts are kept for the bridge's metrics. Not thread-safe: one MQTT
 * callback thread feeds it.
 *
 * <p>It takes a chain's sequence numbers as counting its messages, as issue 8 describes the
 * plugin's metadata. Streamr orders a chain by (timestamp, sequence number), the number counting
 * messages within one timestamp: to be checked against a real node before the gap counts are relied
 * on.
 */
public final class ChainTracker {
    /** What one message is in its chain. */
    public enum Kind {
        UNTRACKED,
        FIRST,
        IN_ORDER,
        GAP,
        DUPLICATE
    }

    /** The verdict on one message: its kind, and for a gap how many numbers were missed. */
    public record Verdict(Kind kind, long missed) {}

    private final Map<String, Long> last = new HashMap<>();
    private long gaps;
    private long missed;
    private long duplicates;

    public Verdict observe(String publisherId, String msgChainId, Long sequenceNumber) {
        if (publisherId == null || sequenceNumber == null) {
            return new Verdict(Kind.UNTRACKED, 0);
        }
        String chain = publisherId + "|" + (msgChainId == null ? "" : msgChainId);
        Long previous = last.get(chain);
        if (previous == null) {
            last.put(chain, sequenceNumber);
            return new Verdict(Kind.FIRST, 0);
        }
        if (sequenceNumber <= previous) {
            duplicates++;
            return new Verdict(Kind.DUPLICATE, 0);
        }
        last.put(chain, sequenceNumber);
        long gap = sequenceNumber - previous - 1;
        if (gap > 0) {
            gaps++;
            missed += gap;
            return new Verdict(Kind.GAP, gap);
        }
        return new Verdict(Kind.IN_ORDER, 0);
    }

    /** Gaps seen so far (each a run of missing numbers). */
    public long gaps() {
        return gaps;
    }

    /** Messages missing in those gaps. */
    public long missed() {
        return missed;
    }

    public long duplicates() {
        return duplicates;
    }

    /** Chains followed. */
    public int chains() {
        return last.size();
    }
}
