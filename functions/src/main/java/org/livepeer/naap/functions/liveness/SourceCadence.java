package org.livepeer.naap.functions.liveness;

import java.util.Arrays;
import java.util.Objects;

/**
 * The learned cadence of one heartbeat source of one node (state of {@link LivenessDetector}): its
 * last event time and its last {@link #SIZE} positive gaps in a ring. The typical gap is their
 * lower quartile (the second smallest of five): a source is periodic, and the gaps it shows are its
 * period, multiples of it where samples were lost on the way (an event without its gateway, a
 * dropped batch), and now and then a short one from a burst. The lower quartile is the period
 * despite up to three lost samples in five gaps and one burst, where the median would double with
 * two losses and an EWMA would be dragged by both; a ring of five keeps the state fixed and small
 * and forgets an old cadence after five gaps.
 */
public class SourceCadence {
    static final int SIZE = 5;

    /**
     * One gap is enough: a gap too short to be the real cadence (two events of a burst) only gives
     * the minimum timeout, which is the floor anyway.
     */
    static final int MIN_GAPS = 1;

    public long last;
    public long[] gaps = new long[SIZE];
    public int count;
    public int next;

    public SourceCadence() {}

    SourceCadence(long first) {
        this.last = first;
    }

    /**
     * Takes an event at {@code t}: a gap when it is later than the last one. A repeat of the last
     * time (a burst) and an earlier time (out of order) add no gap and never move {@link #last}
     * back.
     */
    void observe(long t) {
        if (t <= last) {
            return;
        }
        gaps[next] = t - last;
        next = (next + 1) % SIZE;
        count = Math.min(count + 1, SIZE);
        last = t;
    }

    boolean learned() {
        return count >= MIN_GAPS;
    }

    /** The lower quartile of the gaps held: the second smallest of five, else the smallest. */
    long typicalGap() {
        long[] held = Arrays.copyOf(gaps, count);
        Arrays.sort(held);
        return held[(count - 1) / 4];
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof SourceCadence)) {
            return false;
        }
        SourceCadence s = (SourceCadence) o;
        return last == s.last && count == s.count && next == s.next && Arrays.equals(gaps, s.gaps);
    }

    @Override
    public int hashCode() {
        return Objects.hash(last, count, next, Arrays.hashCode(gaps));
    }

    @Override
    public String toString() {
        return "SourceCadence{last="
                + last
                + " gaps="
                + Arrays.toString(Arrays.copyOf(gaps, count))
                + "}";
    }
}
