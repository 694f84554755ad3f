package dev.cellar.persistence.rdb;

/**
 * LZF, the compression of RDB strings, in the stream format of Marc Lehmann's liblzf that Redis
 * embeds. A compressed stream is a sequence of chunks, each starting with a control byte:
 * {@code 000LLLLL} is a literal run of L+1 bytes; {@code LLLooooo [LLLLLLLL] oooooooo} is a
 * back-reference of length L+2 (when the three bits are all ones, the next byte adds to them) at
 * distance o+1 (13 bits, so at most 8 KB back).
 *
 * <p>A compressor keeps its hash table between calls (stale entries are harmless: every candidate
 * match is verified), so one instance per writer thread avoids a 64 KB allocation per string.
 * Instances are not thread-safe; {@link #decompress} is static and is.
 */
final class Lzf {
    private static final int HASH_LOG = 14;
    private static final int MAX_LITERAL = 32;
    private static final int MAX_OFFSET = 1 << 13;
    private static final int MAX_MATCH = (7 + 255) + 2;

    private final int[] table = new int[1 << HASH_LOG];

    /**
     * Compresses {@code in[0, len)} into {@code out}, writing at most {@code outLimit} bytes.
     * Returns the compressed length, or 0 when the result would not fit (as liblzf does).
     */
    int compress(byte[] in, int len, byte[] out, int outLimit) {
        final int[] table = this.table;
        int ip = 0;
        int op = 1; // out[0] is reserved for the length of the first literal run
        int lit = 0;
        if (outLimit < 2) {
            return 0;
        }
        while (ip < len - 2) {
            if (op + 4 > outLimit) {
                return 0;
            }
            int v = ((in[ip] & 0xff) << 16) | ((in[ip + 1] & 0xff) << 8) | (in[ip + 2] & 0xff);
            int h = (v * -1640531535) >>> (32 - HASH_LOG);
            int ref = table[h] - 1;
            table[h] = ip + 1;
            int off = ip - ref - 1;
            if (ref >= 0 && ref < ip && off < MAX_OFFSET
                    && in[ref] == in[ip] && in[ref + 1] == in[ip + 1] && in[ref + 2] == in[ip + 2]) {
                int max = Math.min(MAX_MATCH, len - ip);
                int l = 3;
                while (l < max && in[ref + l] == in[ip + l]) {
                    l++;
                }
                if (lit == 0) {
                    op--;
                } else {
                    out[op - lit - 1] = (byte) (lit - 1);
                }
                lit = 0;
                int code = l - 2;
                if (code < 7) {
                    out[op++] = (byte) ((code << 5) | (off >>> 8));
                } else {
                    out[op++] = (byte) ((7 << 5) | (off >>> 8));
                    out[op++] = (byte) (code - 7);
                }
                out[op++] = (byte) off;
                op++; // reserve the next literal run's length
                // index the position after the match start too, which finds more repeats cheaply
                int next = ip + l;
                if (next < len - 2) {
                    int p = next - 1;
                    int w = ((in[p] & 0xff) << 16) | ((in[p + 1] & 0xff) << 8) | (in[p + 2] & 0xff);
                    table[(w * -1640531535) >>> (32 - HASH_LOG)] = p + 1;
                }
                ip = next;
            } else {
                out[op++] = in[ip++];
                if (++lit == MAX_LITERAL) {
                    out[op - lit - 1] = (byte) (MAX_LITERAL - 1);
                    lit = 0;
                    op++;
                }
            }
        }
        while (ip < len) {
            if (op + 2 > outLimit) {
                return 0;
            }
            out[op++] = in[ip++];
            if (++lit == MAX_LITERAL) {
                out[op - lit - 1] = (byte) (MAX_LITERAL - 1);
                lit = 0;
                op++;
            }
        }
        if (lit == 0) {
            op--;
        } else {
            out[op - lit - 1] = (byte) (lit - 1);
        }
        return op > outLimit ? 0 : op;
    }

    /**
     * Decompresses {@code in[off, off+len)} into a new array of exactly {@code outLen} bytes.
     *
     * @throws IllegalArgumentException naming the input position when the stream is malformed or
     *                                  does not produce exactly {@code outLen} bytes
     */
    static byte[] decompress(byte[] in, int off, int len, int outLen) {
        byte[] out = new byte[outLen];
        int ip = off;
        int end = off + len;
        int op = 0;
        while (ip < end) {
            int ctrl = in[ip++] & 0xff;
            if (ctrl < 32) {
                int run = ctrl + 1;
                if (ip + run > end) {
                    throw new IllegalArgumentException("LZF literal run of " + run + " bytes at input byte " + (ip - off - 1)
                            + " overruns the compressed data (" + (end - ip) + " bytes left)");
                }
                if (op + run > outLen) {
                    throw new IllegalArgumentException("LZF data expands beyond the declared length " + outLen);
                }
                System.arraycopy(in, ip, out, op, run);
                ip += run;
                op += run;
            } else {
                int l = ctrl >>> 5;
                if (l == 7) {
                    if (ip >= end) {
                        throw new IllegalArgumentException("LZF back-reference truncated at input byte " + (ip - off));
                    }
                    l += in[ip++] & 0xff;
                }
                if (ip >= end) {
                    throw new IllegalArgumentException("LZF back-reference truncated at input byte " + (ip - off));
                }
                int ref = op - ((ctrl & 0x1f) << 8) - (in[ip++] & 0xff) - 1;
                l += 2;
                if (ref < 0) {
                    throw new IllegalArgumentException("LZF back-reference before the start of the output at input byte "
                            + (ip - off - 2));
                }
                if (op + l > outLen) {
                    throw new IllegalArgumentException("LZF data expands beyond the declared length " + outLen);
                }
                if (ref + l <= op) {
                    System.arraycopy(out, ref, out, op, l);
                    op += l;
                } else {
                    for (int k = 0; k < l; k++) {
                        out[op++] = out[ref++];
                    }
                }
            }
        }
        if (op != outLen) {
            throw new IllegalArgumentException("LZF data expands to " + op + " bytes (expected: " + outLen + ")");
        }
        return out;
    }
}
