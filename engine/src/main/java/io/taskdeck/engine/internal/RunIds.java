package io.taskdeck.engine.internal;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * Time-ordered ids: a prefix, then 26 lowercase Crockford base32 characters (48 bits of
 * milliseconds, 80 random bits). Ids made by one generator strictly increase, even within a
 * millisecond or if the clock steps back, so sorting by id is sorting by creation.
 */
public final class RunIds {

    private static final byte[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".getBytes(StandardCharsets.US_ASCII);

    private final SecureRandom random = new SecureRandom();
    private long lastMillis = -1;
    private long hi;  // 16 random bits
    private long lo;  // 64 random bits

    public synchronized String next(String prefix, long millis) {
        if (millis > lastMillis) {
            lastMillis = millis;
            hi = random.nextInt(1 << 15);  // leave headroom for increments
            lo = random.nextLong();
        } else {
            lo++;
            if (lo == 0) {
                hi++;
            }
        }
        int p = prefix.length();
        byte[] out = new byte[p + 26];  // ASCII only: the String keeps one byte per char
        for (int i = 0; i < p; i++) {
            char c = prefix.charAt(i);
            if (c > 127) {
                throw new IllegalArgumentException("id prefix must be ASCII: " + prefix);
            }
            out[i] = (byte) c;
        }
        long time = lastMillis;
        // 10 chars of time (50 bits, top 2 zero), 16 chars of randomness (80 bits).
        for (int i = p + 9; i >= p; i--) {
            out[i] = ALPHABET[(int) (time & 31)];
            time >>>= 5;
        }
        long l = lo;
        long h = hi;
        for (int i = p + 25; i >= p + 10; i--) {
            out[i] = ALPHABET[(int) (l & 31)];
            l = (l >>> 5) | ((h & 31) << 59);
            h >>>= 5;
        }
        return new String(out, StandardCharsets.ISO_8859_1);
    }
}
