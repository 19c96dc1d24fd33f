package org.livepeer.naap.jobs.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Appends each record as one JSON line to a local file: the live outputs of the embedded run
 * ({@code DIR/live/*.jsonl}). Use it with parallelism 1. It is a convenience for one machine, not a
 * delivery guarantee: production live outputs go to Kafka.
 */
public class JsonLinesFileSink<T> implements Sink<T> {
    private static final long serialVersionUID = 1L;

    /** Turns one record into its JSON object. */
    @FunctionalInterface
    public interface Encoder<T> extends Serializable {
        ObjectNode encode(ObjectMapper mapper, T value);
    }

    private final String path;
    private final Encoder<T> encoder;

    public JsonLinesFileSink(Path path, Encoder<T> encoder) {
        this.path = path.toString();
        this.encoder = encoder;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        return new Writer<>(Paths.get(path), encoder);
    }

    private static final class Writer<T> implements SinkWriter<T> {
        private final ObjectMapper mapper = new ObjectMapper();
        private final Encoder<T> encoder;
        private final BufferedWriter out;

        Writer(Path path, Encoder<T> encoder) throws IOException {
            Files.createDirectories(path.toAbsolutePath().getParent());
            this.encoder = encoder;
            this.out =
                    Files.newBufferedWriter(
                            path,
                            StandardCharsets.UTF_8,
                            StandardOpenOption.CREATE,
                            StandardOpenOption.APPEND);
        }

        @Override
        public void write(T element, Context context) throws IOException {
            out.write(mapper.writeValueAsString(encoder.encode(mapper, element)));
            out.write('\n');
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
