package dev.cellar.persistence.rdb;

import java.util.Arrays;
import java.util.List;

/**
 * Listpacks, Redis 7's compact encoding of small hashes, sorted sets, sets and quicklist nodes:
 * a 4-byte total length and 2-byte entry count (both little-endian; count 65535 means "count them"),
 * the entries, and a 0xFF terminator. Each entry is an encoding byte (7-bit unsigned int, 6/12/32-bit
 * string length, 13/16/24/32/64-bit int), its data, and a "back-length": the entry's size in 1 to 5
 * bytes read right to left, seven bits per byte, the high bit meaning "another byte to the left".
 *
 * <p>Decoding validates everything (header, each entry's encoding and bounds, back-lengths, the
 * terminator, the count), so a corrupt blob is an error naming the blob offset, never a wrong value.
 */
final class Listpack {
    private Listpack() {}

    static final int HEADER = 6;
    static final int EOF = 0xFF;
    static final int UNKNOWN_COUNT = 65535;

    /** What {@link #walk} hands on of each entry, once the entry is checked. */
    interface Entries {
        /** A string entry: {@code lp[from..to)}. */
        void string(byte[] lp, int from, int to);

        /** An integer entry. */
        void integer(long value);
    }

    /** The entries of a listpack, integers as their decimal strings. */
    static List<byte[]> decode(byte[] lp) throws BlobException {
        return Arrays.asList(decodeArray(lp));
    }

    /**
     * The entries of a listpack as an array exactly as long as their number (integers as their
     * decimal strings), filled in one walk (sized by the header's count when it gives one).
     */
    static byte[][] decodeArray(byte[] lp) throws BlobException {
        Collector c = new Collector(Math.min(declaredCount(lp, 16), 1024));
        walk(lp, c);
        return c.n == c.out.length ? c.out : Arrays.copyOf(c.out, c.n);
    }

    /** Gathers every entry as an array. */
    private static final class Collector implements Entries {
        byte[][] out;
        int n;

        Collector(int capacity) {
            out = new byte[Math.max(1, capacity)][];
        }

        @Override
        public void string(byte[] lp, int from, int to) {
            add(Arrays.copyOfRange(lp, from, to));
        }

        @Override
        public void integer(long value) {
            add(Ints.toBytes(value));
        }

        private void add(byte[] entry) {
            if (n == out.length) {
                out = Arrays.copyOf(out, n * 2);
            }
            out[n++] = entry;
        }
    }

    /** The count the header declares, or {@code unknown} when it does not say (or is too short). */
    static int declaredCount(byte[] lp, int unknown) {
        int header = lp.length >= HEADER ? (lp[4] & 0xff) | (lp[5] & 0xff) << 8 : UNKNOWN_COUNT;
        return header == UNKNOWN_COUNT ? unknown : header;
    }

    /**
     * Checks a listpack as {@link #decode} does and returns its number of entries, making no
     * arrays for them (a list node the engine takes over as it is).
     */
    static int count(byte[] lp) throws BlobException {
        return walk(lp, null);
    }

    /** Validates every entry; hands each to {@code out} unless it is null; returns the count. */
    static int walk(byte[] lp, Entries out) throws BlobException {
        int len = lp.length;
        if (len < HEADER + 1) {
            throw new BlobException(0, "listpack of " + len + " bytes (expected: at least 7, header and terminator)");
        }
        long total = Bytes.intLE(lp, 0) & 0xffffffffL;
        if (total != len) {
            throw new BlobException(0, "listpack header says " + total + " bytes (expected: " + len + ", the blob's length)");
        }
        int count = (lp[4] & 0xff) | (lp[5] & 0xff) << 8;
        if ((lp[len - 1] & 0xff) != EOF) {
            throw new BlobException(len - 1, "listpack ends with 0x" + hex(lp[len - 1]) + " (expected: terminator 0xff)");
        }
        int n = 0;
        int end = len - 1;
        int p = HEADER;
        while (p < end) {
            int b = lp[p] & 0xff;
            int header;
            long dataLen;
            boolean integer = true;
            long value = 0;
            if ((b & 0x80) == 0) {
                header = 1;
                dataLen = 0;
                value = b;
            } else if ((b & 0xC0) == 0x80) {
                header = 1;
                dataLen = b & 0x3f;
                integer = false;
            } else if ((b & 0xE0) == 0xC0) {
                need(p, 2, end, "13-bit integer");
                header = 2;
                dataLen = 0;
                int v = ((b & 0x1f) << 8) | (lp[p + 1] & 0xff);
                value = v >= 1 << 12 ? v - (1 << 13) : v;
            } else if ((b & 0xF0) == 0xE0) {
                need(p, 2, end, "12-bit string length");
                header = 2;
                dataLen = ((b & 0x0f) << 8) | (lp[p + 1] & 0xff);
                integer = false;
            } else {
                switch (b) {
                    case 0xF0 -> {
                        need(p, 5, end, "32-bit string length");
                        header = 5;
                        dataLen = Bytes.intLE(lp, p + 1) & 0xffffffffL;
                        integer = false;
                    }
                    case 0xF1 -> {
                        need(p, 3, end, "16-bit integer");
                        header = 3;
                        dataLen = 0;
                        value = Bytes.shortLE(lp, p + 1);
                    }
                    case 0xF2 -> {
                        need(p, 4, end, "24-bit integer");
                        header = 4;
                        dataLen = 0;
                        int v = (lp[p + 1] & 0xff) | (lp[p + 2] & 0xff) << 8 | lp[p + 3] << 16;
                        value = v;
                    }
                    case 0xF3 -> {
                        need(p, 5, end, "32-bit integer");
                        header = 5;
                        dataLen = 0;
                        value = Bytes.intLE(lp, p + 1);
                    }
                    case 0xF4 -> {
                        need(p, 9, end, "64-bit integer");
                        header = 9;
                        dataLen = 0;
                        value = Bytes.longLE(lp, p + 1);
                    }
                    default -> throw new BlobException(p, "listpack entry " + n + " has encoding byte 0x" + hex(b)
                            + (b == EOF ? " (terminator before the end of the blob)" : " (expected: a valid entry encoding)"));
                }
            }
            long entryLen = header + dataLen;
            if (p + entryLen > end) {
                throw new BlobException(p, "listpack entry " + n + " of " + entryLen + " bytes overruns the blob ("
                        + (end - p) + " bytes left before the terminator)");
            }
            int backLen = backLenSize(entryLen);
            int q = (int) (p + entryLen);
            if (q + backLen > end) {
                throw new BlobException(q, "listpack entry " + n + " back-length overruns the blob");
            }
            long decoded = decodeBackLen(lp, q + backLen - 1, q);
            if (decoded != entryLen) {
                throw new BlobException(q, "listpack entry " + n + " back-length says " + decoded
                        + " (expected: " + entryLen + ")");
            }
            if (out != null) {
                if (integer) {
                    out.integer(value);
                } else {
                    out.string(lp, p + header, (int) (p + entryLen));
                }
            }
            n++;
            p = q + backLen;
        }
        if (count != UNKNOWN_COUNT && count != n) {
            throw new BlobException(4, "listpack header counts " + count + " entries (found: " + n + ")");
        }
        return n;
    }

    private static void need(int p, int n, int end, String what) throws BlobException {
        if (p + n > end) {
            throw new BlobException(p, "listpack " + what + " overruns the blob (" + (end - p) + " bytes left, expected: " + n + ")");
        }
    }

    /** How many bytes Redis uses for a back-length of {@code l}. */
    static int backLenSize(long l) {
        if (l <= 127) {
            return 1;
        } else if (l < 16383) {
            return 2;
        } else if (l < 2097151) {
            return 3;
        } else if (l < 268435455) {
            return 4;
        }
        return 5;
    }

    /** Reads a back-length whose last byte is at {@code last}, not looking before {@code first}. */
    private static long decodeBackLen(byte[] lp, int last, int first) {
        long v = 0;
        int shift = 0;
        for (int i = last; i >= first; i--) {
            v |= (long) (lp[i] & 0x7f) << shift;
            if ((lp[i] & 0x80) == 0) {
                return i == first ? v : -1;
            }
            shift += 7;
        }
        return -1;
    }

    static String hex(int b) {
        return String.format("%02x", b & 0xff);
    }

    /** Builds a listpack as Redis 7.0 writes one. */
    static final class Builder {
        private byte[] buf = new byte[64];
        private int pos = HEADER;
        private int count;

        /** Appends an element, as an integer when it is a canonical integer string (as Redis does). */
        Builder add(byte[] s) {
            if (Ints.isCanonical(s)) {
                return addInt(Ints.parse(s));
            }
            return addString(s);
        }

        Builder addString(byte[] s) {
            int n = s.length;
            ensure(n + 5 + 5);
            int start = pos;
            if (n < 64) {
                buf[pos++] = (byte) (0x80 | n);
            } else if (n < 4096) {
                buf[pos++] = (byte) (0xE0 | (n >>> 8));
                buf[pos++] = (byte) n;
            } else {
                buf[pos++] = (byte) 0xF0;
                Bytes.putIntLE(buf, pos, n);
                pos += 4;
            }
            System.arraycopy(s, 0, buf, pos, n);
            pos += n;
            backLen(pos - start);
            return this;
        }

        Builder addInt(long v) {
            ensure(9 + 1);
            int start = pos;
            if (v >= 0 && v <= 127) {
                buf[pos++] = (byte) v;
            } else if (v >= -4096 && v <= 4095) {
                int u = (int) (v < 0 ? (1 << 13) + v : v);
                buf[pos++] = (byte) (0xC0 | (u >>> 8));
                buf[pos++] = (byte) u;
            } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
                buf[pos++] = (byte) 0xF1;
                buf[pos++] = (byte) v;
                buf[pos++] = (byte) (v >>> 8);
            } else if (v >= -(1 << 23) && v < (1 << 23)) {
                buf[pos++] = (byte) 0xF2;
                buf[pos++] = (byte) v;
                buf[pos++] = (byte) (v >>> 8);
                buf[pos++] = (byte) (v >>> 16);
            } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                buf[pos++] = (byte) 0xF3;
                Bytes.putIntLE(buf, pos, (int) v);
                pos += 4;
            } else {
                buf[pos++] = (byte) 0xF4;
                Bytes.putLongLE(buf, pos, v);
                pos += 8;
            }
            backLen(pos - start);
            return this;
        }

        private void backLen(int l) {
            switch (backLenSize(l)) {
                case 1 -> buf[pos++] = (byte) l;
                case 2 -> {
                    buf[pos++] = (byte) (l >>> 7);
                    buf[pos++] = (byte) ((l & 127) | 128);
                }
                case 3 -> {
                    buf[pos++] = (byte) (l >>> 14);
                    buf[pos++] = (byte) (((l >>> 7) & 127) | 128);
                    buf[pos++] = (byte) ((l & 127) | 128);
                }
                case 4 -> {
                    buf[pos++] = (byte) (l >>> 21);
                    buf[pos++] = (byte) (((l >>> 14) & 127) | 128);
                    buf[pos++] = (byte) (((l >>> 7) & 127) | 128);
                    buf[pos++] = (byte) ((l & 127) | 128);
                }
                default -> {
                    buf[pos++] = (byte) (l >>> 28);
                    buf[pos++] = (byte) (((l >>> 21) & 127) | 128);
                    buf[pos++] = (byte) (((l >>> 14) & 127) | 128);
                    buf[pos++] = (byte) (((l >>> 7) & 127) | 128);
                    buf[pos++] = (byte) ((l & 127) | 128);
                }
            }
            count++;
        }

        private void ensure(int n) {
            if (buf.length - pos < n + 1) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n + 1));
            }
        }

        /** The size the finished listpack will have. */
        int bytes() {
            return pos + 1;
        }

        /** The number of entries so far. */
        int count() {
            return count;
        }

        /** The finished listpack. */
        byte[] build() {
            byte[] lp = Arrays.copyOf(buf, pos + 1);
            lp[pos] = (byte) EOF;
            Bytes.putIntLE(lp, 0, lp.length);
            int c = Math.min(count, UNKNOWN_COUNT);
            lp[4] = (byte) c;
            lp[5] = (byte) (c >>> 8);
            return lp;
        }
    }
}
