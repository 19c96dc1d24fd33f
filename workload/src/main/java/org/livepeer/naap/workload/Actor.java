package org.livepeer.naap.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * Something that emits events lazily in time order: a session, or one periodic stream of a node.
 * The generator merges all actors through a priority queue ordered by {@link #peek()} and then by
 * creation order, so that the merge is deterministic.
 */
abstract class Actor {
    static final long DONE = Long.MAX_VALUE;

    long order;

    /** {@link #peek()} as of the last {@link #refresh()}: the priority queue's key. */
    long time;

    /** Caches {@link #peek()} in {@link #time}; the generator calls it before queueing. */
    long refresh() {
        time = peek();
        return time;
    }

    /** The time of the next event, or {@link #DONE}. Stable until {@link #take()}. */
    abstract long peek();

    /** The next event (null when the step emits nothing); advances. */
    abstract Event take();

    /** Called once when {@link #peek()} has become {@link #DONE}. */
    void finish() {}

    /** An event every {@code interval} ms (plus jitter) from {@code first} until {@code end}. */
    static final class Periodic extends Actor {
        private final long interval;
        private final long jitter;
        private final long end;
        private final SplittableRandom rng;
        private final LongFunction<Event> make;
        private long next;

        Periodic(
                long first,
                long interval,
                long jitter,
                long end,
                SplittableRandom rng,
                LongFunction<Event> make) {
            this.next = first;
            this.interval = interval;
            this.jitter = jitter;
            this.end = end;
            this.rng = rng;
            this.make = make;
        }

        @Override
        long peek() {
            return next < end ? next : DONE;
        }

        @Override
        Event take() {
            long t = next;
            next += interval + (jitter > 0 ? rng.nextLong(-jitter, jitter + 1) : 0);
            return make.apply(t);
        }
    }

    /** Events at exponential gaps of mean {@code meanGap} ms. */
    static final class Poisson extends Actor {
        private final double meanGap;
        private final long end;
        private final SplittableRandom rng;
        private final LongFunction<Event> make;
        private long next;

        Poisson(
                long start,
                double meanGap,
                long end,
                SplittableRandom rng,
                LongFunction<Event> make) {
            this.meanGap = meanGap;
            this.end = end;
            this.rng = rng;
            this.make = make;
            this.next = start + gap();
        }

        private long gap() {
            return 1 + (long) (-Math.log(1 - rng.nextDouble()) * meanGap);
        }

        @Override
        long peek() {
            return next < end ? next : DONE;
        }

        @Override
        Event take() {
            long t = next;
            next += gap();
            return make.apply(t);
        }
    }

    /** A fixed, small list of timed event makers (resets, connects, markers), sorted on build. */
    static final class Timeline extends Actor {
        private record Item(long at, Supplier<Event> make) {}

        private final List<Item> items = new ArrayList<>();
        private int next;
        private boolean sorted;

        Timeline add(long at, Supplier<Event> make) {
            items.add(new Item(at, make));
            sorted = false;
            return this;
        }

        boolean isEmpty() {
            return items.isEmpty();
        }

        private void sort() {
            if (!sorted) {
                items.sort((a, b) -> Long.compare(a.at, b.at));
                sorted = true;
            }
        }

        @Override
        long peek() {
            sort();
            return next < items.size() ? items.get(next).at : DONE;
        }

        @Override
        Event take() {
            sort();
            return items.get(next++).make.get();
        }
    }
}
