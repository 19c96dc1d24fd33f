package org.livepeer.naap.schemas;

import java.util.Locale;

/**
 * One rule for comparing node addresses: Ethereum addresses arrive in lower case in traces and in
 * EIP-55 mixed case in capabilities and payments, so every node id uses the lower-cased form. The
 * original casing stays in the payload and raw text.
 */
public final class Addresses {
    private Addresses() {}

    /** The address trimmed and lower-cased; null when null, empty or blank. */
    public static String normalize(String address) {
        if (address == null) {
            return null;
        }
        String trimmed = address.trim();
        return trimmed.isEmpty() ? null : trimmed.toLowerCase(Locale.ROOT);
    }
}
