package org.livepeer.naap.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The table a local run prints: latest revisions, orchestrator rows only, figures formatted. */
class MetricsTableTest {
    @TempDir Path dir;

    private static String row(int revision, String level, long requested, String failure) {
        return "{\"window_start\":\"2026-01-15T12:00:00Z\",\"aggregation_level\":\""
                + level
                + "\",\"orchestrator_address\":"
                + ("network".equals(level)
                        ? "null"
                        : "\"0xaaaa000000000000000000000000000000000001\"")
                + ",\"pipeline\":\"live-video-to-video\",\"model\":\"streamdiffusion\","
                + "\"gpu_id\":null,\"revision\":"
                + revision
                + ",\"requested\":"
                + requested
                + ",\"failure_rate\":"
                + failure
                + ",\"swap_rate\":0.0,\"ptff_ms_p95\":4661.49}";
    }

    @Test
    void printsTheLatestRevisionOfEachOrchestratorRow() throws Exception {
        Path file = dir.resolve("metrics_1h.jsonl");
        Files.write(
                file,
                List.of(
                        row(0, "orchestrator", 3, "0.0"),
                        row(1, "orchestrator", 4, "0.25"),
                        row(0, "network", 9, "0.5"),
                        // Offered capacity alone, another model: nothing to show.
                        row(0, "orchestrator", 0, "null")
                                .replace("streamdiffusion", "comfyui")
                                .replace("}", ",\"output_fps_mean\":null}")));

        String table = MetricsTable.render(file);

        List<String> lines = table.lines().toList();
        // A title, a header and the one orchestrator row (revision 1: 4 requested, 25 % failed).
        assertThat(lines).hasSize(3);
        assertThat(lines.get(2))
                .contains("2026-01-15 12:00")
                .contains("0xaaaa00000~")
                .contains("streamdiffusion")
                .contains(" 4 ")
                .contains("25.0%")
                .contains("0.0%")
                .contains("4661 ms");
    }

    @Test
    void nothingWithoutTheFile() throws Exception {
        assertThat(MetricsTable.render(dir.resolve("missing.jsonl"))).isEmpty();
    }
}
