package org.livepeer.naap.bridge;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spool against its files. Sizes are worked out by hand from the frame layout: 8 bytes of
 * length and CRC, then the sequence (8), topic (4 + bytes), key (4 + bytes, none when null), value
 * (4 + bytes), header count (4) and each header (4 + name + 4 + value). So an entry of topic "t",
 * no key, no headers and a 10-byte value takes 8 + 8 + 5 + 4 + 14 + 4 = 43 bytes.
 */
class SpoolTest {
    /** The frame of {@link #small}: see the class comment. */
    private static final int SMALL = 43;

    private static final long MB = 1024 * 1024;

    @TempDir Path dir;

    @Test
    void entriesComeBackInOrderWithTheirContent() throws Exception {
        byte[] big = new byte[20 * 1024 * 1024];
        new Random(42).nextBytes(big);
        try (Spool spool = Spool.open(dir, 64 * MB, MB)) {
            assertThat(
                            spool.append(
                                    "naap.events.raw",
                                    bytes("k1"),
                                    bytes("hello"),
                                    List.of(
                                            header("a", "1"),
                                            new SpoolEntry.Header("b", null),
                                            header("a", "2"))))
                    .isEqualTo(0);
            assertThat(spool.append("t", null, new byte[0], List.of())).isEqualTo(1);
            assertThat(spool.append("t", bytes("big"), big, List.of())).isEqualTo(2);

            SpoolEntry first = spool.poll(1, TimeUnit.SECONDS);
            assertThat(first.sequence()).isEqualTo(0);
            assertThat(first.topic()).isEqualTo("naap.events.raw");
            assertThat(first.key()).isEqualTo(bytes("k1"));
            assertThat(first.value()).isEqualTo(bytes("hello"));
            assertThat(first.headers())
                    .extracting(SpoolEntry.Header::name)
                    .containsExactly("a", "b", "a");
            assertThat(first.headers().get(0).value()).isEqualTo(bytes("1"));
            assertThat(first.headers().get(1).value()).isNull();
            assertThat(first.headers().get(2).value()).isEqualTo(bytes("2"));

            SpoolEntry second = spool.poll(1, TimeUnit.SECONDS);
            assertThat(second.sequence()).isEqualTo(1);
            assertThat(second.key()).isNull();
            assertThat(second.value()).isEmpty();
            assertThat(second.headers()).isEmpty();

            SpoolEntry third = spool.poll(1, TimeUnit.SECONDS);
            assertThat(third.sequence()).isEqualTo(2);
            assertThat(third.key()).isEqualTo(bytes("big"));
            assertThat(Arrays.equals(third.value(), big)).isTrue();

            assertThat(spool.poll(10, TimeUnit.MILLISECONDS)).isNull();

            // 8 + 8 + (4 + 15) + (4 + 2) + (4 + 5) + 4 + (4+1+4+1) + (4+1+4) + (4+1+4+1) = 83;
            // 8 + 8 + 5 + 4 + 4 + 4 = 33; 8 + 8 + 5 + (4 + 3) + (4 + 20 MiB) + 4 = 20,971,556.
            assertThat(spool.depth()).isEqualTo(3);
            assertThat(spool.depthBytes()).isEqualTo(83 + 33 + 20_971_556);
            // The big entry does not fit in the 1 MiB segment after 116 bytes: one of its own.
            assertThat(segmentFiles()).containsExactly(file(0), file(2));
            assertThat(Files.size(dir.resolve(file(0)))).isEqualTo(83 + 33);
            assertThat(Files.size(dir.resolve(file(2)))).isEqualTo(20_971_556);
        }
    }

    @Test
    void anEntryLargerThanASegmentGetsOneOfItsOwn() throws Exception {
        try (Spool spool = Spool.open(dir, MB, 100)) {
            assertThat(small(spool, 0)).isEqualTo(0);
            // A 200-byte value: a 233-byte frame.
            assertThat(spool.append("t", null, new byte[200], List.of())).isEqualTo(1);
            assertThat(small(spool, 2)).isEqualTo(2);
            assertThat(segmentFiles()).containsExactly(file(0), file(1), file(2));
            assertThat(Files.size(dir.resolve(file(0)))).isEqualTo(SMALL);
            assertThat(Files.size(dir.resolve(file(1)))).isEqualTo(233);
            assertThat(Files.size(dir.resolve(file(2)))).isEqualTo(SMALL);
            for (int i = 0; i < 3; i++) {
                assertThat(spool.poll(1, TimeUnit.SECONDS).sequence()).isEqualTo(i);
            }
        }
    }

    @Test
    void theCommittedPositionWaitsForTheLowestUnackedEntry() throws Exception {
        try (Spool spool = Spool.open(dir, MB, MB)) {
            for (int i = 0; i < 4; i++) {
                small(spool, i);
                spool.poll(1, TimeUnit.SECONDS);
            }
            spool.ack(0);
            assertThat(spool.committed()).isEqualTo(1);
            spool.ack(2);
            spool.ack(3);
            assertThat(spool.committed()).isEqualTo(1);
            assertThat(spool.depth()).isEqualTo(1);
            assertThat(spool.depthBytes()).isEqualTo(SMALL);
            assertThat(spool.acked()).isEqualTo(3);
            spool.ack(3); // a repeated ack counts once
            assertThat(spool.acked()).isEqualTo(3);

            spool.ack(1);
            assertThat(spool.committed()).isEqualTo(4);
            assertThat(spool.depth()).isZero();
            assertThat(spool.depthBytes()).isZero();
            assertThat(spool.acked()).isEqualTo(4);
            assertThatThrownBy(() -> spool.ack(4)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void segmentsRollAndTheWhollyAckedOnesAreDeleted() throws Exception {
        // Two 43-byte entries fit in 100 bytes, a third does not.
        try (Spool spool = Spool.open(dir, MB, 100)) {
            for (int i = 0; i < 5; i++) {
                small(spool, i);
            }
            assertThat(segmentFiles()).containsExactly(file(0), file(2), file(4));
            assertThat(Files.size(dir.resolve(file(0)))).isEqualTo(2 * SMALL);

            spool.poll(1, TimeUnit.SECONDS);
            spool.poll(1, TimeUnit.SECONDS);
            spool.ack(1);
            assertThat(segmentFiles()).containsExactly(file(0), file(2), file(4));
            spool.ack(0);
            assertThat(segmentFiles()).containsExactly(file(2), file(4));

            for (int i = 2; i < 5; i++) {
                assertThat(spool.poll(1, TimeUnit.SECONDS).sequence()).isEqualTo(i);
            }
            spool.ack(4);
            spool.ack(3);
            assertThat(segmentFiles()).containsExactly(file(2), file(4));
            spool.ack(2);
            assertThat(segmentFiles()).containsExactly(file(4));
            assertThat(spool.depth()).isZero();
            assertThat(spool.depthBytes()).isZero();

            // Segment 4 holds 43 bytes: the next entry still fits in it.
            assertThat(small(spool, 5)).isEqualTo(5);
            assertThat(segmentFiles()).containsExactly(file(4));
        }
    }

    @Test
    void aFullSpoolRefusesUntilAcksFreeSpace() throws Exception {
        try (Spool spool = Spool.open(dir, 100, MB)) {
            assertThat(small(spool, 0)).isEqualTo(0);
            assertThat(small(spool, 1)).isEqualTo(1);
            // 86 + 43 > 100.
            assertThat(small(spool, 2)).isEqualTo(-1);
            assertThat(spool.full()).isEqualTo(1);
            // A 100-byte value (a 133-byte frame) would not fit even in an empty spool.
            assertThat(spool.append("t", null, new byte[100], List.of())).isEqualTo(-1);
            assertThat(spool.full()).isEqualTo(2);
            assertThat(spool.appended()).isEqualTo(2);
            assertThat(spool.depth()).isEqualTo(2);
            assertThat(spool.depthBytes()).isEqualTo(2 * SMALL);

            spool.poll(1, TimeUnit.SECONDS);
            spool.ack(0);
            // 43 + 43 <= 100; a refused append took no sequence.
            assertThat(small(spool, 2)).isEqualTo(2);
            assertThat(spool.full()).isEqualTo(2);
            assertThat(spool.appended()).isEqualTo(3);
            assertThat(spool.poll(1, TimeUnit.SECONDS).sequence()).isEqualTo(1);
            assertThat(spool.poll(1, TimeUnit.SECONDS).value()).isEqualTo(value(2));
        }
    }

    @Test
    void aReopenedSpoolResumesAtTheCommittedPosition() throws Exception {
        try (Spool spool = Spool.open(dir, MB, MB)) {
            for (int i = 0; i < 5; i++) {
                small(spool, i);
            }
            for (int i = 0; i < 4; i++) {
                spool.poll(1, TimeUnit.SECONDS);
            }
            spool.ack(0);
            spool.ack(1);
            spool.ack(3); // out of order: above the committed position, so not kept
        }
        try (Spool spool = Spool.open(dir, MB, MB)) {
            assertThat(spool.recoveredTornBytes()).isZero();
            assertThat(spool.committed()).isEqualTo(2);
            assertThat(spool.depth()).isEqualTo(3);
            assertThat(spool.depthBytes()).isEqualTo(3 * SMALL);
            assertThat(spool.appended()).isZero();
            for (int i = 2; i < 5; i++) {
                SpoolEntry e = spool.poll(1, TimeUnit.SECONDS);
                assertThat(e.sequence()).isEqualTo(i);
                assertThat(e.value()).isEqualTo(value(i));
            }
            assertThat(spool.poll(10, TimeUnit.MILLISECONDS)).isNull();
            assertThat(small(spool, 5)).isEqualTo(5);
        }
    }

    @Test
    void sequencesContinueAfterAReopenWithEverythingAcked() throws Exception {
        try (Spool spool = Spool.open(dir, MB, MB)) {
            for (int i = 0; i < 3; i++) {
                small(spool, i);
                spool.ack(spool.poll(1, TimeUnit.SECONDS).sequence());
            }
        }
        try (Spool spool = Spool.open(dir, MB, MB)) {
            assertThat(spool.depth()).isZero();
            assertThat(spool.poll(10, TimeUnit.MILLISECONDS)).isNull();
            assertThat(small(spool, 3)).isEqualTo(3);
            assertThat(spool.poll(1, TimeUnit.SECONDS).value()).isEqualTo(value(3));
            assertThat(segmentFiles()).containsExactly(file(0));
        }
    }

    @Test
    void withoutACommittedFileEverythingOnDiskIsReadAgain() throws Exception {
        try (Spool spool = Spool.open(dir, MB, MB)) {
            for (int i = 0; i < 3; i++) {
                small(spool, i);
                spool.ack(spool.poll(1, TimeUnit.SECONDS).sequence());
            }
        }
        // As after a crash before the first sync.
        Files.delete(dir.resolve("committed"));
        try (Spool spool = Spool.open(dir, MB, MB)) {
            assertThat(spool.depth()).isEqualTo(3);
            for (int i = 0; i < 3; i++) {
                assertThat(spool.poll(1, TimeUnit.SECONDS).value()).isEqualTo(value(i));
            }
        }
    }

    @Test
    void aTornTailIsCutOffAtOpen() throws Exception {
        try (Spool spool = Spool.open(dir, MB, MB)) {
            for (int i = 0; i < 3; i++) {
                small(spool, i);
            }
        }
        Path segment = dir.resolve(file(0));
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            ch.truncate(3 * SMALL - 5);
        }
        try (Spool spool = Spool.open(dir, MB, MB)) {
            // 124 bytes left, of which the first two entries take 86.
            assertThat(spool.recoveredTornBytes()).isEqualTo(3 * SMALL - 5 - 2 * SMALL);
            assertThat(Files.size(segment)).isEqualTo(2 * SMALL);
            assertThat(spool.depth()).isEqualTo(2);
            assertThat(spool.poll(1, TimeUnit.SECONDS).value()).isEqualTo(value(0));
            assertThat(spool.poll(1, TimeUnit.SECONDS).value()).isEqualTo(value(1));
            assertThat(spool.poll(10, TimeUnit.MILLISECONDS)).isNull();
            assertThat(small(spool, 2)).isEqualTo(2);
            assertThat(spool.poll(1, TimeUnit.SECONDS).value()).isEqualTo(value(2));
        }
    }

    @Test
    void garbageAfterTheLastEntryIsCutOffAtOpen() throws Exception {
        try (Spool spool = Spool.open(dir, MB, MB)) {
            small(spool, 0);
            small(spool, 1);
        }
        byte[] garbage = new byte[40];
        Arrays.fill(garbage, (byte) 0x7f);
        Files.write(dir.resolve(file(0)), garbage, StandardOpenOption.APPEND);
        try (Spool spool = Spool.open(dir, MB, MB)) {
            assertThat(spool.recoveredTornBytes()).isEqualTo(40);
            assertThat(spool.poll(1, TimeUnit.SECONDS).value()).isEqualTo(value(0));
            assertThat(spool.poll(1, TimeUnit.SECONDS).value()).isEqualTo(value(1));
            assertThat(spool.poll(10, TimeUnit.MILLISECONDS)).isNull();
        }
    }

    @Test
    void anEntryWithABadChecksumEndsTheSegment() throws Exception {
        try (Spool spool = Spool.open(dir, MB, MB)) {
            for (int i = 0; i < 3; i++) {
                small(spool, i);
            }
        }
        // Flip the last byte of the last entry's value (its header count follows it).
        Path segment = dir.resolve(file(0));
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {'X'}), 3 * SMALL - 5);
        }
        try (Spool spool = Spool.open(dir, MB, MB)) {
            assertThat(spool.recoveredTornBytes()).isEqualTo(SMALL);
            assertThat(spool.depth()).isEqualTo(2);
            assertThat(spool.poll(1, TimeUnit.SECONDS).value()).isEqualTo(value(0));
            assertThat(spool.poll(1, TimeUnit.SECONDS).value()).isEqualTo(value(1));
            assertThat(spool.poll(10, TimeUnit.MILLISECONDS)).isNull();
        }
    }

    @Test
    void rewindReadsTheUnackedEntriesAgainInOrder() throws Exception {
        try (Spool spool = Spool.open(dir, MB, 100)) {
            for (int i = 0; i < 4; i++) {
                small(spool, i);
                spool.poll(1, TimeUnit.SECONDS);
            }
            spool.ack(1);
            spool.rewind();
            assertThat(spool.poll(1, TimeUnit.SECONDS).sequence()).isEqualTo(0);
            assertThat(spool.poll(1, TimeUnit.SECONDS).sequence()).isEqualTo(2);
            assertThat(spool.poll(1, TimeUnit.SECONDS).sequence()).isEqualTo(3);
            assertThat(spool.poll(10, TimeUnit.MILLISECONDS)).isNull();

            // Committed is 2 now, in the second segment; entry 3 is read again from there.
            spool.ack(0);
            spool.rewind();
            assertThat(spool.poll(1, TimeUnit.SECONDS).sequence()).isEqualTo(2);
            assertThat(spool.poll(1, TimeUnit.SECONDS).sequence()).isEqualTo(3);
            assertThat(spool.poll(10, TimeUnit.MILLISECONDS)).isNull();
            spool.ack(2);
            spool.ack(3);
            assertThat(spool.depth()).isZero();
            assertThat(segmentFiles()).containsExactly(file(2));
        }
    }

    @Test
    void aWaitingPollIsWokenByAnAppend() throws Exception {
        try (Spool spool = Spool.open(dir, MB, MB)) {
            ExecutorService thread = Executors.newSingleThreadExecutor();
            try {
                Future<SpoolEntry> polled = thread.submit(() -> spool.poll(60, TimeUnit.SECONDS));
                Thread.sleep(200);
                assertThat(polled).isNotDone();
                small(spool, 0);
                // Well before the poll's own timeout: the append woke it.
                assertThat(polled.get(5, TimeUnit.SECONDS).value()).isEqualTo(value(0));
            } finally {
                thread.shutdownNow();
            }
        }
    }

    @Test
    void aDirectoryIsOpenedOnceAndAClosedSpoolRefuses() throws Exception {
        Spool spool = Spool.open(dir, MB, MB);
        assertThatThrownBy(() -> Spool.open(dir, MB, MB)).isInstanceOf(IOException.class);
        spool.close();
        assertThatThrownBy(() -> small(spool, 0)).isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(() -> spool.poll(0, TimeUnit.SECONDS))
                .isInstanceOf(ClosedChannelException.class);
        Spool.open(dir, MB, MB).close();
    }

    @Test
    void oneThreadAppendsWhileAnotherPollsAndAnotherAcks() throws Exception {
        int n = 100_000;
        // Small segments and a small bound, so rolls, deletions and full refusals all happen.
        try (Spool spool = Spool.open(dir, 256 * 1024, 16 * 1024)) {
            ExecutorService threads = Executors.newFixedThreadPool(4);
            try {
                Future<Long> appender =
                        threads.submit(
                                () -> {
                                    long refused = 0;
                                    for (int i = 0; i < n; i++) {
                                        byte[] key = i % 2 == 0 ? null : bytes("k" + i);
                                        long sequence;
                                        while ((sequence =
                                                        spool.append("t", key, value(i), List.of()))
                                                < 0) {
                                            refused++;
                                            Thread.onSpinWait();
                                        }
                                        assertThat(sequence).isEqualTo(i);
                                    }
                                    return refused;
                                });
                BlockingQueue<Long> toAck = new LinkedBlockingQueue<>();
                Future<?> reader =
                        threads.submit(
                                () -> {
                                    for (int i = 0; i < n; i++) {
                                        SpoolEntry e = spool.poll(10, TimeUnit.SECONDS);
                                        assertThat(e).isNotNull();
                                        assertThat(e.sequence()).isEqualTo(i);
                                        assertThat(e.value()).isEqualTo(value(i));
                                        assertThat(e.key())
                                                .isEqualTo(i % 2 == 0 ? null : bytes("k" + i));
                                        toAck.put(e.sequence());
                                    }
                                    assertThat(spool.poll(10, TimeUnit.MILLISECONDS)).isNull();
                                    return null;
                                });
                // Acks in reversed batches, as Kafka partitions complete independently.
                Future<?> acker =
                        threads.submit(
                                () -> {
                                    List<Long> batch = new ArrayList<>();
                                    for (int done = 0; done < n; done += batch.size()) {
                                        batch.clear();
                                        batch.add(toAck.take());
                                        toAck.drainTo(batch, 15);
                                        Collections.reverse(batch);
                                        batch.forEach(spool::ack);
                                    }
                                    return null;
                                });
                // And the bridge's periodic sync, meanwhile.
                Future<?> syncer =
                        threads.submit(
                                () -> {
                                    while (!acker.isDone()) {
                                        spool.sync();
                                        Thread.sleep(1);
                                    }
                                    return null;
                                });
                reader.get(60, TimeUnit.SECONDS);
                long refused = appender.get(60, TimeUnit.SECONDS);
                acker.get(60, TimeUnit.SECONDS);
                syncer.get(60, TimeUnit.SECONDS);

                assertThat(spool.appended()).isEqualTo(n);
                assertThat(spool.full()).isEqualTo(refused);
                assertThat(spool.acked()).isEqualTo(n);
                assertThat(spool.committed()).isEqualTo(n);
                assertThat(spool.depth()).isZero();
                assertThat(spool.depthBytes()).isZero();
                assertThat(segmentFiles()).hasSize(1);
            } finally {
                threads.shutdownNow();
            }
        }
        try (Spool spool = Spool.open(dir, 256 * 1024, 16 * 1024)) {
            assertThat(spool.depth()).isZero();
            assertThat(spool.committed()).isEqualTo(n);
            assertThat(small(spool, n)).isEqualTo(n);
        }
    }

    /** Appends entry {@code i} of topic "t": no key, no headers, a 10-byte value (43 bytes). */
    private static long small(Spool spool, int i) throws IOException {
        return spool.append("t", null, value(i), List.of());
    }

    private static byte[] value(int i) {
        return String.format("value-%04d", i).getBytes(UTF_8);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    private static SpoolEntry.Header header(String name, String value) {
        return new SpoolEntry.Header(name, bytes(value));
    }

    private static String file(long firstSequence) {
        return String.format("%020d.spool", firstSequence);
    }

    private List<String> segmentFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(name -> name.endsWith(".spool"))
                    .sorted()
                    .toList();
        }
    }
}
