package io.taskdeck.engine.internal;

import java.security.SecureRandom;

/**
 * Time-ordered ids: a prefix, then 26 lowercase Crockford base32 characters (48 bits of
 * milliseconds, 80 random bits). Ids made by one generator strictly increase, even within a
 * millisecond or if the clock steps back, so sorting by id is sorting by creation.
 */
public final class RunIds {

    private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();

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
        char[] out = new char[26];
        long time = lastMillis;
        // 10 chars of time (50 bits, top 2 zero), 16 chars of randomness (80 bits).
        for (int i = 9; i >= 0; i--) {
            out[i] = ALPHABET[(int) (time & 31)];
            time >>>= 5;
        }
        long l = lo;
        long h = hi;
        for (int i = 25; i >= 10; i--) {
            out[i] = ALPHABET[(int) (l & 31)];
            l = (l >>> 5) | ((h & 31) << 59);
            h >>>= 5;
        }
        return prefix + new String(out);
    }
}
