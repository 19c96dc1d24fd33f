package org.livepeer.naap.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The hand-made corpus in {@code src/test/resources/corpus/}. */
final class Corpus {
    /** One broken record and the reason the parser must give first. */
    record Broken(String reason, String record) {}

    private Corpus() {}

    static List<String> valid() {
        List<String> out = new ArrayList<>();
        for (String line : lines("/corpus/valid.jsonl")) {
            if (!line.isBlank()) {
                out.add(line);
            }
        }
        return out;
    }

    static List<Broken> broken() {
        List<Broken> out = new ArrayList<>();
        for (String line : lines("/corpus/broken.tsv")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int tab = line.indexOf('\t');
            out.add(new Broken(line.substring(0, tab), line.substring(tab + 1)));
        }
        return out;
    }

    private static List<String> lines(String resource) {
        try (InputStream in = Corpus.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
