package dev.cellar.core.values;

import dev.cellar.core.Numbers;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Redis's {@code intset}: a sorted array of distinct 64-bit integers in one {@code byte[]} blob,
 * every element stored in the narrowest width (2, 4 or 8 bytes, little-endian) that holds the
 * widest element. Byte 0 of the blob is the width; the elements follow. As in Redis the width only
 * grows, and every insertion or removal allocates a blob of the new exact size (the blob is never
 * larger than it must be), so lookups are binary searches and changes are O(n) copies.
 *
 * <p>Static functions over blobs rather than an object, so that a small set costs its
 * {@link SetValue} and one array.
 */
final class IntSet {
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private static final byte[] EMPTY = {2};

    private IntSet() {}

    /** An empty intset (shared: blobs are never changed in place, only replaced). */
    static byte[] empty() {
        return EMPTY;
    }

    /** The element width in bytes. */
    static int width(byte[] blob) {
        return blob[0];
    }

    /** The number of elements. */
    static int size(byte[] blob) {
        return (blob.length - 1) / blob[0];
    }

    /** The element at {@code index}. */
    static long get(byte[] blob, int index) {
        return read(blob, blob[0], index);
    }

    private static long read(byte[] blob, int width, int index) {
        int at = 1 + index * width;
        return switch (width) {
            case 2 -> (short) SHORT.get(blob, at);
            case 4 -> (int) INT.get(blob, at);
            default -> (long) LONG.get(blob, at);
        };
    }

    private static void write(byte[] blob, int width, int index, long value) {
        int at = 1 + index * width;
        switch (width) {
            case 2 -> SHORT.set(blob, at, (short) value);
            case 4 -> INT.set(blob, at, (int) value);
            default -> LONG.set(blob, at, value);
        }
    }

    /** An intset of {@code values}, strictly ascending (the caller's to know), written at once. */
    static byte[] ofSorted(long[] values) {
        if (values.length == 0) {
            return EMPTY;
        }
        int width = Math.max(widthFor(values[0]), widthFor(values[values.length - 1]));
        byte[] blob = new byte[1 + values.length * width];
        blob[0] = (byte) width;
        for (int i = 0; i < values.length; i++) {
            write(blob, width, i, values[i]);
        }
        return blob;
    }

    /** The narrowest width that holds {@code value}. */
    static int widthFor(long value) {
        if (value >= Short.MIN_VALUE && value <= Short.MAX_VALUE) {
            return 2;
        }
        if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) {
            return 4;
        }
        return 8;
    }

    /** The index of {@code value}, or {@code -(insertion point) - 1} when absent. */
    static int search(byte[] blob, long value) {
        int width = blob[0];
        int n = (blob.length - 1) / width;
        if (n == 0 || widthFor(value) > width) {
            return value < 0 ? -1 : -n - 1;
        }
        int lo = 0;
        int hi = n - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long v = read(blob, width, mid);
            if (v < value) {
                lo = mid + 1;
            } else if (v > value) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -lo - 1;
    }

    /** Whether {@code value} is an element. */
    static boolean contains(byte[] blob, long value) {
        return search(blob, value) >= 0;
    }

    /**
     * The blob with {@code value} added, or the same blob when it was already there. Widens every
     * element first when {@code value} needs a wider encoding (it then goes at one end).
     */
    static byte[] add(byte[] blob, long value) {
        int width = blob[0];
        int n = (blob.length - 1) / width;
        int needed = widthFor(value);
        if (needed > width) {
            byte[] out = new byte[1 + (n + 1) * needed];
            out[0] = (byte) needed;
            int shift = value < 0 ? 1 : 0;
            for (int i = 0; i < n; i++) {
                write(out, needed, i + shift, read(blob, width, i));
            }
            write(out, needed, value < 0 ? 0 : n, value);
            return out;
        }
        int at = search(blob, value);
        if (at >= 0) {
            return blob;
        }
        at = -at - 1;
        byte[] out = new byte[blob.length + width];
        out[0] = (byte) width;
        System.arraycopy(blob, 1, out, 1, at * width);
        write(out, width, at, value);
        System.arraycopy(blob, 1 + at * width, out, 1 + (at + 1) * width, (n - at) * width);
        return out;
    }

    /** The blob without the element at {@code index} (the width is kept, as Redis keeps it). */
    static byte[] removeAt(byte[] blob, int index) {
        int width = blob[0];
        byte[] out = Arrays.copyOf(blob, blob.length - width);
        System.arraycopy(blob, 1 + (index + 1) * width, out, 1 + index * width, blob.length - 1 - (index + 1) * width);
        return out;
    }

    /**
     * Whether a member is an intset element: a canonical decimal 64-bit integer as Redis's
     * {@code string2ll} accepts it (optional {@code -}, no {@code +}, no leading zeros, no spaces).
     */
    static boolean isInteger(byte[] member) {
        int n = member.length;
        if (n == 0 || n > 20) {
            return false;
        }
        if (n == 1 && member[0] == '0') {
            return true;
        }
        int i = member[0] == '-' ? 1 : 0;
        if (i == n || member[i] < '1' || member[i] > '9') {
            return false;
        }
        long v = 0;
        for (; i < n; i++) {
            int d = member[i] - '0';
            if (d < 0 || d > 9 || v < (Long.MIN_VALUE + d) / 10) {
                return false;
            }
            v = v * 10 - d;
        }
        return member[0] == '-' || v != Long.MIN_VALUE;
    }

    /** The value of a member that {@link #isInteger} accepted. */
    static long valueOf(byte[] member) {
        return Numbers.parseLong(member);
    }
}
