package org.livepeer.naap.workload;

import java.time.LocalDate;
import java.util.SplittableRandom;

/** Deterministic random streams, identifiers, addresses and timestamp texts. */
final class Ids {
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final char[] BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();

    private Ids() {}

    /**
     * An independent random stream for one purpose and index, derived from the root seed only, so
     * that no stream's draws depend on how much another stream consumed.
     */
    static SplittableRandom rng(long seed, String purpose, long index) {
        long z = mix(seed + 0x9E3779B97F4A7C15L * (purpose.hashCode() + 1L));
        return new SplittableRandom(mix(z ^ mix(index + 0x632BE59BD9B4E019L)));
    }

    /** SplitMix64's finalizer. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A version 4 UUID. */
    static String uuid(SplittableRandom r) {
        long hi = (r.nextLong() & 0xFFFFFFFFFFFF0FFFL) | 0x0000000000004000L;
        long lo = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        char[] c = new char[36];
        int p = 0;
        for (int i = 0; i < 16; i++) {
            if (i == 8 || i == 12) {
                c[p++] = '-';
            }
            c[p++] = HEX[(int) (hi >>> (60 - 4 * i)) & 0xF];
        }
        for (int i = 0; i < 16; i++) {
            if (i == 0 || i == 4) {
                c[p++] = '-';
            }
            c[p++] = HEX[(int) (lo >>> (60 - 4 * i)) & 0xF];
        }
        return new String(c);
    }

    static String hex(SplittableRandom r, int n) {
        char[] c = new char[n];
        for (int i = 0; i < n; i++) {
            c[i] = HEX[r.nextInt(16)];
        }
        return new String(c);
    }

    static String base36(SplittableRandom r, int n) {
        char[] c = new char[n];
        for (int i = 0; i < n; i++) {
            c[i] = BASE36[r.nextInt(36)];
        }
        return new String(c);
    }

    /**
     * A 20-byte address with the mixed-case look of EIP-55 (the casing is random, not the keccak
     * checksum, which would need a hash library: the pipeline only compares addresses
     * case-insensitively).
     */
    static String address(SplittableRandom r) {
        char[] c = new char[42];
        c[0] = '0';
        c[1] = 'x';
        for (int i = 2; i < 42; i++) {
            char h = HEX[r.nextInt(16)];
            c[i] = h >= 'a' && r.nextBoolean() ? Character.toUpperCase(h) : h;
        }
        return new String(c);
    }

    /**
     * RFC 3339 in UTC as Go's {@code RFC3339Nano} writes it: the fraction has up to nine digits,
     * trailing zeros cut, none when zero.
     *
     * @param subMillisNanos nanoseconds within the millisecond, 0 to 999999
     */
    static String rfc3339(long epochMs, int subMillisNanos) {
        long secs = Math.floorDiv(epochMs, 1000L);
        int ms = (int) Math.floorMod(epochMs, 1000L);
        LocalDate d = LocalDate.ofEpochDay(Math.floorDiv(secs, 86400L));
        int sod = (int) Math.floorMod(secs, 86400L);
        StringBuilder sb = new StringBuilder(32);
        pad(sb, d.getYear(), 4).append('-');
        pad(sb, d.getMonthValue(), 2).append('-');
        pad(sb, d.getDayOfMonth(), 2).append('T');
        pad(sb, sod / 3600, 2).append(':');
        pad(sb, sod / 60 % 60, 2).append(':');
        pad(sb, sod % 60, 2);
        long frac = ms * 1_000_000L + subMillisNanos;
        if (frac > 0) {
            int digits = 9;
            while (frac % 10 == 0) {
                frac /= 10;
                digits--;
            }
            sb.append('.');
            pad(sb, frac, digits);
        }
        return sb.append('Z').toString();
    }

    private static StringBuilder pad(StringBuilder sb, long v, int width) {
        String s = Long.toString(v);
        for (int i = s.length(); i < width; i++) {
            sb.append('0');
        }
        return sb.append(s);
    }
}
