package org.livepeer.naap.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Gaps and duplicates per publisher chain, counted, never hidden. */
class ChainTrackerTest {

    @Test
    void eachChainIsFollowedOnItsOwn() {
        ChainTracker t = new ChainTracker();
        assertThat(t.observe("0xa", "c1", 0L).kind()).isEqualTo(ChainTracker.Kind.FIRST);
        assertThat(t.observe("0xa", "c1", 1L).kind()).isEqualTo(ChainTracker.Kind.IN_ORDER);
        assertThat(t.observe("0xa", "c2", 5L).kind()).isEqualTo(ChainTracker.Kind.FIRST);
        ChainTracker.Verdict gap = t.observe("0xa", "c1", 5L); // 2, 3, 4 never came
        assertThat(gap.kind()).isEqualTo(ChainTracker.Kind.GAP);
        assertThat(gap.missed()).isEqualTo(3);
        assertThat(t.observe("0xa", "c1", 4L).kind()).isEqualTo(ChainTracker.Kind.DUPLICATE);
        assertThat(t.observe("0xa", "c1", 5L).kind()).isEqualTo(ChainTracker.Kind.DUPLICATE);
        assertThat(t.observe("0xa", "c1", 6L).kind()).isEqualTo(ChainTracker.Kind.IN_ORDER);
        assertThat(t.observe(null, "c1", 6L).kind()).isEqualTo(ChainTracker.Kind.UNTRACKED);
        assertThat(t.observe("0xa", "c1", null).kind()).isEqualTo(ChainTracker.Kind.UNTRACKED);
        assertThat(t.gaps()).isEqualTo(1);
        assertThat(t.missed()).isEqualTo(3);
        assertThat(t.duplicates()).isEqualTo(2);
        assertThat(t.chains()).isEqualTo(2);
    }
}
