package dev.cellar.persistence.rdb;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Ziplists, the compact encoding of Redis before 7.0 (still loaded): a header of total bytes,
 * offset of the last entry (4 bytes each, little-endian) and entry count (2 bytes, 65535 meaning
 * "count them"), the entries, and a 0xFF terminator. Each entry holds the previous entry's length
 * (1 byte, or 0xFE and 4 bytes), an encoding (6/14/32-bit string length, the last two big-endian;
 * 8/16/24/32/64-bit int; or a 4-bit immediate 0 to 12) and the data. Decoding validates all of it.
 */
final class Ziplist {
    private Ziplist() {}

    private static final int HEADER = 10;

    /** The entries, integers as decimal strings. */
    static List<byte[]> decode(byte[] zl) throws BlobException {
        int len = zl.length;
        if (len < HEADER + 1) {
            throw new BlobException(0, "ziplist of " + len + " bytes (expected: at least 11, header and terminator)");
        }
        long total = Bytes.intLE(zl, 0) & 0xffffffffL;
        if (total != len) {
            throw new BlobException(0, "ziplist header says " + total + " bytes (expected: " + len + ", the blob's length)");
        }
        long tail = Bytes.intLE(zl, 4) & 0xffffffffL;
        int count = (zl[8] & 0xff) | (zl[9] & 0xff) << 8;
        if ((zl[len - 1] & 0xff) != 0xFF) {
            throw new BlobException(len - 1, "ziplist ends with 0x" + Listpack.hex(zl[len - 1]) + " (expected: terminator 0xff)");
        }
        int end = len - 1;
        List<byte[]> out = new ArrayList<>(count == 65535 ? 16 : count);
        int p = HEADER;
        int last = HEADER;
        int prevEntryLen = 0;
        while (p < end) {
            int start = p;
            int b = zl[p] & 0xff;
            long prevLen;
            if (b < 254) {
                prevLen = b;
                p += 1;
            } else if (b == 254) {
                need(p, 5, end, "5-byte previous-entry length");
                prevLen = Bytes.intLE(zl, p + 1) & 0xffffffffL;
                p += 5;
            } else {
                throw new BlobException(p, "ziplist terminator before the end of the blob (" + (end - p) + " bytes left)");
            }
            if (prevLen != prevEntryLen) {
                throw new BlobException(start, "ziplist entry " + out.size() + " says the previous entry has " + prevLen
                        + " bytes (expected: " + prevEntryLen + ")");
            }
            need(p, 1, end, "entry encoding");
            int e = zl[p] & 0xff;
            int header;
            long dataLen = 0;
            byte[] value = null;
            switch (e >>> 6) {
                case 0 -> {
                    header = 1;
                    dataLen = e & 0x3f;
                }
                case 1 -> {
                    need(p, 2, end, "14-bit string length");
                    header = 2;
                    dataLen = ((e & 0x3f) << 8) | (zl[p + 1] & 0xff);
                }
                case 2 -> {
                    need(p, 5, end, "32-bit string length");
                    header = 5;
                    dataLen = Bytes.intBE(zl, p + 1) & 0xffffffffL;
                }
                default -> {
                    switch (e) {
                        case 0xC0 -> {
                            need(p, 3, end, "16-bit integer");
                            header = 3;
                            value = Ints.toBytes(Bytes.shortLE(zl, p + 1));
                        }
                        case 0xD0 -> {
                            need(p, 5, end, "32-bit integer");
                            header = 5;
                            value = Ints.toBytes(Bytes.intLE(zl, p + 1));
                        }
                        case 0xE0 -> {
                            need(p, 9, end, "64-bit integer");
                            header = 9;
                            value = Ints.toBytes(Bytes.longLE(zl, p + 1));
                        }
                        case 0xF0 -> {
                            need(p, 4, end, "24-bit integer");
                            header = 4;
                            value = Ints.toBytes((zl[p + 1] & 0xff) | (zl[p + 2] & 0xff) << 8 | zl[p + 3] << 16);
                        }
                        case 0xFE -> {
                            need(p, 2, end, "8-bit integer");
                            header = 2;
                            value = Ints.toBytes(zl[p + 1]);
                        }
                        default -> {
                            if (e >= 0xF1 && e <= 0xFD) {
                                header = 1;
                                value = Ints.toBytes((e & 0x0f) - 1);
                            } else {
                                throw new BlobException(p, "ziplist entry " + out.size() + " has encoding byte 0x"
                                        + Listpack.hex(e) + " (expected: a valid entry encoding)");
                            }
                        }
                    }
                }
            }
            if (p + header + dataLen > end) {
                throw new BlobException(p, "ziplist entry " + out.size() + " of " + (header + dataLen)
                        + " bytes overruns the blob (" + (end - p) + " bytes left before the terminator)");
            }
            if (value == null) {
                value = Arrays.copyOfRange(zl, p + header, (int) (p + header + dataLen));
            }
            out.add(value);
            p = (int) (p + header + dataLen);
            prevEntryLen = p - start;
            last = start;
        }
        if (tail != last) {
            throw new BlobException(4, "ziplist header says the last entry is at " + tail + " (expected: " + last + ")");
        }
        if (count != 65535 && count != out.size()) {
            throw new BlobException(8, "ziplist header counts " + count + " entries (found: " + out.size() + ")");
        }
        return out;
    }

    private static void need(int p, int n, int end, String what) throws BlobException {
        if (p + n > end) {
            throw new BlobException(p, "ziplist " + what + " overruns the blob (" + (end - p) + " bytes left, expected: " + n + ")");
        }
    }
}
