package org.livepeer.naap.bridge;

import java.util.HashMap;
import java.util.Map;

/**
 * Follows each publisher's message chain ({@code publisherId} x {@code msgChainId}) and says what
 * each message is: the first seen of its chain, the next in order, after a gap, a duplicate (at or
 * before the last one seen: a redelivery, or out of order), or untracked (no metadata). Counts are
 * kept for the bridge's metrics. Not thread-safe: one MQTT callback thread feeds it.
 *
 * <p>Streamr orders a chain by its message reference, (timestamp, sequence number), the sequence
 * number being only a tiebreaker among messages of one chain with the same timestamp (Streamr SDK
 * docs, {@code Message.sequenceNumber}); the plugin's metadata has no reference to the previous
 * message. So a gap is seen only where the numbers show one: within one timestamp a number skipped,
 * or a new timestamp whose first message is not number 0 (the messages before it of that timestamp
 * never came). Messages lost between two timestamps leave no trace in this metadata; the bridge
 * counts its own disconnections (while it is away the plugin does not replay) beside these gaps.
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

    /** The verdict on one message: its kind, and for a gap how many messages were missed. */
    public record Verdict(Kind kind, long missed) {}

    private record Ref(long timestamp, long sequenceNumber) {}

    private final Map<String, Ref> last = new HashMap<>();
    private long gaps;
    private long missed;
    private long duplicates;

    public Verdict observe(
            String publisherId, String msgChainId, Long timestamp, Long sequenceNumber) {
        if (publisherId == null || timestamp == null || sequenceNumber == null) {
            return new Verdict(Kind.UNTRACKED, 0);
        }
        String chain = publisherId + "|" + (msgChainId == null ? "" : msgChainId);
        Ref ref = new Ref(timestamp, sequenceNumber);
        Ref previous = last.get(chain);
        if (previous == null) {
            last.put(chain, ref);
            return new Verdict(Kind.FIRST, 0);
        }
        boolean after =
                timestamp > previous.timestamp
                        || (timestamp == previous.timestamp
                                && sequenceNumber > previous.sequenceNumber);
        if (!after) {
            duplicates++;
            return new Verdict(Kind.DUPLICATE, 0);
        }
        last.put(chain, ref);
        long gap =
                timestamp == previous.timestamp
                        ? sequenceNumber - previous.sequenceNumber - 1
                        : sequenceNumber;
        if (gap > 0) {
            gaps++;
            missed += gap;
            return new Verdict(Kind.GAP, gap);
        }
        return new Verdict(Kind.IN_ORDER, 0);
    }

    /** Gaps seen so far (each a run of missing messages). */
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
