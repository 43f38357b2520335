package dev.hotmem.internal.store;

import java.security.SecureRandom;
import java.time.Clock;

/**
 * Monotonic ULID generator: 48 bits of Unix milliseconds then 80 random bits, as 26 Crockford
 * base-32 characters, so ids sort by creation time as strings. Within one millisecond (or if the
 * clock steps back) the random part is incremented instead of redrawn, so ids from one generator
 * are strictly increasing. Thread-safe.
 */
public final class Ulid {
  private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private long lastMillis = -1;
  private long randHi; // upper 16 of the 80 random bits
  private long randLo; // lower 64 of the 80 random bits

  public Ulid(Clock clock) {
    this.clock = clock;
  }

  /** The next id; strictly greater than every id this generator returned before. */
  public synchronized String next() {
    long now = clock.millis();
    if (now > lastMillis) {
      lastMillis = now;
      randHi = random.nextInt() & 0xFFFFL;
      randLo = random.nextLong();
    } else {
      randLo++;
      if (randLo == 0) {
        randHi = (randHi + 1) & 0xFFFFL;
        if (randHi == 0) {
          lastMillis++; // 2^80 ids in one millisecond: borrow the next millisecond
        }
      }
    }
    return encode(lastMillis, randHi, randLo);
  }

  static String encode(long millis, long hi16, long lo64) {
    char[] out = new char[26];
    // 10 chars of time (50 bits, top 2 always zero for 48-bit time)
    for (int i = 9; i >= 0; i--) {
      out[i] = ALPHABET[(int) (millis & 31)];
      millis >>>= 5;
    }
    // 16 chars of randomness: 80 bits = hi16 then lo64
    for (int i = 25; i >= 10; i--) {
      out[i] = ALPHABET[(int) (lo64 & 31)];
      lo64 = (lo64 >>> 5) | ((hi16 & 31) << 59);
      hi16 >>>= 5;
    }
    return new String(out);
  }
}
