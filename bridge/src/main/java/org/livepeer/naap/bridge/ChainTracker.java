package org.livepeer.naap.bridge;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

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
 * counts its own disconnections (while it is away the plugin does not replay) beside these gaps:
 * after one, each chain that goes on is counted once as resumed (whatever its publisher sent
 * meanwhile was not received).
 *
 * <p>A chain is forgotten when it has sent nothing for {@link #FORGET_AFTER_MS} (publishers start a
 * new chain id when they restart), so the map stays as small as the set of live publishers.
 */
public final class ChainTracker {
    /** What one message is in its chain. */
    public enum Kind {
        UNTRACKED,
        FIRST,
        IN_ORDER,
        GAP,
        /** The first message of a chain after the bridge was disconnected. */
        RESUMED,
        DUPLICATE
    }

    /** How long a silent chain is remembered. */
    public static final long FORGET_AFTER_MS = 60 * 60 * 1000L;

    /** The verdict on one message: its kind, and for a gap how many messages were missed. */
    public record Verdict(Kind kind, long missed) {}

    private record Ref(long timestamp, long sequenceNumber, long seenAt, long outages) {}

    private final Map<String, Ref> last = new HashMap<>();
    private final LongSupplier clock;

    /** Disconnections so far; Paho may report one on another thread than the messages'. */
    private volatile long outages;

    private long lastSweep;
    private long resumed;
    private long gaps;
    private long missed;
    private long duplicates;

    public ChainTracker() {
        this(System::currentTimeMillis);
    }

    /** A tracker on the given clock (epoch ms), for tests. */
    ChainTracker(LongSupplier clock) {
        this.clock = clock;
        this.lastSweep = clock.getAsLong();
    }

    /** The bridge lost its connection: every chain's next message is counted as resumed. */
    public void interrupted() {
        outages++;
    }

    public Verdict observe(
            String publisherId, String msgChainId, Long timestamp, Long sequenceNumber) {
        if (publisherId == null || timestamp == null || sequenceNumber == null) {
            return new Verdict(Kind.UNTRACKED, 0);
        }
        long now = clock.getAsLong();
        if (now - lastSweep >= 60_000) {
            lastSweep = now;
            last.values().removeIf(r -> now - r.seenAt >= FORGET_AFTER_MS);
        }
        String chain = publisherId + "|" + (msgChainId == null ? "" : msgChainId);
        Ref ref = new Ref(timestamp, sequenceNumber, now, outages);
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
            last.put(
                    chain,
                    new Ref(previous.timestamp, previous.sequenceNumber, now, previous.outages));
            return new Verdict(Kind.DUPLICATE, 0);
        }
        last.put(chain, ref);
        boolean resumedNow = previous.outages != outages;
        if (resumedNow) {
            resumed++;
        }
        long gap =
                timestamp == previous.timestamp
                        ? sequenceNumber - previous.sequenceNumber - 1
                        : sequenceNumber;
        if (gap > 0) {
            gaps++;
            missed += gap;
            return new Verdict(Kind.GAP, gap);
        }
        return new Verdict(resumedNow ? Kind.RESUMED : Kind.IN_ORDER, 0);
    }

    /** Gaps seen so far (each a run of missing messages). */
    public long gaps() {
        return gaps;
    }

    /** Messages missing in those gaps. */
    public long missed() {
        return missed;
    }

    /** Chains that went on after a disconnection of the bridge. */
    public long resumed() {
        return resumed;
    }

    public long duplicates() {
        return duplicates;
    }

    /** Chains followed. */
    public int chains() {
        return last.size();
    }
}
