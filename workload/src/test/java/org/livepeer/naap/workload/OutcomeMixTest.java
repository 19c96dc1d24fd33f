package org.livepeer.naap.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class OutcomeMixTest {

    @Test
    void defaultMixWeighsEveryOutcome() {
        OutcomeMix m = OutcomeMix.defaults();
        double total = 0;
        for (Outcome o : Outcome.values()) {
            assertThat(m.weight(o)).isPositive();
            total += m.fraction(o);
        }
        assertThat(total).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(OutcomeMix.parse("default")).isEqualTo(m);
    }

    @Test
    void parseReadsWeightsAndLeavesOthersAtZero() {
        OutcomeMix m = OutcomeMix.parse("success=3, left_open=1,no_orchestrators");
        assertThat(m.fraction(Outcome.SUCCESS)).isEqualTo(0.6);
        assertThat(m.fraction(Outcome.LEFT_OPEN)).isEqualTo(0.2);
        assertThat(m.fraction(Outcome.NO_ORCHESTRATORS)).isEqualTo(0.2);
        assertThat(m.weight(Outcome.GATEWAY_SILENT)).isZero();
        assertThat(OutcomeMix.parse(m.toSpec())).isEqualTo(m);
    }

    @Test
    void unknownOutcomeIsRejectedWithTheValidOnes() {
        assertThatThrownBy(() -> OutcomeMix.parse("success=1,meltdown=2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("meltdown")
                .hasMessageContaining("success, no_orchestrators, unexcused_failure");
    }

    @Test
    void weightsMustBeNonNegativeAndNotAllZero() {
        assertThatThrownBy(() -> OutcomeMix.parse("success=-1"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OutcomeMix.parse("success=0"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void stratifiedDrawGivesEachClassItsShareAndAtLeastOne() {
        List<Outcome> drawn = Planner.stratified(OutcomeMix.defaults(), 40);
        assertThat(drawn).hasSize(40).containsAll(List.of(Outcome.values()));
        List<Outcome> many = Planner.stratified(OutcomeMix.defaults(), 1000);
        for (Outcome o : Outcome.values()) {
            long n = many.stream().filter(o::equals).count();
            assertThat((double) n)
                    .isCloseTo(
                            1000 * OutcomeMix.defaults().fraction(o),
                            org.assertj.core.data.Offset.offset(1.0));
        }
    }
}
