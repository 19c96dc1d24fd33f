package org.livepeer.naap.jobs.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.SimpleStreamFormat;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;
import org.livepeer.naap.schemas.RawRecord;

/**
 * Reads a file of events into raw records: JSON Lines (one record a line; blank lines are not
 * records), or, for a file whose name ends in {@code .json}, the whole file as one record (a JSON
 * array of events, or one event). Bytes are kept as they are; the parser judges them.
 *
 * <p>Each record points back at its file ({@code topic}) and line ({@code offset}, 1-based; 1 for a
 * whole file), so a rejection can be found in the input.
 */
public class JsonRecordsFormat extends SimpleStreamFormat<RawRecord> {
    private static final long serialVersionUID = 1L;

    /** The source label of file input. */
    public static final String SOURCE = "file";

    private final String file;
    private final boolean wholeFile;

    public JsonRecordsFormat(String file) {
        this.file = file;
        this.wholeFile = file.endsWith(".json");
    }

    @Override
    public StreamFormat.Reader<RawRecord> createReader(
            Configuration config, FSDataInputStream stream) {
        return new Reader(stream, file, wholeFile, System.currentTimeMillis());
    }

    @Override
    public TypeInformation<RawRecord> getProducedType() {
        return TypeInformation.of(RawRecord.class);
    }

    private static final class Reader implements StreamFormat.Reader<RawRecord> {
        private final InputStream in;
        private final String file;
        private final boolean wholeFile;
        private final long readTime;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream(4096);
        private long lineNumber;
        private boolean done;

        Reader(InputStream in, String file, boolean wholeFile, long readTime) {
            this.in = new java.io.BufferedInputStream(in, 1 << 16);
            this.file = file;
            this.wholeFile = wholeFile;
            this.readTime = readTime;
        }

        @Override
        public RawRecord read() throws IOException {
            while (!done) {
                byte[] bytes = wholeFile ? readAll() : readLine();
                if (bytes != null && !isBlank(bytes)) {
                    return new RawRecord(bytes, SOURCE, file, 0, lineNumber, readTime);
                }
            }
            return null;
        }

        private byte[] readAll() throws IOException {
            done = true;
            lineNumber = 1;
            return in.readAllBytes();
        }

        private byte[] readLine() throws IOException {
            line.reset();
            int b;
            while ((b = in.read()) != -1 && b != '\n') {
                line.write(b);
            }
            if (b == -1) {
                done = true;
                if (line.size() == 0) {
                    return null;
                }
            }
            lineNumber++;
            byte[] bytes = line.toByteArray();
            int end = bytes.length;
            if (end > 0 && bytes[end - 1] == '\r') {
                return java.util.Arrays.copyOf(bytes, end - 1);
            }
            return bytes;
        }

        private static boolean isBlank(byte[] bytes) {
            for (byte b : bytes) {
                if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                    return false;
                }
            }
            return true;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
