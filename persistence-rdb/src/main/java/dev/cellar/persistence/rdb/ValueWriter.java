package dev.cellar.persistence.rdb;

import static dev.cellar.persistence.rdb.RdbConstants.*;

import dev.cellar.spi.persistence.DataValue;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes the RDB encodings of lengths, strings and values as Redis 7.0 does (rdbSaveLen,
 * rdbSaveRawString, rdbSaveObject), choosing each value's on-disk type from its in-memory encoding.
 * Shared by the file writer and the DUMP/RESTORE codec. Holds an LZF compressor, so one instance
 * per writing thread.
 */
final class ValueWriter {
    /** Redis never packs more entries than this into one quicklist node (a 16-bit count). */
    private static final int MAX_NODE_COUNT = 65535;
    private static final int[] NODE_SIZE_BY_FILL = {4096, 8192, 16384, 32768, 65536};
    /** Redis's limit on a node's listpack for positive fill (count) settings. */
    private static final int SIZE_SAFETY_LIMIT = 8192;

    private final boolean compression;
    private final int listMaxListpackSize;
    private Lzf lzf;
    private byte[] lzfOut;

    /**
     * @param compression         LZF-compress strings longer than 20 bytes ({@code rdbcompression})
     * @param listMaxListpackSize quicklist node limit ({@code list-max-listpack-size}): negative
     *                            -1 to -5 for 4 to 64 KB, positive for an entry count
     */
    ValueWriter(boolean compression, int listMaxListpackSize) {
        this.compression = compression;
        this.listMaxListpackSize = listMaxListpackSize;
    }

    static void writeLength(RdbOutput out, long len) throws IOException {
        if (len < 0) {
            throw new IllegalArgumentException("negative length " + len);
        }
        if (len < 1 << 6) {
            out.writeByte((int) len);
        } else if (len < 1 << 14) {
            out.writeByte((int) (len >>> 8) | (LEN_14BIT << 6));
            out.writeByte((int) len);
        } else if (len <= 0xffffffffL) {
            out.writeByte(LEN_32BIT);
            out.writeIntBE((int) len);
        } else {
            out.writeByte(LEN_64BIT);
            out.writeLongBE(len);
        }
    }

    /** A string, int-encoded when it is a small canonical integer, else LZF-compressed when that pays. */
    void writeString(RdbOutput out, byte[] s) throws IOException {
        int len = s.length;
        if (len <= 11 && len > 0 && Ints.isCanonical(s)) {
            long v = Ints.parse(s);
            if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
                out.writeByte((LEN_ENCVAL << 6) | ENC_INT8);
                out.writeByte((int) v);
                return;
            } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
                out.writeByte((LEN_ENCVAL << 6) | ENC_INT16);
                out.writeShortLE((int) v);
                return;
            } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                out.writeByte((LEN_ENCVAL << 6) | ENC_INT32);
                out.writeIntLE((int) v);
                return;
            }
        }
        if (compression && len > LZF_MIN_LENGTH && writeCompressed(out, s)) {
            return;
        }
        writeLength(out, len);
        out.write(s, 0, len);
    }

    /** Redis keeps the compressed form only when it fits in {@code len - 4} bytes. */
    private boolean writeCompressed(RdbOutput out, byte[] s) throws IOException {
        int limit = s.length - 4;
        if (lzf == null) {
            lzf = new Lzf();
        }
        if (lzfOut == null || lzfOut.length < limit) {
            lzfOut = new byte[Math.max(limit, 1024)];
        }
        int clen = lzf.compress(s, s.length, lzfOut, limit);
        if (clen == 0) {
            return false;
        }
        out.writeByte((LEN_ENCVAL << 6) | ENC_LZF);
        writeLength(out, clen);
        writeLength(out, s.length);
        out.write(lzfOut, 0, clen);
        if (lzfOut.length > 1 << 20) {
            lzfOut = null; // do not pin a large buffer after one large value
        }
        return true;
    }

    /** The RDB type byte for a value (version 10 types only). */
    static int typeOf(DataValue value) {
        if (value instanceof DataValue.StringData) {
            return TYPE_STRING;
        } else if (value instanceof DataValue.ListData) {
            return TYPE_LIST_QUICKLIST_2;
        } else if (value instanceof DataValue.HashData) {
            return "listpack".equals(value.encoding()) ? TYPE_HASH_LISTPACK : TYPE_HASH;
        } else if (value instanceof DataValue.SetData set) {
            return "intset".equals(value.encoding()) && intsetMembers(set) != null ? TYPE_SET_INTSET : TYPE_SET;
        } else {
            return "listpack".equals(value.encoding()) ? TYPE_ZSET_LISTPACK : TYPE_ZSET_2;
        }
    }

    /** Writes the value in the encoding of {@code type}, which {@link #typeOf} chose. */
    void writeValue(RdbOutput out, int type, DataValue value) throws IOException {
        try {
            switch (type) {
                case TYPE_STRING -> writeString(out, ((DataValue.StringData) value).bytes());
                case TYPE_LIST_QUICKLIST_2 -> writeQuicklist(out, (DataValue.ListData) value);
                case TYPE_HASH_LISTPACK -> {
                    Listpack.Builder lp = new Listpack.Builder();
                    ((DataValue.HashData) value).forEach((f, v) -> lp.add(f).add(v));
                    writeString(out, lp.build());
                }
                case TYPE_HASH -> {
                    DataValue.HashData h = (DataValue.HashData) value;
                    writeLength(out, h.size());
                    h.forEach((f, v) -> {
                        writeStringUnchecked(out, f);
                        writeStringUnchecked(out, v);
                    });
                }
                case TYPE_SET_INTSET -> writeString(out, Intset.encode(intsetMembers((DataValue.SetData) value)));
                case TYPE_SET -> {
                    DataValue.SetData s = (DataValue.SetData) value;
                    writeLength(out, s.size());
                    s.forEach(m -> writeStringUnchecked(out, m));
                }
                case TYPE_ZSET_LISTPACK -> {
                    Listpack.Builder lp = new Listpack.Builder();
                    ((DataValue.ZSetData) value).forEach((m, score) -> lp.add(m).add(scoreBytes(score)));
                    writeString(out, lp.build());
                }
                case TYPE_ZSET_2 -> {
                    DataValue.ZSetData z = (DataValue.ZSetData) value;
                    writeLength(out, z.size());
                    z.forEach((m, score) -> {
                        writeStringUnchecked(out, m);
                        try {
                            out.writeLongLE(Double.doubleToRawLongBits(score));
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
                }
                default -> throw new IllegalArgumentException("cannot write value type " + type);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private void writeStringUnchecked(RdbOutput out, byte[] s) {
        try {
            writeString(out, s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Quicklist v2 with listpack nodes, cut where Redis would cut them. Two passes over the list:
     * the first sizes the nodes (the count goes first), the second builds one node at a time.
     */
    private void writeQuicklist(RdbOutput out, DataValue.ListData list) throws IOException {
        int sizeLimit = listMaxListpackSize < 0
                ? NODE_SIZE_BY_FILL[Math.min(-listMaxListpackSize, NODE_SIZE_BY_FILL.length) - 1] : SIZE_SAFETY_LIMIT;
        int countLimit = listMaxListpackSize > 0 ? Math.min(listMaxListpackSize, MAX_NODE_COUNT) : MAX_NODE_COUNT;
        NodeCutter sizing = new NodeCutter(sizeLimit, countLimit);
        list.forEach(sizing::add);
        writeLength(out, sizing.nodes);
        if (sizing.nodes == 0) {
            return;
        }
        NodeCutter cutter = new NodeCutter(sizeLimit, countLimit);
        Listpack.Builder[] node = {new Listpack.Builder()};
        list.forEach(e -> {
            if (cutter.add(e) && node[0].count() > 0) {
                emitNode(out, node[0]);
                node[0] = new Listpack.Builder();
            }
            node[0].add(e);
        });
        emitNode(out, node[0]);
    }

    private void emitNode(RdbOutput out, Listpack.Builder lp) {
        try {
            writeLength(out, QUICKLIST_NODE_PACKED);
            writeString(out, lp.build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Decides node boundaries from element sizes alone. */
    private static final class NodeCutter {
        final int sizeLimit;
        final int countLimit;
        long nodes;
        long bytes;
        int count;

        NodeCutter(int sizeLimit, int countLimit) {
            this.sizeLimit = sizeLimit;
            this.countLimit = countLimit;
        }

        /** Accounts for one element; true when it starts a new node. */
        boolean add(byte[] e) {
            long entry = entrySize(e);
            if (count > 0 && count < countLimit && bytes + entry <= sizeLimit) {
                bytes += entry;
                count++;
                return false;
            }
            nodes++;
            bytes = Listpack.HEADER + 1 + entry;
            count = 1;
            return true;
        }
    }

    /** The bytes an element takes in a listpack (encoding, data, back-length). */
    static long entrySize(byte[] s) {
        long enc;
        if (Ints.isCanonical(s)) {
            long v = Ints.parse(s);
            enc = v >= 0 && v <= 127 ? 1 : v >= -4096 && v <= 4095 ? 2 : v >= Short.MIN_VALUE && v <= Short.MAX_VALUE ? 3
                    : v >= -(1 << 23) && v < (1 << 23) ? 4 : v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE ? 5 : 9;
        } else {
            int n = s.length;
            enc = (n < 64 ? 1 : n < 4096 ? 2 : 5) + (long) n;
        }
        return enc + Listpack.backLenSize(enc);
    }

    /** The members of a set as integers, or null when one is not a canonical integer. */
    static long[] intsetMembers(DataValue.SetData set) {
        long[] v = new long[(int) set.size()];
        int[] i = {0};
        boolean[] ok = {true};
        set.forEach(m -> {
            if (!ok[0] || i[0] >= v.length || !Ints.isCanonical(m)) {
                ok[0] = false;
                return;
            }
            v[i[0]++] = Ints.parse(m);
        });
        return ok[0] && i[0] == v.length ? v : null;
    }

    /** A score as Redis 7.0 stores it in a listpack: integral values as integers, others round-trip exactly. */
    static byte[] scoreBytes(double d) {
        if (d == 0) {
            return (1 / d < 0 ? "-0" : "0").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }
        if (Double.isInfinite(d)) {
            return (d > 0 ? "inf" : "-inf").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }
        if (d > -4503599627370495.0 && d < 4503599627370496.0 && d == (double) (long) d) {
            return Ints.toBytes((long) d);
        }
        return Double.toString(d).replace('E', 'e').getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
