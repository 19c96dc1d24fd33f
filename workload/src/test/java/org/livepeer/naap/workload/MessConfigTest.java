package org.livepeer.naap.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MessConfigTest {

    @Test
    void noneHasEveryKindOff() {
        for (MessConfig.Kind k : MessConfig.Kind.values()) {
            assertThat(MessConfig.none().rate(k)).isZero();
        }
        assertThat(MessConfig.parse("none")).isEqualTo(MessConfig.none());
        assertThat(MessConfig.none().toSpec()).isEqualTo("none");
    }

    @Test
    void allHasEveryKindAtItsDefaultRate() {
        for (MessConfig.Kind k : MessConfig.Kind.values()) {
            assertThat(MessConfig.all().rate(k)).isEqualTo(k.defaultRate()).isPositive();
        }
        assertThat(MessConfig.parse("all")).isEqualTo(MessConfig.all());
    }

    @Test
    void listTakesDefaultRatesAndExplicitOnes() {
        MessConfig m = MessConfig.parse("drops=0.5, late ,clock-skew=1");
        assertThat(m.rate(MessConfig.Kind.DROPS)).isEqualTo(0.5);
        assertThat(m.rate(MessConfig.Kind.LATE)).isEqualTo(MessConfig.Kind.LATE.defaultRate());
        assertThat(m.rate(MessConfig.Kind.CLOCK_SKEW)).isEqualTo(1.0);
        assertThat(m.rate(MessConfig.Kind.DUPLICATES)).isZero();
        assertThat(MessConfig.parse(m.toSpec())).isEqualTo(m);
    }

    @Test
    void allInsideAListIsOverriddenByLaterKinds() {
        MessConfig m = MessConfig.parse("all,streamr=0,drops=0.1");
        assertThat(m.enabled(MessConfig.Kind.STREAMR)).isFalse();
        assertThat(m.rate(MessConfig.Kind.DROPS)).isEqualTo(0.1);
        assertThat(m.rate(MessConfig.Kind.QUIRKS)).isEqualTo(MessConfig.Kind.QUIRKS.defaultRate());
    }

    @Test
    void unknownKindIsRejectedWithTheValidKinds() {
        assertThatThrownBy(() -> MessConfig.parse("drops,gremlins=0.1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gremlins")
                .hasMessageContaining(
                        "envelopes, streamr, arrays, duplicates, reorder, late, clock_skew, drops,"
                                + " malformed, oversized, non_object, missing_id, unknown_family,"
                                + " quirks");
    }

    @Test
    void rateOutsideZeroToOneIsRejected() {
        assertThatThrownBy(() -> MessConfig.parse("drops=1.5"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("drops");
        assertThatThrownBy(() -> MessConfig.parse("drops=lots"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lots");
    }
}
