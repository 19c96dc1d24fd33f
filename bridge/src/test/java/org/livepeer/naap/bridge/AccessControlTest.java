package org.livepeer.naap.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.livepeer.naap.bridge.AccessPolicyTest.bytes;
import static org.livepeer.naap.bridge.AccessPolicyTest.kafkaEvent;
import static org.livepeer.naap.bridge.AccessPolicyTest.wrapped;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The policy file read at start, and again whenever its content changes. */
class AccessControlTest {
    private static final String A = "0x1111111111111111111111111111111111111111";
    private static final String B = "0x2222222222222222222222222222222222222222";

    private static String allowing(String publisher) {
        return "{\"publishers\":[\"" + publisher + "\"]}";
    }

    private static boolean allows(AccessControl access, String publisher) {
        return access.check(wrapped(publisher, kafkaEvent("stream_trace", "{}"))).allowed();
    }

    @Test
    void theFileIsReadAtStart(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("access.json"), allowing(A));
        AccessControl access = AccessControl.load(file);
        assertThat(allows(access, A)).isTrue();
        assertThat(allows(access, B)).isFalse();
        assertThat(access.current().publishers()).containsExactly(A);
        assertThat(access.reloads()).isZero();
        assertThat(access.reloadErrors()).isZero();
    }

    @Test
    void aMissingOrInvalidFileStopsTheStartNamingIt(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("missing.json");
        assertThatThrownBy(() -> AccessControl.load(missing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("access policy " + missing + ": cannot read the file: ")
                .hasMessageContaining("NoSuchFileException");
        Path invalid = Files.writeString(dir.resolve("invalid.json"), "{\"publishers\":[\"0x1\"]}");
        assertThatThrownBy(() -> AccessControl.load(invalid))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "access policy "
                                + invalid
                                + ": publishers[0]: \"0x1\" is not an address (0x and 40 hex"
                                + " digits)");
    }

    @Test
    void aChangedFileIsTakenWithoutARestart(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("access.json"), allowing(A));
        AccessControl access = AccessControl.load(file);
        Files.writeString(file, allowing(B));
        assertThat(access.reloadIfChanged()).isTrue();
        assertThat(access.reloads()).isEqualTo(1);
        assertThat(allows(access, A)).isFalse();
        assertThat(allows(access, B)).isTrue();
        assertThat(access.reloadIfChanged()).isFalse();
        assertThat(access.reloads()).isEqualTo(1);
    }

    @Test
    void theSameContentIsNoReloadWhateverItsModificationTime(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("access.json"), allowing(A));
        AccessControl access = AccessControl.load(file);
        AccessPolicy before = access.current();
        Files.writeString(file, allowing(A));
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        assertThat(access.reloadIfChanged()).isFalse();
        assertThat(access.reloads()).isZero();
        assertThat(access.current()).isSameAs(before);
    }

    @Test
    void aBrokenFileKeepsThePreviousPolicyAndIsCountedOnce(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("access.json"), allowing(A));
        AccessControl access = AccessControl.load(file);
        Files.writeString(file, "{\"publishers\":[\"" + B + "\"], \"delegation\": []}");
        assertThat(access.reloadIfChanged()).isFalse();
        assertThat(access.reloadErrors()).isEqualTo(1);
        assertThat(access.reloads()).isZero();
        assertThat(allows(access, A)).isTrue();
        assertThat(allows(access, B)).isFalse();
        // Polled again, the same broken content is not counted again.
        assertThat(access.reloadIfChanged()).isFalse();
        assertThat(access.reloadErrors()).isEqualTo(1);
        // Another broken content is another error; a file that went away too.
        Files.writeString(file, "not json");
        assertThat(access.reloadIfChanged()).isFalse();
        assertThat(access.reloadErrors()).isEqualTo(2);
        Files.delete(file);
        assertThat(access.reloadIfChanged()).isFalse();
        assertThat(access.reloadErrors()).isEqualTo(3);
        assertThat(allows(access, A)).isTrue();
        // Repaired, it is taken.
        Files.writeString(file, allowing(B));
        assertThat(access.reloadIfChanged()).isTrue();
        assertThat(access.reloads()).isEqualTo(1);
        assertThat(allows(access, B)).isTrue();
        assertThat(access.reloadErrors()).isEqualTo(3);
    }

    /**
     * A Kubernetes ConfigMap volume: {@code access.json -> ..data/access.json}, {@code ..data -> a
     * timestamped directory}, an update swapping {@code ..data} atomically.
     */
    @Test
    void aConfigMapSymlinkSwapIsSeen(@TempDir Path dir) throws Exception {
        Path v1 = Files.createDirectory(dir.resolve("..2025_01_01_00_00_00.1"));
        Path v2 = Files.createDirectory(dir.resolve("..2025_01_01_00_01_00.2"));
        Files.writeString(v1.resolve("access.json"), allowing(A));
        Files.writeString(v2.resolve("access.json"), allowing(B));
        Path data = Files.createSymbolicLink(dir.resolve("..data"), v1.getFileName());
        Path file =
                Files.createSymbolicLink(
                        dir.resolve("access.json"), Path.of("..data", "access.json"));
        AccessControl access = AccessControl.load(file);
        assertThat(allows(access, A)).isTrue();

        Path next = Files.createSymbolicLink(dir.resolve("..data_tmp"), v2.getFileName());
        Files.move(next, data, StandardCopyOption.ATOMIC_MOVE);
        assertThat(access.reloadIfChanged()).isTrue();
        assertThat(allows(access, A)).isFalse();
        assertThat(allows(access, B)).isTrue();
    }

    @Test
    void withoutAFileEveryMessageIsAllowed() {
        AccessControl access = AccessControl.allowAll();
        StreamrMessage plain = StreamrMessage.of(new ObjectMapper(), "s", bytes("x"), 1L);
        assertThat(access.check(plain).allowed()).isTrue();
        assertThat(allows(access, B)).isTrue();
        assertThat(access.reloadIfChanged()).isFalse();
        assertThat(access.reloads()).isZero();
        assertThat(access.reloadErrors()).isZero();
    }
}
