package org.livepeer.naap.workload;

import java.util.SplittableRandom;

/**
 * Bernoulli choices at a rate from its own random stream. With {@code forceEarly}, it also fires on
 * one of the first {@code min(200, 1/rate)} items, so that a rare kind shows even in a small run
 * (the count is then at most one above the Bernoulli draw).
 */
final class Sampler {
    private final double rate;
    private final SplittableRandom rng;
    private final long forcedAt;
    private long n;
    private long hits;

    Sampler(double rate, SplittableRandom rng, boolean forceEarly) {
        this.rate = rate;
        this.rng = rng;
        this.forcedAt =
                forceEarly && rate > 0
                        ? rng.nextLong(Math.max(1L, Math.min(200L, (long) Math.ceil(1 / rate))))
                        : -1;
    }

    boolean next() {
        if (rate <= 0) {
            return false;
        }
        long i = n++;
        boolean hit = rng.nextDouble() < rate || i == forcedAt;
        if (hit) {
            hits++;
        }
        return hit;
    }

    /** Items offered so far (none counted while the rate is 0). */
    long seen() {
        return n;
    }

    /** Items chosen so far. */
    long hits() {
        return hits;
    }

    SplittableRandom rng() {
        return rng;
    }
}
