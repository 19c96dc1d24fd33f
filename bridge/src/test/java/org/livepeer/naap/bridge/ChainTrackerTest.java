package org.livepeer.naap.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Gaps and duplicates per publisher chain, by Streamr's message reference (timestamp, then the
 * sequence number that orders messages of one timestamp), counted, never hidden.
 */
class ChainTrackerTest {

    @Test
    void eachChainIsFollowedByItsMessageReferences() {
        ChainTracker t = new ChainTracker();
        assertThat(t.observe("0xa", "c1", 1000L, 0L).kind()).isEqualTo(ChainTracker.Kind.FIRST);
        assertThat(t.observe("0xa", "c1", 1000L, 1L).kind()).isEqualTo(ChainTracker.Kind.IN_ORDER);
        assertThat(t.observe("0xa", "c1", 1005L, 0L).kind()).isEqualTo(ChainTracker.Kind.IN_ORDER);
        assertThat(t.observe("0xa", "c2", 1000L, 0L).kind()).isEqualTo(ChainTracker.Kind.FIRST);

        // Within one timestamp, numbers 1 and 2 never came.
        ChainTracker.Verdict skipped = t.observe("0xa", "c1", 1005L, 3L);
        assertThat(skipped.kind()).isEqualTo(ChainTracker.Kind.GAP);
        assertThat(skipped.missed()).isEqualTo(2);
        // A new timestamp that starts at number 2: its numbers 0 and 1 never came.
        ChainTracker.Verdict late = t.observe("0xa", "c1", 1010L, 2L);
        assertThat(late.kind()).isEqualTo(ChainTracker.Kind.GAP);
        assertThat(late.missed()).isEqualTo(2);

        // A redelivery, and an older message after a newer one.
        assertThat(t.observe("0xa", "c1", 1010L, 2L).kind()).isEqualTo(ChainTracker.Kind.DUPLICATE);
        assertThat(t.observe("0xa", "c1", 1005L, 1L).kind()).isEqualTo(ChainTracker.Kind.DUPLICATE);
        assertThat(t.observe("0xa", "c1", 1011L, 0L).kind()).isEqualTo(ChainTracker.Kind.IN_ORDER);

        assertThat(t.observe(null, "c1", 1L, 0L).kind()).isEqualTo(ChainTracker.Kind.UNTRACKED);
        assertThat(t.observe("0xa", "c1", null, 0L).kind()).isEqualTo(ChainTracker.Kind.UNTRACKED);
        assertThat(t.gaps()).isEqualTo(2);
        assertThat(t.missed()).isEqualTo(4);
        assertThat(t.duplicates()).isEqualTo(2);
        assertThat(t.chains()).isEqualTo(2);
    }

    @Test
    void aDisconnectionIsCountedOncePerChainThatGoesOn() {
        long[] now = {0};
        ChainTracker t = new ChainTracker(() -> now[0]);
        t.observe("0xa", "c1", 1000L, 0L);
        t.observe("0xb", "c1", 1000L, 0L);
        t.interrupted();
        assertThat(t.observe("0xa", "c1", 9000L, 0L).kind()).isEqualTo(ChainTracker.Kind.RESUMED);
        assertThat(t.observe("0xa", "c1", 9001L, 0L).kind()).isEqualTo(ChainTracker.Kind.IN_ORDER);
        // A gap shown by the numbers is still a gap, and the chain is resumed as well.
        assertThat(t.observe("0xb", "c1", 9000L, 4L).kind()).isEqualTo(ChainTracker.Kind.GAP);
        assertThat(t.resumed()).isEqualTo(2);
        assertThat(t.gaps()).isEqualTo(1);
    }

    @Test
    void silentChainsAreForgotten() {
        long[] now = {0};
        ChainTracker t = new ChainTracker(() -> now[0]);
        t.observe("0xa", "c1", 1000L, 0L);
        now[0] = ChainTracker.FORGET_AFTER_MS / 2;
        t.observe("0xb", "c1", 1000L, 0L);
        now[0] = ChainTracker.FORGET_AFTER_MS;
        t.observe("0xb", "c1", 1001L, 0L);
        assertThat(t.chains()).isEqualTo(1);
        now[0] = ChainTracker.FORGET_AFTER_MS * 3;
        assertThat(t.observe("0xc", "c9", 5L, 0L).kind()).isEqualTo(ChainTracker.Kind.FIRST);
        assertThat(t.chains()).isEqualTo(1);
    }
}
