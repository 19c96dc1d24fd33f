package org.livepeer.naap.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/** Prometheus' text exposition format, written by hand. */
class MetricsTest {
    @Test
    void countersLabelsAndGaugesInTheTextFormat() {
        Metrics m = new Metrics();
        LongAdder in = m.counter("x_in_total", "Messages in.");
        Metrics.Labeled by = m.labeled("x_out_total", "Messages out.", "topic");
        long[] kept = {7};
        m.counter("x_kept_total", "Kept elsewhere.", () -> kept[0]);
        m.gauge("x_depth", "Depth.", () -> 2.5);
        in.add(3);
        by.increment("b");
        by.increment("a\"q");
        by.increment("b");
        assertThat(by.total()).isEqualTo(3);
        assertThat(m.prometheus())
                .isEqualTo(
                        "# HELP x_in_total Messages in.\n"
                                + "# TYPE x_in_total counter\n"
                                + "x_in_total 3\n"
                                + "# HELP x_out_total Messages out.\n"
                                + "# TYPE x_out_total counter\n"
                                + "x_out_total{topic=\"a\\\"q\"} 1\n"
                                + "x_out_total{topic=\"b\"} 2\n"
                                + "# HELP x_kept_total Kept elsewhere.\n"
                                + "# TYPE x_kept_total counter\n"
                                + "x_kept_total 7\n"
                                + "# HELP x_depth Depth.\n"
                                + "# TYPE x_depth gauge\n"
                                + "x_depth 2.5\n");
    }
}
