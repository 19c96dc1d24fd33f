package org.livepeer.naap.bridge;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.TRUNCATE_EXISTING;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * The bridge's on-disk write-ahead spool: every message is appended here before it is sent, so that
 * nothing is lost while Kafka is down, when the bridge crashes, or on a clean shutdown. The MQTT
 * callback thread appends (a buffered write and one write syscall, never an fsync, so it does not
 * block for long); the sender thread polls entries in order and acks each one when Kafka has
 * acknowledged it, from the producer's callback thread, possibly out of order. Delivery is at least
 * once: what was not acked before a crash or restart is read again, so Kafka may see duplicates,
 * never a loss.
 *
 * <p>On disk: segment files named by the first sequence they hold ({@code
 * 00000000000000000042.spool}), rolled at {@code segmentBytes} (an entry larger than that gets a
 * segment of its own); each entry framed by its length and a CRC32, so a tail torn by a crash is
 * found at open and cut off. The committed position, the lowest sequence not yet acked, is kept in
 * the file {@code committed} (replaced atomically) by {@link #sync()} and {@link #close()}; acks
 * above it are kept only in memory, so after a restart reading resumes at the committed position.
 * Segments wholly below it are deleted, so once everything is acked only the current one is left.
 *
 * <p>Bounded: an append is refused when the bytes of the unacked entries plus its own would exceed
 * {@code maxBytes}. Threads: one appender and one reader (poll, rewind) at a time; ack, sync and
 * the getters from any thread. A lock file keeps a second process out of the directory.
 */
public final class Spool implements Closeable {
    private static final Pattern SEGMENT = Pattern.compile("(\\d{20})\\.spool");
    private static final String COMMITTED = "committed";
    private static final String COMMITTED_TMP = "committed.tmp";
    private static final String LOCK = "lock";

    /** A frame is its body's length and CRC32, then the body, which starts with the sequence. */
    private static final int FRAME_HEADER = 8;

    /** The smallest body: sequence, then the lengths of topic, key and value, and header count. */
    private static final int MIN_BODY = 8 + 4 + 4 + 4 + 4;

    /** Read size when checking a large entry's CRC at open, so it is not read whole. */
    private static final int CHUNK = 64 * 1024;

    private final Path dir;
    private final long maxBytes;
    private final long segmentBytes;
    private final FileChannel lockChannel;
    private final long recoveredTornBytes;

    // Lock order: appendLock, syncLock, readLock, then lock. The first three serialise one kind of
    // caller each and are held across file I/O; lock guards the shared state and is held only
    // briefly, so the appender, the reader and acks do not wait on each other's I/O.
    private final ReentrantLock appendLock = new ReentrantLock();
    private final ReentrantLock syncLock = new ReentrantLock();
    private final ReentrantLock readLock = new ReentrantLock();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition appendedSignal = lock.newCondition();

    // Guarded by lock.
    private final TreeMap<Long, Segment> segments = new TreeMap<>();
    private final Window window;
    private Segment writeSegment;
    private FileChannel writer;

    /** Segments rolled since the last sync: written, not yet forced to disk. */
    private final List<FileChannel> rolled = new ArrayList<>();

    private Segment readSegment;
    private long readPosition;
    private long depth;
    private long depthBytes;
    private long appended;
    private long acked;
    private long full;
    private boolean closed;

    // Guarded by readLock: the reader's own handle on readSegment.
    private FileChannel readChannel;

    // Guarded by syncLock.
    private long syncedCommitted = -1;

    /** One segment file; {@code size} counts only whole entries, all that readers may see. */
    private static final class Segment {
        final long firstSequence;
        final Path path;
        long size;

        Segment(long firstSequence, Path path) {
            this.firstSequence = firstSequence;
            this.path = path;
        }
    }

    /** What reading a segment at open found: where its sequences end, and bytes cut off. */
    private record Recovered(long end, long tornBytes) {}

    private Spool(Path dir, long maxBytes, long segmentBytes, FileChannel lockChannel)
            throws IOException {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.segmentBytes = segmentBytes;
        this.lockChannel = lockChannel;

        List<Long> firsts = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(
                    p -> {
                        Matcher m = SEGMENT.matcher(p.getFileName().toString());
                        if (m.matches()) {
                            firsts.add(Long.parseLong(m.group(1)));
                        }
                    });
        }
        firsts.sort(null);
        // Segments below the first one on disk were deleted, so were wholly acked; with no
        // committed file (a crash before the first sync) everything on disk is read again.
        long committed = readCommitted(dir);
        if (!firsts.isEmpty()) {
            committed = Math.max(committed, firsts.get(0));
        }
        window = new Window(committed);

        long torn = 0;
        long lastEnd = committed;
        for (int i = 0; i < firsts.size(); i++) {
            long first = firsts.get(i);
            Segment segment = new Segment(first, dir.resolve(name(first)));
            long bound = i + 1 < firsts.size() ? firsts.get(i + 1) : Long.MAX_VALUE;
            Recovered r = recover(segment, bound);
            torn += r.tornBytes();
            lastEnd = r.end();
            segments.put(first, segment);
        }
        recoveredTornBytes = torn;

        long next = Math.max(window.end(), lastEnd);
        window.fillTo(next);
        if (!segments.isEmpty() && lastEnd == next) {
            writeSegment = segments.lastEntry().getValue();
            writer = FileChannel.open(writeSegment.path, WRITE);
            writer.position(writeSegment.size);
        } else {
            // No segment yet, or the last one cannot take the next sequence without a gap.
            writeSegment = new Segment(next, dir.resolve(name(next)));
            writer = FileChannel.open(writeSegment.path, CREATE_NEW, WRITE);
            segments.put(next, writeSegment);
        }
        Map.Entry<Long, Segment> start = segments.floorEntry(window.first());
        readSegment = start != null ? start.getValue() : segments.firstEntry().getValue();
        deleteAckedSegments();
    }

    /**
     * Opens the spool in {@code dir} (created if missing), recovering what an earlier run left: a
     * torn tail is cut off and counted in {@link #recoveredTornBytes()}, reading resumes at the
     * committed position, and sequences continue after the last one on disk.
     *
     * @param maxBytes the most bytes that unacked entries may take on disk, frames included
     * @param segmentBytes the size at which a segment is rolled
     */
    public static Spool open(Path dir, long maxBytes, long segmentBytes) throws IOException {
        if (maxBytes <= 0 || segmentBytes <= 0) {
            throw new IllegalArgumentException("maxBytes and segmentBytes must be positive");
        }
        Files.createDirectories(dir);
        FileChannel lockChannel = FileChannel.open(dir.resolve(LOCK), CREATE, WRITE);
        try {
            FileLock fileLock;
            try {
                fileLock = lockChannel.tryLock();
            } catch (OverlappingFileLockException e) {
                fileLock = null;
            }
            if (fileLock == null) {
                throw new IOException(
                        "the spool directory "
                                + dir
                                + " is in use by another bridge: give each bridge its own"
                                + " spool.dir");
            }
            return new Spool(dir, maxBytes, segmentBytes, lockChannel);
        } catch (IOException | RuntimeException e) {
            lockChannel.close();
            throw e;
        }
    }

    /**
     * Appends one message; returns the sequence assigned to it, or -1 when the spool is full (the
     * unacked entries' bytes plus this entry's would exceed {@code maxBytes}), which is counted in
     * {@link #full()}. The data reaches the operating system here, the disk only at {@link
     * #sync()}.
     */
    public long append(String topic, byte[] key, byte[] value, List<SpoolEntry.Header> headers)
            throws IOException {
        byte[] topicBytes = topic.getBytes(UTF_8);
        List<byte[]> names = new ArrayList<>(headers.size());
        long tailSize = 4;
        for (SpoolEntry.Header h : headers) {
            byte[] name = h.name().getBytes(UTF_8);
            names.add(name);
            tailSize += 4L + name.length + 4 + (h.value() == null ? 0 : h.value().length);
        }
        long headSize =
                FRAME_HEADER + 8 + 4L + topicBytes.length + 4 + (key == null ? 0 : key.length) + 4;
        long frameSize = headSize + value.length + tailSize;
        if (frameSize > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("entry too large: " + frameSize + " bytes");
        }
        ByteBuffer head = ByteBuffer.allocate((int) headSize);
        head.putInt((int) frameSize - FRAME_HEADER).putInt(0).putLong(0);
        putBytes(head.putInt(topicBytes.length), topicBytes);
        putBytes(head.putInt(key == null ? -1 : key.length), key);
        head.putInt(value.length).flip();
        ByteBuffer tail = ByteBuffer.allocate((int) tailSize);
        tail.putInt(headers.size());
        for (int i = 0; i < headers.size(); i++) {
            byte[] v = headers.get(i).value();
            putBytes(tail.putInt(names.get(i).length), names.get(i));
            putBytes(tail.putInt(v == null ? -1 : v.length), v);
        }
        tail.flip();

        appendLock.lock();
        try {
            long sequence;
            lock.lock();
            try {
                ensureOpen();
                if (depthBytes + frameSize > maxBytes) {
                    full++;
                    return -1;
                }
                // Only this thread appends, so the sequence stays free until published below.
                sequence = window.end();
            } finally {
                lock.unlock();
            }
            head.putLong(FRAME_HEADER, sequence);
            CRC32 crc = new CRC32();
            crc.update(head.array(), FRAME_HEADER, head.limit() - FRAME_HEADER);
            crc.update(value);
            crc.update(tail.array());
            head.putInt(4, (int) crc.getValue());

            if (writeSegment.size > 0 && writeSegment.size + frameSize > segmentBytes) {
                roll(sequence);
            }
            long start = writeSegment.size;
            ByteBuffer[] frame = {head, ByteBuffer.wrap(value), tail};
            try {
                while (tail.hasRemaining()) {
                    writer.write(frame);
                }
            } catch (IOException e) {
                // Disk full, say: cut the partial frame off, or a later open would take it for a
                // torn tail and drop every entry after it.
                try {
                    writer.truncate(start);
                    writer.position(start);
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }

            lock.lock();
            try {
                writeSegment.size = start + frameSize;
                window.add((int) frameSize, false);
                depth++;
                depthBytes += frameSize;
                appended++;
                appendedSignal.signalAll();
            } finally {
                lock.unlock();
            }
            return sequence;
        } finally {
            appendLock.unlock();
        }
    }

    /** Starts a new segment for {@code sequence}; the old one is forced at the next sync. */
    private void roll(long sequence) throws IOException {
        Segment segment = new Segment(sequence, dir.resolve(name(sequence)));
        FileChannel channel = FileChannel.open(segment.path, CREATE_NEW, WRITE);
        lock.lock();
        try {
            rolled.add(writer);
            writer = channel;
            writeSegment = segment;
            segments.put(sequence, segment);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next entry after the last one read, waiting up to {@code timeout} for one to be appended;
     * null if none came. Entries already acked (out of order, before a {@link #rewind()}) are
     * skipped.
     *
     * @throws ClosedChannelException when the spool is or gets closed
     */
    public SpoolEntry poll(long timeout, TimeUnit unit) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        readLock.lockInterruptibly();
        try {
            while (true) {
                long limit = awaitReadable(deadline);
                if (limit < 0) {
                    return null;
                }
                if (readChannel == null) {
                    readChannel = FileChannel.open(readSegment.path, READ);
                }
                long position = readPosition;
                ByteBuffer header = ByteBuffer.allocate(FRAME_HEADER + 8);
                readFully(readChannel, header, position);
                int length = header.getInt();
                int crc = header.getInt();
                long sequence = header.getLong();
                if (length < MIN_BODY || length > limit - position - FRAME_HEADER) {
                    throw corrupt(position);
                }
                long next = position + FRAME_HEADER + length;
                lock.lock();
                try {
                    if (window.isAcked(sequence)) {
                        readPosition = next;
                        continue;
                    }
                } finally {
                    lock.unlock();
                }
                ByteBuffer body = ByteBuffer.allocate(length).putLong(sequence);
                readFully(readChannel, body, position + FRAME_HEADER);
                CRC32 check = new CRC32();
                check.update(body.array());
                if ((int) check.getValue() != crc) {
                    throw corrupt(position);
                }
                SpoolEntry entry = decode(body);
                if (entry == null) {
                    throw corrupt(position);
                }
                lock.lock();
                try {
                    readPosition = next;
                } finally {
                    lock.unlock();
                }
                return entry;
            }
        } finally {
            readLock.unlock();
        }
    }

    /**
     * Waits until the reader's segment has an entry at the read position, moving on to later
     * segments; returns the readable size of the segment then, or -1 at the deadline.
     */
    private long awaitReadable(long deadline) throws IOException, InterruptedException {
        lock.lockInterruptibly();
        try {
            while (true) {
                ensureOpen();
                if (readPosition < readSegment.size) {
                    return readSegment.size;
                }
                Map.Entry<Long, Segment> next = segments.higherEntry(readSegment.firstSequence);
                if (next != null) {
                    closeReadChannel();
                    readSegment = next.getValue();
                    readPosition = 0;
                    deleteAckedSegments();
                    continue;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return -1;
                }
                appendedSignal.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    private IOException corrupt(long position) {
        return new IOException("corrupt spool entry in " + readSegment.path + " at " + position);
    }

    /**
     * Kafka acknowledged the entry {@code sequence}. The committed position moves over the acked
     * entries at its head, and segments wholly below it are deleted. Acks repeated (after a rewind)
     * or after close are ignored; a sequence never appended is a caller's bug.
     *
     * @throws UncheckedIOException when a segment could not be deleted; it is tried again on the
     *     next ack
     */
    public void ack(long sequence) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            if (sequence < 0 || sequence >= window.end()) {
                throw new IllegalArgumentException("never appended: " + sequence);
            }
            long size = window.ack(sequence);
            if (size < 0) {
                return;
            }
            depth--;
            depthBytes -= size;
            acked++;
            deleteAckedSegments();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Deletes the segments wholly below the committed position, from the oldest, keeping the
     * current one and any the reader has not finished. Called with {@code lock} held.
     */
    private void deleteAckedSegments() throws IOException {
        while (segments.size() > 1) {
            Segment first = segments.firstEntry().getValue();
            boolean reading = first == readSegment && readPosition < first.size;
            if (reading || segments.higherKey(first.firstSequence) > window.first()) {
                return;
            }
            Files.deleteIfExists(first.path);
            segments.pollFirstEntry();
        }
    }

    /**
     * Moves the read position back to the committed position, so that every entry not yet acked is
     * read again, in order: after the producer is replaced, what the old one had in flight is sent
     * again.
     */
    public void rewind() throws IOException {
        readLock.lock();
        try {
            lock.lock();
            try {
                ensureOpen();
                closeReadChannel();
                Map.Entry<Long, Segment> start = segments.floorEntry(window.first());
                readSegment = start != null ? start.getValue() : segments.firstEntry().getValue();
                // From the segment's start: entries below the committed position are skipped
                // unread, after their 16 header bytes.
                readPosition = 0;
            } finally {
                lock.unlock();
            }
        } finally {
            readLock.unlock();
        }
    }

    private void closeReadChannel() throws IOException {
        if (readChannel != null) {
            readChannel.close();
            readChannel = null;
        }
    }

    /**
     * Forces the written entries to disk, then writes the committed position (to a temporary file,
     * renamed over the old one, so a crash leaves one or the other whole). Called periodically by
     * the bridge: how much a power loss can take back is what was appended since.
     */
    public void sync() throws IOException {
        syncLock.lock();
        try {
            long committed;
            List<FileChannel> done;
            FileChannel current;
            lock.lock();
            try {
                ensureOpen();
                // Taken before the data is forced: every entry below it was written before.
                committed = window.first();
                done = new ArrayList<>(rolled);
                rolled.clear();
                current = writer;
            } finally {
                lock.unlock();
            }
            for (FileChannel channel : done) {
                try (channel) {
                    channel.force(false);
                }
            }
            current.force(false);
            if (committed != syncedCommitted) {
                Path tmp = dir.resolve(COMMITTED_TMP);
                try (FileChannel out = FileChannel.open(tmp, CREATE, WRITE, TRUNCATE_EXISTING)) {
                    ByteBuffer text = ByteBuffer.wrap((committed + "\n").getBytes(US_ASCII));
                    while (text.hasRemaining()) {
                        out.write(text);
                    }
                    out.force(false);
                }
                Files.move(tmp, dir.resolve(COMMITTED), ATOMIC_MOVE, REPLACE_EXISTING);
            }
            if (committed != syncedCommitted || !done.isEmpty()) {
                // The rename and new segment files are directory entries: force those too.
                try (FileChannel d = FileChannel.open(dir, READ)) {
                    d.force(true);
                }
                syncedCommitted = committed;
            }
        } finally {
            syncLock.unlock();
        }
    }

    /** Entries appended and not yet acked, those recovered at open included. */
    public long depth() {
        lock.lock();
        try {
            return depth;
        } finally {
            lock.unlock();
        }
    }

    /** The bytes on disk of the entries counted by {@link #depth()}, frames included. */
    public long depthBytes() {
        lock.lock();
        try {
            return depthBytes;
        } finally {
            lock.unlock();
        }
    }

    /** The committed position: the lowest sequence not yet acked, where a reopen resumes. */
    public long committed() {
        lock.lock();
        try {
            return window.first();
        } finally {
            lock.unlock();
        }
    }

    /** Entries appended since open. */
    public long appended() {
        lock.lock();
        try {
            return appended;
        } finally {
            lock.unlock();
        }
    }

    /** Entries acked since open, each counted once. */
    public long acked() {
        lock.lock();
        try {
            return acked;
        } finally {
            lock.unlock();
        }
    }

    /** Appends refused since open because the spool was full. */
    public long full() {
        lock.lock();
        try {
            return full;
        } finally {
            lock.unlock();
        }
    }

    /** Bytes cut off at open: torn or corrupt tails of segments, left by a crash. */
    public long recoveredTornBytes() {
        return recoveredTornBytes;
    }

    /**
     * Syncs and closes; unacked entries stay on disk for the next open. A reader waiting in {@link
     * #poll} gets a {@link ClosedChannelException}; later acks are ignored.
     */
    @Override
    public void close() throws IOException {
        appendLock.lock();
        try {
            lock.lock();
            try {
                if (closed) {
                    return;
                }
            } finally {
                lock.unlock();
            }
            try {
                sync();
            } finally {
                lock.lock();
                try {
                    closed = true;
                    appendedSignal.signalAll();
                } finally {
                    lock.unlock();
                }
                readLock.lock();
                try (lockChannel;
                        FileChannel w = writer) {
                    closeReadChannel();
                    for (FileChannel channel : rolled) {
                        channel.close();
                    }
                } finally {
                    readLock.unlock();
                }
            }
        } finally {
            appendLock.unlock();
        }
    }

    private void ensureOpen() throws ClosedChannelException {
        if (closed) {
            throw new ClosedChannelException();
        }
    }

    /**
     * Reads a segment at open: entries must run on from its name, each one after the other and
     * below {@code bound} (the next segment's name), with a matching CRC; the file is cut at the
     * first that does not. Entries at or above the committed position join the window, unacked.
     */
    private Recovered recover(Segment segment, long bound) throws IOException {
        try (FileChannel channel = FileChannel.open(segment.path, READ, WRITE)) {
            long size = channel.size();
            long position = 0;
            long expected = segment.firstSequence;
            while (size - position >= FRAME_HEADER + MIN_BODY) {
                ByteBuffer header = ByteBuffer.allocate(FRAME_HEADER + 8);
                readFully(channel, header, position);
                int length = header.getInt();
                int crc = header.getInt();
                long sequence = header.getLong();
                if (length < MIN_BODY
                        || length > size - position - FRAME_HEADER
                        || sequence != expected
                        || sequence >= bound
                        || crc != crcOf(channel, position + FRAME_HEADER, length)) {
                    break;
                }
                long frameSize = FRAME_HEADER + length;
                if (sequence >= window.first()) {
                    window.fillTo(sequence);
                    window.add((int) frameSize, false);
                    depth++;
                    depthBytes += frameSize;
                }
                position += frameSize;
                expected++;
            }
            segment.size = position;
            if (position == size) {
                return new Recovered(expected, 0);
            }
            channel.truncate(position);
            channel.force(true);
            return new Recovered(expected, size - position);
        }
    }

    private static int crcOf(FileChannel channel, long position, int length) throws IOException {
        CRC32 crc = new CRC32();
        ByteBuffer chunk = ByteBuffer.allocate(Math.min(length, CHUNK));
        for (long done = 0; done < length; done += chunk.limit()) {
            chunk.clear().limit((int) Math.min(chunk.capacity(), length - done));
            readFully(channel, chunk, position + done);
            crc.update(chunk);
        }
        return (int) crc.getValue();
    }

    /**
     * Fills the rest of {@code buffer}, whose index 0 stands for the file's {@code position}, and
     * flips it for reading.
     */
    private static void readFully(FileChannel channel, ByteBuffer buffer, long position)
            throws IOException {
        long at = position + buffer.position();
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw new EOFException("spool segment ends early at " + at);
            }
            at += n;
        }
        buffer.flip();
    }

    /** The entry in a frame's body, or null if the body is not well formed. */
    private static SpoolEntry decode(ByteBuffer body) {
        long sequence = body.getLong();
        byte[] topic = getBytes(body);
        byte[] key = getBytes(body);
        byte[] value = getBytes(body);
        if (topic == null || value == null || body.remaining() < 4) {
            return null;
        }
        int count = body.getInt();
        if (count < 0 || count > body.remaining() / 8) {
            return null;
        }
        List<SpoolEntry.Header> headers = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] name = getBytes(body);
            if (name == null) {
                return null;
            }
            headers.add(new SpoolEntry.Header(new String(name, UTF_8), getBytes(body)));
        }
        if (body.hasRemaining()) {
            return null;
        }
        return new SpoolEntry(sequence, new String(topic, UTF_8), key, value, headers);
    }

    /**
     * A length-prefixed byte array; null for length -1 (a null key or header value) and also when
     * the length does not fit, which {@link #decode} then rejects where null is not allowed.
     */
    private static byte[] getBytes(ByteBuffer body) {
        if (body.remaining() < 4) {
            return null;
        }
        int n = body.getInt();
        if (n < 0 || n > body.remaining()) {
            return null;
        }
        byte[] bytes = new byte[n];
        body.get(bytes);
        return bytes;
    }

    private static void putBytes(ByteBuffer buffer, byte[] bytes) {
        if (bytes != null) {
            buffer.put(bytes);
        }
    }

    private static long readCommitted(Path dir) throws IOException {
        Path file = dir.resolve(COMMITTED);
        if (!Files.exists(file)) {
            return 0;
        }
        String text = Files.readString(file, US_ASCII).trim();
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IOException("unreadable committed position in " + file + ": " + text, e);
        }
    }

    private static String name(long firstSequence) {
        return String.format(Locale.ROOT, "%020d.spool", firstSequence);
    }

    /**
     * The entries from the committed position to the end: each one's frame size and whether it is
     * acked (a frame fits in an int, see {@link #append}). A ring buffer: its memory follows the
     * most entries ever in flight, not the acked history.
     */
    private static final class Window {
        private long first;
        private int head;
        private int count;
        private int[] sizes = new int[16];
        private boolean[] acked = new boolean[16];

        Window(long first) {
            this.first = first;
        }

        /** The committed position: the lowest sequence not acked (the end when all are). */
        long first() {
            return first;
        }

        /** The next sequence to append. */
        long end() {
            return first + count;
        }

        void add(int size, boolean isAcked) {
            if (count == sizes.length) {
                int[] s = new int[count * 2];
                boolean[] a = new boolean[count * 2];
                for (int i = 0; i < count; i++) {
                    s[i] = sizes[slot(first + i)];
                    a[i] = acked[slot(first + i)];
                }
                sizes = s;
                acked = a;
                head = 0;
            }
            int i = slot(end());
            sizes[i] = size;
            acked[i] = isAcked;
            count++;
        }

        /** Sequences lost to a corrupt segment up to {@code sequence}: acked, no bytes. */
        void fillTo(long sequence) {
            while (end() < sequence) {
                add(0, true);
            }
            advance();
        }

        /** For {@code first <= sequence < end()}, or below first (acked long ago). */
        boolean isAcked(long sequence) {
            return sequence < first || acked[slot(sequence)];
        }

        /** Marks the entry acked and returns its size; -1 if it already was. */
        long ack(long sequence) {
            if (isAcked(sequence)) {
                return -1;
            }
            int i = slot(sequence);
            acked[i] = true;
            advance();
            return sizes[i];
        }

        private void advance() {
            while (count > 0 && acked[head]) {
                head = (head + 1) & (sizes.length - 1);
                count--;
                first++;
            }
        }

        private int slot(long sequence) {
            return (int) ((head + (sequence - first)) & (sizes.length - 1));
        }
    }
}
