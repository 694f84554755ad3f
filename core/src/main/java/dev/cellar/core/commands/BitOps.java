package dev.cellar.core.commands;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Bit arithmetic on strings for the bitmap commands (Redis's {@code bitops.c}). Bits are numbered
 * from the most significant bit of the first byte, as Redis numbers them.
 */
final class BitOps {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /** BITOP's operations. */
    enum Op { AND, OR, XOR, NOT }

    private BitOps() {}

    /** The number of set bits in {@code bytes[from..to]} (inclusive, byte indexes). */
    static long popcount(byte[] bytes, int from, int to) {
        long count = 0;
        int i = from;
        for (; i + 8 <= to + 1; i += 8) {
            count += Long.bitCount((long) LONGS.get(bytes, i));
        }
        for (; i <= to; i++) {
            count += Integer.bitCount(bytes[i] & 0xff);
        }
        return count;
    }

    /** The number of set bits between two bit positions, both inclusive. */
    static long popcountBits(byte[] bytes, long fromBit, long toBit) {
        int first = (int) (fromBit >>> 3);
        int last = (int) (toBit >>> 3);
        long count = popcount(bytes, first, last);
        // remove the bits of the edge bytes that lie outside the range
        int headMask = (0xff00 >>> (fromBit & 7)) & 0xff; // bits before fromBit
        int tailMask = 0xff >>> ((toBit & 7) + 1); // bits after toBit
        count -= Integer.bitCount(bytes[first] & headMask & 0xff);
        count -= Integer.bitCount(bytes[last] & tailMask);
        return count;
    }

    /**
     * The position of the first bit equal to {@code bit} between two bit positions (inclusive),
     * or -1 when there is none.
     */
    static long firstBit(byte[] bytes, long fromBit, long toBit, int bit) {
        long pos = fromBit;
        // the partial first byte, then whole bytes (skipping uniform ones), then within the byte
        while (pos <= toBit && (pos & 7) != 0) {
            if (bitAt(bytes, pos) == bit) {
                return pos;
            }
            pos++;
        }
        int skip = bit == 1 ? 0 : 0xff;
        int i = (int) (pos >>> 3);
        int lastWhole = (int) ((toBit + 1) >>> 3) - 1;
        while (i <= lastWhole && (bytes[i] & 0xff) == skip) {
            i++;
        }
        for (pos = (long) i << 3; pos <= toBit; pos++) {
            if (bitAt(bytes, pos) == bit) {
                return pos;
            }
        }
        return -1;
    }

    /** The bit at a position (which must be inside the array). */
    static int bitAt(byte[] bytes, long pos) {
        return (bytes[(int) (pos >>> 3)] >> (7 - (int) (pos & 7))) & 1;
    }

    /**
     * BITOP over the sources (null for a missing key, treated as empty); the result has the length of
     * the longest source, shorter ones padded with zero bytes.
     */
    static byte[] apply(Op op, byte[][] sources, int maxLength) {
        byte[] out = new byte[maxLength];
        if (op == Op.NOT) {
            byte[] src = sources[0];
            for (int i = 0; i < maxLength; i++) {
                out[i] = (byte) ~src[i];
            }
            return out;
        }
        byte[] first = sources[0];
        int firstLength = first == null ? 0 : first.length;
        System.arraycopy(first == null ? out : first, 0, out, 0, firstLength);
        for (int s = 1; s < sources.length; s++) {
            byte[] src = sources[s];
            int n = src == null ? 0 : src.length;
            switch (op) {
                case AND -> {
                    for (int i = 0; i < n; i++) {
                        out[i] &= src[i];
                    }
                    for (int i = n; i < maxLength; i++) {
                        out[i] = 0;
                    }
                }
                case OR -> {
                    for (int i = 0; i < n; i++) {
                        out[i] |= src[i];
                    }
                }
                case XOR -> {
                    for (int i = 0; i < n; i++) {
                        out[i] ^= src[i];
                    }
                }
                default -> throw new IllegalStateException();
            }
        }
        return out;
    }
}
