package org.livepeer.naap.bridge;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge's current {@link AccessPolicy}, from a file that may change while the bridge runs (a
 * publisher added, a hot key rotated), so that access changes need no restart.
 *
 * <p>{@link #reloadIfChanged()} compares the file's content (a SHA-256 of its bytes), not its
 * modification time, which is no reliable sign of a change: a Kubernetes ConfigMap update swaps a
 * symlink to a new directory rather than writing the file, copies can keep an old mtime, and a
 * rewrite of the same content must not count as a reload.
 *
 * <p>A broken new file must not open or close the gate by accident: the previous policy stays, the
 * error is logged and counted once per broken content (the bridge polls; a line and a count per
 * poll would only repeat the same fault).
 *
 * <p>Thread-safe: the MQTT callback thread checks messages against a volatile reference while
 * another thread reloads.
 */
public final class AccessControl {
    private static final Logger LOG = LoggerFactory.getLogger(AccessControl.class);

    private record Loaded(AccessPolicy policy, String digest) {}

    private final Path file;
    private volatile Loaded loaded;
    private String lastFailure;
    private final AtomicLong reloads = new AtomicLong();
    private final AtomicLong reloadErrors = new AtomicLong();

    private AccessControl(Path file, Loaded loaded) {
        this.file = file;
        this.loaded = loaded;
    }

    /**
     * The policy of a file, to be reloaded when it changes.
     *
     * @throws IllegalArgumentException naming the file when it cannot be read or is not a valid
     *     policy: a bridge told to control access must not start without a policy
     */
    public static AccessControl load(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "access policy " + file + ": cannot read the file: " + e, e);
        }
        AccessPolicy policy;
        try {
            policy = AccessPolicy.parse(bytes);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("access policy " + file + ": " + e.getMessage(), e);
        }
        LOG.info(
                "access policy {} loaded: {} publishers, {} delegates",
                file,
                policy.publishers().size(),
                policy.delegations().size());
        return new AccessControl(file, new Loaded(policy, sha256(bytes)));
    }

    /** For a bridge without a policy file: every message allowed, nothing to reload. */
    public static AccessControl allowAll() {
        return new AccessControl(null, new Loaded(AccessPolicy.allowAll(), null));
    }

    /** The policy in force. */
    public AccessPolicy current() {
        return loaded.policy();
    }

    /** The current policy's verdict on a message. */
    public AccessPolicy.Decision check(StreamrMessage m) {
        return loaded.policy().check(m);
    }

    /**
     * Re-reads the file and takes its policy if the content changed and is valid. Called
     * periodically by the bridge.
     *
     * @return true when a new policy was taken
     */
    public synchronized boolean reloadIfChanged() {
        if (file == null) {
            return false;
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            fail("io:" + e, "cannot read the file: " + e);
            return false;
        }
        String digest = sha256(bytes);
        if (digest.equals(loaded.digest())) {
            lastFailure = null;
            return false;
        }
        AccessPolicy policy;
        try {
            policy = AccessPolicy.parse(bytes);
        } catch (IllegalArgumentException e) {
            fail(digest, e.getMessage());
            return false;
        }
        loaded = new Loaded(policy, digest);
        lastFailure = null;
        reloads.incrementAndGet();
        LOG.info(
                "access policy {} reloaded: {} publishers, {} delegates",
                file,
                policy.publishers().size(),
                policy.delegations().size());
        return true;
    }

    /** Policies taken from a changed file since the start. */
    public long reloads() {
        return reloads.get();
    }

    /** Changed files that could not be read or were not valid, each counted once. */
    public long reloadErrors() {
        return reloadErrors.get();
    }

    private void fail(String failure, String message) {
        if (failure.equals(lastFailure)) {
            return;
        }
        lastFailure = failure;
        reloadErrors.incrementAndGet();
        LOG.error("access policy {} not reloaded, keeping the previous one: {}", file, message);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
