package dev.cellar.persistence.rdb;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Zipmaps, the small-hash encoding of Redis before 2.6 (RDB type 9, still loaded): a count byte
 * (254 or more meaning "count them"), then per pair the key length, key, value length, a "free"
 * byte, the value and that many unused bytes, then 0xFF. Lengths are one byte below 254, else 254
 * followed by four little-endian bytes.
 */
final class Zipmap {
    private Zipmap() {}

    /** Fields and values alternating. */
    static List<byte[]> decode(byte[] zm) throws BlobException {
        int len = zm.length;
        if (len < 2) {
            throw new BlobException(0, "zipmap of " + len + " bytes (expected: at least 2, count and terminator)");
        }
        int count = zm[0] & 0xff;
        int end = len - 1;
        if ((zm[end] & 0xff) != 0xFF) {
            throw new BlobException(end, "zipmap ends with 0x" + Listpack.hex(zm[end]) + " (expected: terminator 0xff)");
        }
        List<byte[]> out = new ArrayList<>();
        int[] p = {1};
        while (p[0] < end) {
            byte[] field = string(zm, p, end, false, out.size() / 2);
            if (p[0] >= end) {
                throw new BlobException(p[0], "zipmap field " + out.size() / 2 + " has no value");
            }
            byte[] value = string(zm, p, end, true, out.size() / 2);
            out.add(field);
            out.add(value);
        }
        if (p[0] != end) {
            throw new BlobException(p[0], "zipmap entries overrun the terminator");
        }
        if (count < 254 && count != out.size() / 2) {
            throw new BlobException(0, "zipmap header counts " + count + " pairs (found: " + out.size() / 2 + ")");
        }
        return out;
    }

    private static byte[] string(byte[] zm, int[] pp, int end, boolean withFree, int pair) throws BlobException {
        int p = pp[0];
        int b = zm[p] & 0xff;
        long n;
        if (b < 254) {
            n = b;
            p += 1;
        } else if (b == 254) {
            if (p + 5 > end) {
                throw new BlobException(p, "zipmap 5-byte length of pair " + pair + " overruns the blob");
            }
            n = Bytes.intLE(zm, p + 1) & 0xffffffffL;
            p += 5;
        } else {
            throw new BlobException(p, "zipmap terminator inside pair " + pair);
        }
        int free = 0;
        if (withFree) {
            if (p + 1 > end) {
                throw new BlobException(p, "zipmap free byte of pair " + pair + " overruns the blob");
            }
            free = zm[p] & 0xff;
            p += 1;
        }
        if (p + n + free > end) {
            throw new BlobException(p, "zipmap " + (withFree ? "value" : "field") + " of pair " + pair + " (" + n
                    + " bytes) overruns the blob");
        }
        byte[] s = Arrays.copyOfRange(zm, p, (int) (p + n));
        pp[0] = (int) (p + n + free);
        return s;
    }
}
