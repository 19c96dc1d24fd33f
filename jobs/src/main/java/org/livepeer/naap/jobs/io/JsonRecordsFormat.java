package org.livepeer.naap.jobs.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
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

    /**
     * Splits the stream into lines over its own buffer: one bulk read per 64 KiB instead of a
     * synchronized call per byte.
     */
    private static final class Reader implements StreamFormat.Reader<RawRecord> {
        private final InputStream in;
        private final String file;
        private final boolean wholeFile;
        private final long readTime;
        private final byte[] buffer = new byte[1 << 16];
        private int position;
        private int limit;
        private final ByteArrayOutputStream carry = new ByteArrayOutputStream(4096);
        private long lineNumber;
        private boolean done;

        Reader(InputStream in, String file, boolean wholeFile, long readTime) {
            this.in = in;
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

        /** The next line without its end ({@code \n} or {@code \r\n}); null at the end. */
        private byte[] readLine() throws IOException {
            carry.reset();
            while (true) {
                if (position == limit) {
                    limit = in.read(buffer, 0, buffer.length);
                    position = 0;
                    if (limit <= 0) {
                        limit = 0;
                        done = true;
                        if (carry.size() == 0) {
                            return null;
                        }
                        lineNumber++;
                        return stripCr(carry.toByteArray());
                    }
                }
                for (int i = position; i < limit; i++) {
                    if (buffer[i] == '\n') {
                        byte[] line;
                        if (carry.size() == 0) {
                            line = Arrays.copyOfRange(buffer, position, i);
                        } else {
                            carry.write(buffer, position, i - position);
                            line = carry.toByteArray();
                        }
                        position = i + 1;
                        lineNumber++;
                        return stripCr(line);
                    }
                }
                carry.write(buffer, position, limit - position);
                position = limit;
            }
        }

        private static byte[] stripCr(byte[] line) {
            int end = line.length;
            return end > 0 && line[end - 1] == '\r' ? Arrays.copyOf(line, end - 1) : line;
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
