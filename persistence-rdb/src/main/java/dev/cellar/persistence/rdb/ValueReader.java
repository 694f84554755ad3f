package dev.cellar.persistence.rdb;

import static dev.cellar.persistence.rdb.RdbConstants.*;

import dev.cellar.spi.persistence.DataValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the RDB encodings of lengths, strings, doubles and values (rdbLoadLen,
 * rdbGenericLoadStringObject, rdbLoadObject). Shared by the file reader and the DUMP/RESTORE codec.
 */
final class ValueReader {
    private ValueReader() {}

    /** A length (6, 14, 32 or 64 bits). */
    static long readLength(RdbInput in, String what) throws IOException {
        long at = in.offset();
        int b = in.readUnsignedByte(what);
        return lengthAfter(in, b, at, what);
    }

    private static long lengthAfter(RdbInput in, int b, long at, String what) throws IOException {
        switch (b >>> 6) {
            case LEN_6BIT:
                return b & 0x3f;
            case LEN_14BIT:
                return ((b & 0x3f) << 8) | in.readUnsignedByte(what);
            case LEN_32OR64:
                if (b == LEN_32BIT) {
                    return in.readIntBE(what) & 0xffffffffL;
                } else if (b == LEN_64BIT) {
                    long v = in.readLongBE(what);
                    if (v < 0) {
                        throw new RdbFormatException(at, "64-bit length " + Long.toUnsignedString(v) + " out of range (" + what + ")");
                    }
                    return v;
                }
                throw new RdbFormatException(at, "length encoding byte 0x" + Listpack.hex(b) + " (expected: 0x80 or 0x81 after the 10 bits; "
                        + what + ")");
            default:
                throw new RdbFormatException(at, "string encoding byte 0x" + Listpack.hex(b) + " where a length was expected (" + what + ")");
        }
    }

    /** A length that must fit in an int (element counts of in-memory arrays). */
    static int readCount(RdbInput in, String what) throws IOException {
        long at = in.offset();
        long n = readLength(in, what);
        if (n > Integer.MAX_VALUE - 16) {
            throw new RdbFormatException(at, what + " " + n + " is too large (expected: <= " + (Integer.MAX_VALUE - 16) + ")");
        }
        return (int) n;
    }

    /** A string: plain, int-encoded or LZF-compressed. */
    static byte[] readString(RdbInput in, String what) throws IOException {
        long at = in.offset();
        int b = in.readUnsignedByte(what);
        if ((b >>> 6) != LEN_ENCVAL) {
            return in.readBytes(lengthAfter(in, b, at, what), what);
        }
        switch (b & 0x3f) {
            case ENC_INT8:
                return Ints.toBytes((byte) in.readUnsignedByte(what));
            case ENC_INT16:
                return Ints.toBytes((short) in.readUnsignedShortLE(what));
            case ENC_INT32:
                return Ints.toBytes(in.readIntLE(what));
            case ENC_LZF: {
                // Fixed descriptions for the parts, and what the string is added only when one
                // fails: building "<what>, LZF data" for every compressed string cost more than
                // reading many of them.
                long clen;
                long len;
                byte[] c;
                try {
                    clen = readLength(in, "LZF compressed length");
                    len = readLength(in, "LZF uncompressed length");
                    c = len > Integer.MAX_VALUE - 16 ? null : in.readBytes(clen, "LZF data");
                } catch (RdbFormatException e) {
                    throw new RdbFormatException(e.offset(), e.problem() + " (" + what + ")");
                }
                if (c == null) {
                    throw new RdbFormatException(at, "LZF string of " + len + " bytes is too large (" + what + ")");
                }
                long dataAt = in.offset() - c.length;
                try {
                    return Lzf.decompress(c, 0, c.length, (int) len);
                } catch (IllegalArgumentException e) {
                    throw new RdbFormatException(dataAt, e.getMessage() + " (" + what + ")");
                }
            }
            default:
                throw new RdbFormatException(at, "string encoding byte 0x" + Listpack.hex(b) + " (expected: int8, int16, int32 or LZF; "
                        + what + ")");
        }
    }

    /** A score as type 3 sorted sets store it: a length byte and ASCII, or a NaN/inf marker. */
    static double readStringDouble(RdbInput in) throws IOException {
        long at = in.offset();
        int n = in.readUnsignedByte("score length");
        switch (n) {
            case DOUBLE_NAN:
                return Double.NaN;
            case DOUBLE_POS_INF:
                return Double.POSITIVE_INFINITY;
            case DOUBLE_NEG_INF:
                return Double.NEGATIVE_INFINITY;
            default:
                byte[] s = in.readBytes(n, "score");
                double d = parseDouble(s);
                if (d != d && !isNanText(s)) {
                    throw new RdbFormatException(at, "score '" + new String(s, StandardCharsets.ISO_8859_1) + "' is not a number");
                }
                return d;
        }
    }

    private static boolean isNanText(byte[] s) {
        String t = new String(s, StandardCharsets.ISO_8859_1).trim().toLowerCase();
        return t.equals("nan") || t.equals("-nan") || t.equals("+nan");
    }

    /**
     * Parses a double as strtod does for the forms Redis writes ({@code %.17g}, integers,
     * {@code inf}/{@code -inf}); returns NaN when the text is not a number.
     */
    static double parseDouble(byte[] s) {
        return parseDouble(s, 0, s.length);
    }

    /** {@link #parseDouble(byte[])} of {@code s[from..to)}. */
    static double parseDouble(byte[] s, int from, int to) {
        // The common case first: integral scores written as text. Up to 18 digits a long holds
        // it exactly, and the long's conversion to double rounds as parsing the digits would.
        int n = to - from;
        if (n > 0 && n <= 18) {
            int i = s[from] == '-' ? from + 1 : from;
            long v = 0;
            int k = i;
            for (; k < to; k++) {
                int d = s[k] - '0';
                if (d < 0 || d > 9) {
                    break;
                }
                v = v * 10 + d;
            }
            if (k == to && to > i) {
                return i > from ? -(double) v : (double) v;
            }
        }
        String t = new String(s, from, n, StandardCharsets.ISO_8859_1).trim();
        String l = t.toLowerCase();
        switch (l) {
            case "inf", "+inf", "infinity", "+infinity":
                return Double.POSITIVE_INFINITY;
            case "-inf", "-infinity":
                return Double.NEGATIVE_INFINITY;
            default:
                break;
        }
        if (t.isEmpty()) {
            return Double.NaN;
        }
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')) {
                return Double.NaN;
            }
        }
        try {
            return Double.parseDouble(t);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    // ---------------------------------------------------------------- values

    /**
     * The value of {@code type} at the input's position, or null for an empty collection, which
     * Redis 7.0 skips ("rdbLoadObject skipping empty key").
     */
    static DataValue readValue(int type, RdbInput in) throws IOException {
        // A table of readers called through an interface, not a switch of direct calls: C2 inlined
        // every per-type reader into a switch, compiling one method of 22 KB (325 ms of a core,
        // while a load of collections ran on the other). Through a call site that sees many
        // classes it compiles each reader alone, and only those a file uses.
        long at = in.offset();
        TypeReader reader = type >= 0 && type < READERS.length ? READERS[type] : null;
        if (reader == null) {
            String name = typeName(type);
            throw new RdbFormatException(at, (name == null ? "unknown value type " + type
                    : "value type " + type + " (" + name + ") is not supported by Cellar"));
        }
        return reader.read(type, in, at);
    }

    /** Reads a value of one type (or a few sharing a layout); {@code at} is where it starts. */
    private interface TypeReader {
        DataValue read(int type, RdbInput in, long at) throws IOException;
    }

    private static final TypeReader[] READERS = readers();

    private static TypeReader[] readers() {
        TypeReader[] r = new TypeReader[32];
        r[TYPE_STRING] = (type, in, at) -> RdbValues.string(readString(in, "string value"));
        r[TYPE_LIST] = (type, in, at) -> readList(in);
        r[TYPE_SET] = (type, in, at) -> readSet(in, at);
        r[TYPE_ZSET] = ValueReader::readZset;
        r[TYPE_ZSET_2] = ValueReader::readZset;
        r[TYPE_HASH] = (type, in, at) -> readHash(in, at);
        r[TYPE_HASH_ZIPMAP] = (type, in, at) -> hashFromPairs(blob(in, type, Zipmap::decode), at, "zipmap");
        r[TYPE_HASH_ZIPLIST] = (type, in, at) -> hashFromPairs(blob(in, type, Ziplist::decode), at, "ziplist");
        r[TYPE_HASH_LISTPACK] = (type, in, at) -> hashFromArray(blob(in, type, Listpack::decodeArray), at, "listpack");
        r[TYPE_ZSET_ZIPLIST] = (type, in, at) -> zsetFromPairs(blob(in, type, Ziplist::decode), at);
        r[TYPE_ZSET_LISTPACK] = ValueReader::zsetFromListpack;
        r[TYPE_LIST_ZIPLIST] = (type, in, at) -> listFromZiplist(in, type);
        r[TYPE_SET_LISTPACK] = ValueReader::setFromListpack;
        r[TYPE_SET_INTSET] = (type, in, at) -> setFromIntset(in, type);
        r[TYPE_LIST_QUICKLIST] = (type, in, at) -> readQuicklist(in);
        r[TYPE_LIST_QUICKLIST_2] = (type, in, at) -> readQuicklist2(in);
        return r;
    }

    private static DataValue readList(RdbInput in) throws IOException {
        int n = readCount(in, "list length");
        List<byte[]> items = new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) {
            items.add(readString(in, "list element"));
        }
        return n == 0 ? null : new RdbValues.ListValue(items.toArray(new byte[0][]));
    }

    private static DataValue readSet(RdbInput in, long at) throws IOException {
        int n = readCount(in, "set size");
        List<byte[]> items = new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) {
            items.add(readString(in, "set member"));
        }
        byte[][] members = items.toArray(new byte[0][]);
        requireDistinct(members, 1, at, "set members");
        return n == 0 ? null : new RdbValues.SetValue("hashtable", members, true);
    }

    private static DataValue readZset(int type, RdbInput in, long at) throws IOException {
        int n = readCount(in, "sorted set size");
        List<byte[]> items = new ArrayList<>(Math.min(n, 1024));
        double[] scores = new double[Math.min(n, 1024)];
        for (int i = 0; i < n; i++) {
            items.add(readString(in, "sorted set member"));
            long sAt = in.offset();
            double d = type == TYPE_ZSET ? readStringDouble(in) : Double.longBitsToDouble(in.readLongLE("score"));
            if (Double.isNaN(d)) {
                throw new RdbFormatException(sAt, "sorted set score is NaN (expected: a number)");
            }
            if (i == scores.length) {
                scores = Arrays.copyOf(scores, Math.min(n, scores.length * 2));
            }
            scores[i] = d;
        }
        byte[][] members = items.toArray(new byte[0][]);
        requireDistinct(members, 1, at, "sorted set members");
        return n == 0 ? null : RdbValues.ZSetValue.sorted("skiplist", members, scores, true);
    }

    private static DataValue readHash(RdbInput in, long at) throws IOException {
        int n = readCount(in, "hash size");
        List<byte[]> items = new ArrayList<>(Math.min(n, 1024) * 2);
        for (int i = 0; i < n; i++) {
            items.add(readString(in, "hash field"));
            items.add(readString(in, "hash value"));
        }
        byte[][] fv = items.toArray(new byte[0][]);
        requireDistinct(fv, 2, at, "hash fields");
        return n == 0 ? null : new RdbValues.HashValue("hashtable", fv, true);
    }

    private static DataValue listFromZiplist(RdbInput in, int type) throws IOException {
        List<byte[]> items = blob(in, type, Ziplist::decode);
        return items.isEmpty() ? null : new RdbValues.ListValue(items.toArray(new byte[0][]));
    }

    private static DataValue setFromListpack(int type, RdbInput in, long at) throws IOException {
        byte[][] members = blob(in, type, Listpack::decodeArray);
        requireDistinct(members, 1, at, "set members");
        return members.length == 0 ? null : new RdbValues.SetValue("listpack", members, true);
    }

    private static DataValue setFromIntset(RdbInput in, int type) throws IOException {
        long[] v = blob(in, type, Intset::decode); // checked strictly ascending
        return v.length == 0 ? null : new RdbValues.IntSetValue(v);
    }

    /** A Redis 3.2-6.2 quicklist: nodes that are ziplists. */
    private static DataValue readQuicklist(RdbInput in) throws IOException {
        int nodes = readCount(in, "quicklist node count");
        List<byte[]> items = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            items.addAll(blob(in, TYPE_LIST_QUICKLIST, Ziplist::decode));
        }
        // Redis skips empty nodes, and a list of only empty nodes is an empty key.
        return items.isEmpty() ? null : new RdbValues.ListValue(items.toArray(new byte[0][]));
    }

    /** A listpack node checked by {@link Listpack#count}, with its number of entries. */
    private record PackedNode(byte[] lp, int count) {}

    /**
     * A Redis 7 quicklist: its listpack nodes are checked and kept whole (an engine with the same
     * entry encoding takes them over, {@code ListData.listpacks()}); a plain node (one large
     * element) makes the list's elements be read out instead.
     */
    private static DataValue readQuicklist2(RdbInput in) throws IOException {
        int nodes = readCount(in, "quicklist node count");
        List<byte[]> packed = new ArrayList<>(Math.min(nodes, 1024));
        List<byte[]> items = null; // the elements, once a plain node has been met
        long size = 0;
        for (int i = 0; i < nodes; i++) {
            long cAt = in.offset();
            long c = readLength(in, "quicklist node container");
            if (c != QUICKLIST_NODE_PLAIN && c != QUICKLIST_NODE_PACKED) {
                throw new RdbFormatException(cAt, "quicklist node container " + c + " (expected: 1 plain or 2 packed)");
            }
            if (c == QUICKLIST_NODE_PLAIN) {
                if (items == null) {
                    items = new ArrayList<>();
                    for (byte[] lp : packed) {
                        items.addAll(decodeChecked(lp));
                    }
                }
                items.add(readString(in, "quicklist plain node"));
                continue;
            }
            PackedNode node = blob(in, TYPE_LIST_QUICKLIST_2, lp -> new PackedNode(lp, Listpack.count(lp)));
            if (items != null) {
                items.addAll(decodeChecked(node.lp()));
            } else if (node.count() > 0) { // Redis skips empty nodes
                packed.add(node.lp());
                size += node.count();
            }
        }
        if (items != null) {
            return items.isEmpty() ? null : new RdbValues.ListValue(items.toArray(new byte[0][]));
        }
        return size == 0 ? null : new RdbValues.QuicklistValue(packed, size);
    }

    /** The entries of a listpack already checked (a failure here is a bug, not a bad file). */
    static List<byte[]> decodeChecked(byte[] lp) {
        try {
            return Listpack.decode(lp);
        } catch (BlobException e) {
            throw new IllegalStateException("a checked listpack failed to decode", e);
        }
    }

    private static DataValue hashFromPairs(List<byte[]> items, long at, String what) throws RdbFormatException {
        return hashFromArray(items.toArray(new byte[0][]), at, what);
    }

    private static DataValue hashFromArray(byte[][] fv, long at, String what) throws RdbFormatException {
        if ((fv.length & 1) != 0) {
            throw new RdbFormatException(at, "hash " + what + " has an odd number of entries (" + fv.length + ")");
        }
        requireDistinct(fv, 2, at, "hash fields");
        return fv.length == 0 ? null : new RdbValues.HashValue("listpack", fv, true);
    }

    private static DataValue zsetFromPairs(List<byte[]> items, long at) throws RdbFormatException {
        ZsetPairs pairs = new ZsetPairs(Math.max(1, (items.size() + 1) / 2));
        for (byte[] item : items) {
            pairs.string(item, 0, item.length);
        }
        return pairs.toValue(at);
    }

    /**
     * A sorted set's listpack read in one walk: members as arrays, scores straight to doubles (an
     * integer entry, the form Redis gives an integral score, is never turned into text and parsed
     * back).
     */
    private static DataValue zsetFromListpack(int type, RdbInput in, long at) throws IOException {
        return blob(in, type, lp -> {
            // as many pairs as the header counts entries, halved: the arrays are then exactly full
            ZsetPairs pairs = new ZsetPairs(Math.max(1, (Listpack.declaredCount(lp, 32) + 1) / 2));
            Listpack.walk(lp, pairs);
            return pairs;
        }).toValue(at);
    }

    /** Collects a sorted set blob's alternating members and scores (a listpack walked, a ziplist's entries). */
    private static final class ZsetPairs implements Listpack.Entries {
        byte[][] members;
        double[] scores;
        int n;
        boolean expectScore;
        int nanAt = -1;
        String nanText;

        ZsetPairs(int capacity) {
            members = new byte[capacity][];
            scores = new double[capacity];
        }

        @Override
        public void string(byte[] lp, int from, int to) {
            if (!expectScore) {
                member(Arrays.copyOfRange(lp, from, to));
                return;
            }
            double d = parseDouble(lp, from, to);
            if (Double.isNaN(d) && nanAt < 0) {
                nanAt = n;
                nanText = new String(lp, from, to - from, StandardCharsets.ISO_8859_1);
            }
            score(d);
        }

        @Override
        public void integer(long value) {
            if (!expectScore) {
                member(Ints.toBytes(value));
            } else {
                score((double) value);
            }
        }

        private void member(byte[] m) {
            if (n == members.length) {
                members = Arrays.copyOf(members, Math.max(4, n * 2));
                scores = Arrays.copyOf(scores, Math.max(4, n * 2));
            }
            members[n] = m;
            expectScore = true;
        }

        private void score(double d) {
            scores[n++] = d;
            expectScore = false;
        }

        /** The sorted set gathered, after the checks Redis makes (null when empty); {@code at} names it in errors. */
        DataValue toValue(long at) throws RdbFormatException {
            if (expectScore) {
                throw new RdbFormatException(at, "sorted set blob has an odd number of entries (" + (2 * n + 1) + ")");
            }
            if (nanAt >= 0) {
                throw new RdbFormatException(at, "sorted set score '" + nanText + "' of member " + nanAt
                        + " is not a number");
            }
            byte[][] m = n == members.length ? members : Arrays.copyOf(members, n);
            double[] s = n == scores.length ? scores : Arrays.copyOf(scores, n);
            requireDistinct(m, 1, at, "sorted set members");
            return n == 0 ? null : RdbValues.ZSetValue.sorted("listpack", m, s, true);
        }
    }

    @FunctionalInterface
    private interface BlobDecoder<T> {
        T decode(byte[] blob) throws BlobException;
    }

    /** "<type name> blob" for each value type, made once (the text names a blob in errors only). */
    private static final String[] BLOB_WHAT = new String[256];

    static {
        for (int t = 0; t < BLOB_WHAT.length; t++) {
            BLOB_WHAT[t] = typeName(t) + " blob";
        }
    }

    private static <T> T blob(RdbInput in, int type, BlobDecoder<T> decoder) throws IOException {
        long at = in.offset();
        byte[] b = readString(in, BLOB_WHAT[type & 0xff]);
        try {
            return decoder.decode(b);
        } catch (BlobException e) {
            throw new RdbFormatException(at, typeName(type) + " integrity check failed: " + e.getMessage());
        }
    }

    /** Refuses duplicates among {@code items[0], items[stride], ...}, as Redis does on load. */
    static void requireDistinct(byte[][] items, int stride, long at, String what) throws RdbFormatException {
        int n = items.length / stride;
        if (n < 2) {
            return;
        }
        if (n <= 8) {
            for (int i = 0; i < items.length; i += stride) {
                for (int j = i + stride; j < items.length; j += stride) {
                    if (Arrays.equals(items[i], items[j])) {
                        throw duplicate(items[i], at, what);
                    }
                }
            }
            return;
        }
        // An open-addressing table of item indexes (+1), at most half full: one int[] per value,
        // where a HashSet of ByteBuffer wrappers cost an object per item and a slow hashCode.
        int mask = Integer.highestOneBit(n * 2 - 1) * 2 - 1;
        int[] table = new int[mask + 1];
        for (int i = 0; i < items.length; i += stride) {
            byte[] item = items[i];
            int h = Arrays.hashCode(item);
            int slot = (h ^ (h >>> 16)) & mask;
            int other;
            while ((other = table[slot]) != 0) {
                if (Arrays.equals(items[other - 1], item)) {
                    throw duplicate(item, at, what);
                }
                slot = (slot + 1) & mask;
            }
            table[slot] = i + 1;
        }
    }

    private static RdbFormatException duplicate(byte[] item, long at, String what) {
        return new RdbFormatException(at, "duplicate " + what + " detected ('" + new String(item, StandardCharsets.ISO_8859_1) + "')");
    }
}
