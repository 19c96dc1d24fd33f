package org.livepeer.naap.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The real captured events shipped in {@code naap/samples/}. */
final class Samples {
    static final String KAFKA = "/naap/samples/kafka-envelope-events.jsonl";
    static final String SINK = "/naap/samples/hackathon-sink-events.jsonl";

    private Samples() {}

    static List<String> lines(String resource) {
        try (InputStream in = Samples.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            List<String> out = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    out.add(line);
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> all() {
        List<String> out = new ArrayList<>(lines(SINK));
        out.addAll(lines(KAFKA));
        return out;
    }
}
