package org.livepeer.naap.workload;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkloadDeterminismTest {
    private static final List<String> FILES =
            List.of(
                    "events.jsonl",
                    "truth/sessions.jsonl",
                    "truth/nodes.jsonl",
                    "truth/expected.json",
                    "truth/workload.json");

    @Test
    void sameSeedWritesByteIdenticalFiles(@TempDir Path tmp) throws IOException {
        WorkloadConfig c = WorkloadConfig.embedded();
        WorkloadSummary a = new WorkloadGenerator(c).writeTo(tmp.resolve("a"));
        WorkloadSummary b = new WorkloadGenerator(c).writeTo(tmp.resolve("b"));
        assertThat(b).isEqualTo(a);
        for (String f : FILES) {
            assertThat(Files.readAllBytes(tmp.resolve("b").resolve(f)))
                    .as(f)
                    .isEqualTo(Files.readAllBytes(tmp.resolve("a").resolve(f)));
        }
        assertThat(Files.size(tmp.resolve("a/events.jsonl"))).isEqualTo(a.bytes());
    }

    @Test
    void oneGeneratorRunTwiceGivesTheSameRecords() {
        WorkloadGenerator g = new WorkloadGenerator(WorkloadConfig.embedded());
        StringBuilder first = new StringBuilder();
        StringBuilder second = new StringBuilder();
        g.generate(
                (line, t) -> first.append(t).append(' ').append(line).append('\n'),
                new TruthSink() {});
        g.generate(
                (line, t) -> second.append(t).append(' ').append(line).append('\n'),
                new TruthSink() {});
        assertThat(second.toString()).isEqualTo(first.toString());
    }

    @Test
    void otherSeedGivesOtherEvents(@TempDir Path tmp) throws IOException {
        new WorkloadGenerator(WorkloadConfig.embedded()).writeTo(tmp.resolve("a"));
        new WorkloadGenerator(WorkloadConfig.embedded().withSeed(8)).writeTo(tmp.resolve("b"));
        assertThat(Files.readAllBytes(tmp.resolve("b/events.jsonl")))
                .isNotEqualTo(Files.readAllBytes(tmp.resolve("a/events.jsonl")));
        assertThat(Files.readString(tmp.resolve("b/truth/sessions.jsonl")))
                .isNotEqualTo(Files.readString(tmp.resolve("a/truth/sessions.jsonl")));
    }

    @Test
    void recordsArriveInDeliveryOrderWithinTheSimulatedRun() {
        Generated g = Generated.embedded();
        long prev = Long.MIN_VALUE;
        for (long t : g.times) {
            assertThat(t).isGreaterThanOrEqualTo(prev);
            prev = t;
        }
        assertThat(g.times.get(0)).isGreaterThanOrEqualTo(g.config.startMs());
        // Late samples may still arrive up to 2 minutes after the last emission.
        assertThat(prev).isLessThanOrEqualTo(g.config.endMs() + 125_000);
    }
}
