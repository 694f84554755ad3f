package dev.cellar.persistence.rdb;

import java.util.Arrays;

/**
 * Intsets, the encoding of small all-integer sets: the width of every element (2, 4 or 8 bytes)
 * and the count (4 bytes each, little-endian), then the elements, little-endian, strictly ascending.
 */
final class Intset {
    private Intset() {}

    /** The elements, validated: width, size, strictly ascending. */
    static long[] decode(byte[] is) throws BlobException {
        if (is.length < 8) {
            throw new BlobException(0, "intset of " + is.length + " bytes (expected: at least its 8-byte header)");
        }
        int width = Bytes.intLE(is, 0);
        if (width != 2 && width != 4 && width != 8) {
            throw new BlobException(0, "intset element width " + width + " (expected: 2, 4 or 8)");
        }
        long count = Bytes.intLE(is, 4) & 0xffffffffL;
        if (8 + count * width != is.length) {
            throw new BlobException(4, "intset of " + count + " elements of " + width + " bytes in " + is.length
                    + " bytes (expected: " + (8 + count * width) + ")");
        }
        long[] out = new long[(int) count];
        for (int i = 0, p = 8; i < count; i++, p += width) {
            long v = switch (width) {
                case 2 -> Bytes.shortLE(is, p);
                case 4 -> Bytes.intLE(is, p);
                default -> Bytes.longLE(is, p);
            };
            if (i > 0 && v <= out[i - 1]) {
                throw new BlobException(p, "intset element " + i + " is " + v + " after " + out[i - 1]
                        + " (expected: strictly ascending)");
            }
            out[i] = v;
        }
        return out;
    }

    /** An intset of {@code values} (sorted here; must be distinct). */
    static byte[] encode(long[] values) {
        long[] v = values.clone();
        Arrays.sort(v);
        int width = 2;
        if (v.length > 0) {
            long min = v[0];
            long max = v[v.length - 1];
            if (min < Integer.MIN_VALUE || max > Integer.MAX_VALUE) {
                width = 8;
            } else if (min < Short.MIN_VALUE || max > Short.MAX_VALUE) {
                width = 4;
            }
        }
        byte[] is = new byte[8 + v.length * width];
        Bytes.putIntLE(is, 0, width);
        Bytes.putIntLE(is, 4, v.length);
        for (int i = 0, p = 8; i < v.length; i++, p += width) {
            switch (width) {
                case 2 -> {
                    is[p] = (byte) v[i];
                    is[p + 1] = (byte) (v[i] >>> 8);
                }
                case 4 -> Bytes.putIntLE(is, p, (int) v[i]);
                default -> Bytes.putLongLE(is, p, v[i]);
            }
        }
        return is;
    }
}
