package dev.cellar.core.commands;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Redis's HyperLogLog string, byte for byte ({@code hyperloglog.c}): a 16-byte header ("HYLL", the
 * encoding, three unused bytes, the cached cardinality in 8 little-endian bytes whose top bit marks
 * it stale), then 16384 six-bit registers, either dense (12288 bytes) or sparse: ZERO
 * ({@code 00xxxxxx}: 1-64 empty registers), XZERO ({@code 01xxxxxx xxxxxxxx}: 1-16384) and VAL
 * ({@code 1vvvvvxx}: 1-4 registers of value 1-32) opcodes, promoted to dense past
 * {@code hll-sparse-max-bytes} or a value over 32. An element's register and value come from
 * MurmurHash64A with Redis's seed; the count is Ertl's estimator, as Redis 5 and later compute it.
 * Because the bytes are Redis's, GET, DUMP, RDB files and AOFs carry HLLs between the two servers.
 *
 * <p>Values are Cellar strings, which do not change once stored: every change here works on a
 * copy, which the caller stores.
 */
final class HyperLogLog {
    static final int HEADER = 16;
    private static final int P = 14;
    private static final int Q = 64 - P;
    static final int REGISTERS = 1 << P;
    private static final int BITS = 6;
    static final int DENSE_SIZE = HEADER + (REGISTERS * BITS + 7) / 8;
    static final byte DENSE = 0;
    static final byte SPARSE = 1;
    private static final int VAL_MAX_VALUE = 32;
    private static final int VAL_MAX_LEN = 4;
    private static final int ZERO_MAX_LEN = 64;
    private static final double ALPHA_INF = 0.721347520444481703680;

    private HyperLogLog() {}

    /** A new, empty HLL: sparse, one XZERO opcode over every register, the cached count 0. */
    static byte[] create() {
        byte[] h = new byte[HEADER + 2];
        h[0] = 'H';
        h[1] = 'Y';
        h[2] = 'L';
        h[3] = 'L';
        h[4] = SPARSE;
        int len = REGISTERS - 1;
        h[HEADER] = (byte) ((len >> 8) | 0x40);
        h[HEADER + 1] = (byte) (len & 0xff);
        return h;
    }

    /** Redis's isHLLObjectOrReply: the magic, a known encoding, and the exact size when dense. */
    static boolean isValid(byte[] v) {
        return v.length >= HEADER && v[0] == 'H' && v[1] == 'Y' && v[2] == 'L' && v[3] == 'L'
                && (v[4] == DENSE || v[4] == SPARSE) && (v[4] != DENSE || v.length == DENSE_SIZE);
    }

    static void invalidateCache(byte[] h) {
        h[15] |= (byte) 0x80;
    }

    static boolean cacheValid(byte[] h) {
        return (h[15] & 0x80) == 0;
    }

    static long cachedCount(byte[] h) {
        long card = 0;
        for (int i = 7; i >= 0; i--) {
            card = (card << 8) | (h[8 + i] & 0xff);
        }
        return card;
    }

    static void setCachedCount(byte[] h, long card) {
        for (int i = 0; i < 8; i++) {
            h[8 + i] = (byte) (card >>> (8 * i));
        }
    }

    // ------------------------------------------------------------------ hashing

    /** Redis's MurmurHash64A (little-endian 8-byte blocks). */
    static long murmur64a(byte[] key, int seed) {
        final long m = 0xc6a4a7935bd1e995L;
        final int r = 47;
        int len = key.length;
        long h = (seed & 0xffffffffL) ^ (len * m);
        int end = len - (len & 7);
        for (int i = 0; i < end; i += 8) {
            long k = (key[i] & 0xffL) | (key[i + 1] & 0xffL) << 8 | (key[i + 2] & 0xffL) << 16
                    | (key[i + 3] & 0xffL) << 24 | (key[i + 4] & 0xffL) << 32 | (key[i + 5] & 0xffL) << 40
                    | (key[i + 6] & 0xffL) << 48 | (key[i + 7] & 0xffL) << 56;
            k *= m;
            k ^= k >>> r;
            k *= m;
            h ^= k;
            h *= m;
        }
        int rest = len & 7;
        if (rest > 0) {
            for (int i = rest - 1; i >= 0; i--) {
                h ^= (key[end + i] & 0xffL) << (8 * i);
            }
            h *= m;
        }
        h ^= h >>> r;
        h *= m;
        h ^= h >>> r;
        return h;
    }

    /** The register an element falls in (low bits) and the value it proposes ({@code {index, count}}). */
    static int[] patLen(byte[] element) {
        long hash = murmur64a(element, 0xadc83b19);
        int index = (int) (hash & (REGISTERS - 1));
        hash >>>= P;
        hash |= 1L << Q;
        int count = Long.numberOfTrailingZeros(hash) + 1;
        return new int[] {index, count};
    }

    // ------------------------------------------------------------------ dense registers

    static int denseGet(byte[] h, int index) {
        int bit = index * BITS;
        int b = HEADER + bit / 8;
        int fb = bit & 7;
        int b0 = h[b] & 0xff;
        int b1 = b + 1 < h.length ? h[b + 1] & 0xff : 0;
        return ((b0 >> fb) | (b1 << (8 - fb))) & 63;
    }

    static void denseSet(byte[] h, int index, int value) {
        int bit = index * BITS;
        int b = HEADER + bit / 8;
        int fb = bit & 7;
        int fb8 = 8 - fb;
        h[b] = (byte) ((h[b] & ~(63 << fb)) | (value << fb));
        if (b + 1 < h.length) {
            h[b + 1] = (byte) ((h[b + 1] & ~(63 >> fb8)) | (value >> fb8));
        }
    }

    // ------------------------------------------------------------------ sparse opcodes

    private static boolean isZero(int op) {
        return (op & 0xc0) == 0;
    }

    private static boolean isXZero(int op) {
        return (op & 0xc0) == 0x40;
    }

    private static int zeroLen(int op) {
        return (op & 0x3f) + 1;
    }

    private static int xzeroLen(int op0, int op1) {
        return (((op0 & 0x3f) << 8) | op1) + 1;
    }

    private static int valValue(int op) {
        return ((op >> 2) & 0x1f) + 1;
    }

    private static int valLen(int op) {
        return (op & 0x3) + 1;
    }

    private static byte val(int value, int len) {
        return (byte) (((value - 1) << 2) | (len - 1) | 0x80);
    }

    /**
     * The dense form of a sparse HLL (the header, cached count included, copied), or null when the
     * opcodes do not cover exactly the registers (a corrupt value).
     */
    static byte[] toDense(byte[] h) {
        if (h[4] == DENSE) {
            return h;
        }
        byte[] dense = new byte[DENSE_SIZE];
        System.arraycopy(h, 0, dense, 0, HEADER);
        dense[4] = DENSE;
        return walkSparse(h, (from, run, value) -> {
            for (int i = from; i < from + run; i++) {
                denseSet(dense, i, value);
            }
        }) ? dense : null;
    }

    /** Called for each VAL run of a sparse HLL: {@code run} registers from {@code from} hold {@code value}. */
    private interface Runs {
        void run(int from, int run, int value);
    }

    /**
     * Walks a sparse HLL's opcodes, handing each VAL run on; false when they do not cover exactly
     * the registers (a corrupt value), as Redis's hllSparseToDense and hllMerge check.
     */
    private static boolean walkSparse(byte[] h, Runs runs) {
        int idx = 0;
        int p = HEADER;
        while (p < h.length) {
            int op = h[p] & 0xff;
            if (isZero(op)) {
                idx += zeroLen(op);
                p++;
            } else if (isXZero(op)) {
                if (p + 1 >= h.length) {
                    return false;
                }
                idx += xzeroLen(op, h[p + 1] & 0xff);
                p += 2;
            } else {
                int run = valLen(op);
                if (run + idx > REGISTERS) {
                    return false;
                }
                runs.run(idx, run, valValue(op));
                idx += run;
                p++;
            }
        }
        return idx == REGISTERS;
    }

    /** What an add did: the value now (maybe a new array), and whether a register grew; null value: corrupt. */
    record Added(byte[] hll, boolean changed) {}

    /** Adds an element (Redis's hllAdd) to a copy of {@code h} when it changes anything. */
    static Added add(byte[] h, byte[] element, long sparseMaxBytes) {
        int[] pl = patLen(element);
        return set(h, pl[0], pl[1], sparseMaxBytes);
    }

    /** Raises register {@code index} to {@code count} if lower, in a copy; Redis's hllDenseSet/hllSparseSet. */
    static Added set(byte[] h, int index, int count, long sparseMaxBytes) {
        if (h[4] == DENSE) {
            if (denseGet(h, index) >= count) {
                return new Added(h, false);
            }
            byte[] out = h.clone();
            denseSet(out, index, count);
            return new Added(out, true);
        }
        return sparseSet(h, index, count, sparseMaxBytes);
    }

    private static Added promote(byte[] h, int index, int count) {
        byte[] dense = toDense(h);
        if (dense == null) {
            return new Added(null, false);
        }
        if (denseGet(dense, index) < count) {
            denseSet(dense, index, count);
        }
        return new Added(dense, true);
    }

    private static Added sparseSet(byte[] h, int index, int count, long sparseMaxBytes) {
        if (count > VAL_MAX_VALUE) {
            return promote(h, index, count);
        }
        // Step 1: the opcode covering the register
        int end = h.length;
        int p = HEADER;
        int first = 0;
        int prev = -1;
        int span = 0;
        while (p < end) {
            int op = h[p] & 0xff;
            int oplen = 1;
            if (isZero(op)) {
                span = zeroLen(op);
            } else if (!isXZero(op)) {
                span = valLen(op);
            } else {
                if (p + 1 >= end) {
                    return new Added(null, false);
                }
                span = xzeroLen(op, h[p + 1] & 0xff);
                oplen = 2;
            }
            if (index <= first + span - 1) {
                break;
            }
            prev = p;
            p += oplen;
            first += span;
        }
        if (span == 0 || p >= end) {
            return new Added(null, false);
        }
        int op = h[p] & 0xff;
        boolean zero = isZero(op);
        boolean xzero = isXZero(op);
        boolean isVal = !zero && !xzero;
        int runlen = zero ? zeroLen(op) : xzero ? xzeroLen(op, h[p + 1] & 0xff) : valLen(op);
        byte[] out;
        // Step 2: the trivial updates in place (cases A, B, C)
        if (isVal && valValue(op) >= count) {
            return new Added(h, false);
        }
        if ((isVal || zero) && runlen == 1) {
            out = h.clone();
            out[p] = val(count, 1);
        } else {
            // Case D: split the opcode into up to three (XZERO - VAL - XZERO at worst)
            byte[] seq = new byte[5];
            int n = 0;
            int last = first + span - 1;
            if (zero || xzero) {
                if (index != first) {
                    n = putZeros(seq, n, index - first);
                }
                seq[n++] = val(count, 1);
                if (index != last) {
                    n = putZeros(seq, n, last - index);
                }
            } else {
                int current = valValue(op);
                if (index != first) {
                    seq[n++] = val(current, index - first);
                }
                seq[n++] = val(count, 1);
                if (index != last) {
                    seq[n++] = val(current, last - index);
                }
            }
            int oldlen = xzero ? 2 : 1;
            int delta = n - oldlen;
            if (delta > 0 && h.length + delta > sparseMaxBytes) {
                return promote(h, index, count);
            }
            // Step 3: the new sequence in place of the old opcode
            out = new byte[h.length + delta];
            System.arraycopy(h, 0, out, 0, p);
            System.arraycopy(seq, 0, out, p, n);
            System.arraycopy(h, p + oldlen, out, p + n, h.length - p - oldlen);
        }
        // Step 4: merge adjacent VALs of the same value, scanning up to 5 opcodes from prev
        int len = out.length;
        int q = prev >= 0 ? prev : HEADER;
        int scan = 5;
        while (q < len && scan-- > 0) {
            int o = out[q] & 0xff;
            if (isXZero(o)) {
                q += 2;
                continue;
            } else if (isZero(o)) {
                q++;
                continue;
            }
            if (q + 1 < len && !isZero(out[q + 1] & 0xff) && !isXZero(out[q + 1] & 0xff)) {
                int next = out[q + 1] & 0xff;
                if (valValue(o) == valValue(next)) {
                    int merged = valLen(o) + valLen(next);
                    if (merged <= VAL_MAX_LEN) {
                        out[q + 1] = val(valValue(o), merged);
                        System.arraycopy(out, q + 1, out, q, len - q - 1);
                        len--;
                        continue;
                    }
                }
            }
            q++;
        }
        if (len != out.length) {
            out = Arrays.copyOf(out, len);
        }
        invalidateCache(out);
        return new Added(out, true);
    }

    private static int putZeros(byte[] seq, int n, int len) {
        if (len > ZERO_MAX_LEN) {
            int l = len - 1;
            seq[n] = (byte) ((l >> 8) | 0x40);
            seq[n + 1] = (byte) (l & 0xff);
            return n + 2;
        }
        seq[n] = (byte) (len - 1);
        return n + 1;
    }

    /** PFDEBUG DECODE: the sparse opcodes as Redis prints them ({@code z:N}, {@code Z:N}, {@code v:value,run}). */
    static String describeSparse(byte[] h) {
        StringBuilder sb = new StringBuilder();
        int p = HEADER;
        while (p < h.length) {
            int op = h[p] & 0xff;
            if (sb.length() > 0) {
                sb.append(' ');
            }
            if (isZero(op)) {
                sb.append("z:").append(zeroLen(op));
                p++;
            } else if (isXZero(op)) {
                sb.append("Z:").append(p + 1 < h.length ? xzeroLen(op, h[p + 1] & 0xff) : 0);
                p += 2;
            } else {
                sb.append("v:").append(valValue(op)).append(',').append(valLen(op));
                p++;
            }
        }
        return sb.toString();
    }

    /**
     * PFSELFTEST: dense registers set and read back; random adds to a sparse HLL agree, register for
     * register, with the same adds to a dense one, through promotion; the count of 10,000 distinct
     * elements within 5%. Null when all holds, else what failed.
     */
    static String selfTest(SplittableRandom random) {
        byte[] dense = toDense(create());
        for (int i = 0; i < REGISTERS; i++) {
            int v = random.nextInt(64);
            denseSet(dense, i, v);
            if (denseGet(dense, i) != v) {
                return "dense register " + i + " read back wrong";
            }
        }
        byte[] sparse = create();
        byte[] reference = toDense(create());
        for (int i = 0; i < 10_000; i++) {
            byte[] element = Long.toString(random.nextLong()).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Added a = add(sparse, element, 3000);
            Added b = add(reference, element, 3000);
            if (a.hll() == null || b.hll() == null) {
                return "an add found the value corrupt";
            }
            sparse = a.hll();
            reference = b.hll();
        }
        byte[] x = registers(sparse);
        byte[] y = registers(reference);
        if (x == null || !Arrays.equals(x, y)) {
            return "sparse and dense registers differ";
        }
        long count = count(y);
        if (Math.abs(count - 10_000) > 500) {
            return "count of 10000 distinct elements is " + count;
        }
        return null;
    }

    // ------------------------------------------------------------------ counting and merging

    /** Raises {@code max} (one byte per register) to each register of {@code h}; false when corrupt. */
    static boolean mergeInto(byte[] max, byte[] h) {
        if (h[4] == DENSE) {
            for (int i = 0; i < REGISTERS; i++) {
                int v = denseGet(h, i);
                if (v > max[i]) {
                    max[i] = (byte) v;
                }
            }
            return true;
        }
        return walkSparse(h, (from, run, value) -> {
            for (int i = from; i < from + run; i++) {
                if (value > max[i]) {
                    max[i] = (byte) value;
                }
            }
        });
    }

    /** The estimated cardinality of registers given one byte each (Redis's hllCount). */
    static long count(byte[] registers) {
        int[] histogram = new int[64];
        for (int i = 0; i < REGISTERS; i++) {
            histogram[registers[i]]++;
        }
        double m = REGISTERS;
        double z = m * tau((m - histogram[Q + 1]) / m);
        for (int j = Q; j >= 1; --j) {
            z += histogram[j];
            z *= 0.5;
        }
        z += m * sigma(histogram[0] / m);
        return Math.round(ALPHA_INF * m * m / z);
    }

    /** The registers of a valid HLL, one byte each, or null when corrupt. */
    static byte[] registers(byte[] h) {
        byte[] max = new byte[REGISTERS];
        return mergeInto(max, h) ? max : null;
    }

    private static double sigma(double x) {
        if (x == 1.0) {
            return Double.POSITIVE_INFINITY;
        }
        double zPrime;
        double y = 1;
        double z = x;
        do {
            x *= x;
            zPrime = z;
            z += x * y;
            y += y;
        } while (zPrime != z);
        return z;
    }

    private static double tau(double x) {
        if (x == 0.0 || x == 1.0) {
            return 0.0;
        }
        double zPrime;
        double y = 1.0;
        double z = 1 - x;
        do {
            x = Math.sqrt(x);
            zPrime = z;
            y *= 0.5;
            z -= Math.pow(1 - x, 2) * y;
        } while (zPrime != z);
        return z / 3;
    }
}
