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
}
