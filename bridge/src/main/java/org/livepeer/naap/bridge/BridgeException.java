package org.livepeer.naap.bridge;

/** A problem the bridge cannot go on with; the message says what was wrong and what to do. */
public final class BridgeException extends RuntimeException {
    public BridgeException(String message, Throwable cause) {
        super(message, cause);
    }

    public BridgeException(String message) {
        super(message);
    }
}
