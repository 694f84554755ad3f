package dev.cellar.core.values;

import java.util.Arrays;

/**
 * A compact sequence of binary strings in one {@code byte[]}, Cellar's analogue of Redis's
 * listpack: each entry is a length (unsigned LEB128 varint, one byte below 128) followed by its
 * bytes. The array is always exactly as long as its contents, like a listpack after
 * {@code lpShrinkToFit}, so a small collection costs one array header plus its data.
 *
 * <p>Every operation is a linear walk and changes copy the array, as they do in Redis
 * ({@code realloc} plus {@code memmove}); callers keep listpacks small. The methods are static over
 * the array so that the owning value holds a single reference.
 */
final class Listpack {
    /** The empty listpack. */
    static final byte[] EMPTY = new byte[0];

    private Listpack() {}

    /** The length stored at {@code offset}. */
    static int length(byte[] lp, int offset) {
        int value = 0;
        int shift = 0;
        while (true) {
            int b = lp[offset++];
            value |= (b & 0x7f) << shift;
            if (b >= 0) {
                return value;
            }
            shift += 7;
        }
    }

    /** The number of bytes the length at {@code offset} takes. */
    static int headerSize(byte[] lp, int offset) {
        int n = 1;
        while (lp[offset++] < 0) {
            n++;
        }
        return n;
    }

    /** Where the data of the entry at {@code offset} starts. */
    static int dataStart(byte[] lp, int offset) {
        return offset + headerSize(lp, offset);
    }

    /** The offset just past the entry at {@code offset}. */
    static int next(byte[] lp, int offset) {
        return dataStart(lp, offset) + length(lp, offset);
    }

    /** A copy of the entry at {@code offset}. */
    static byte[] get(byte[] lp, int offset) {
        int start = dataStart(lp, offset);
        return Arrays.copyOfRange(lp, start, start + length(lp, offset));
    }

    /** Whether the entry at {@code offset} holds exactly {@code bytes}. */
    static boolean entryEquals(byte[] lp, int offset, byte[] bytes) {
        int len = length(lp, offset);
        if (len != bytes.length) {
            return false;
        }
        int start = dataStart(lp, offset);
        return Arrays.equals(lp, start, start + len, bytes, 0, len);
    }

    /** The size an entry of {@code dataLength} bytes takes, header included. */
    static int entrySize(int dataLength) {
        int header = 1;
        for (int v = dataLength >>> 7; v != 0; v >>>= 7) {
            header++;
        }
        return header + dataLength;
    }

    /** Writes an entry at {@code offset}; returns the offset past it. */
    static int write(byte[] lp, int offset, byte[] data) {
        int v = data.length;
        while (v >= 0x80) {
            lp[offset++] = (byte) (v | 0x80);
            v >>>= 7;
        }
        lp[offset++] = (byte) v;
        System.arraycopy(data, 0, lp, offset, data.length);
        return offset + data.length;
    }

    /** A new listpack with {@code a} and {@code b} appended. */
    static byte[] append(byte[] lp, byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(lp, lp.length + entrySize(a.length) + entrySize(b.length));
        write(out, write(out, lp.length, a), b);
        return out;
    }

    /**
     * The listpack with the entry at {@code offset} replaced by {@code data}; in place when the
     * size is unchanged.
     */
    static byte[] replace(byte[] lp, int offset, byte[] data) {
        int end = next(lp, offset);
        int size = entrySize(data.length);
        if (size == end - offset) {
            write(lp, offset, data);
            return lp;
        }
        byte[] out = new byte[lp.length - (end - offset) + size];
        System.arraycopy(lp, 0, out, 0, offset);
        int after = write(out, offset, data);
        System.arraycopy(lp, end, out, after, lp.length - end);
        return out;
    }

    /** The listpack without the bytes in {@code [from, to)}. */
    static byte[] cut(byte[] lp, int from, int to) {
        if (from == 0 && to == lp.length) {
            return EMPTY;
        }
        byte[] out = new byte[lp.length - (to - from)];
        System.arraycopy(lp, 0, out, 0, from);
        System.arraycopy(lp, to, out, from, lp.length - to);
        return out;
    }
}
