package dev.cellar.persistence.rdb;

import dev.cellar.spi.persistence.DataValue;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.ObjDoubleConsumer;

/**
 * The small immutable {@link DataValue}s the reader produces (and that tests and tools may build).
 * Arrays, not collections of boxed objects, so a million loaded keys cost little beyond their bytes.
 *
 * <p>The encoding each reports is what the on-disk type implies in Redis 7.0's terms (a listpack
 * hash says {@code listpack}, a plain one {@code hashtable}); the engine still chooses the
 * in-memory encoding by its own thresholds, as Redis does on load.
 */
public final class RdbValues {
    private RdbValues() {}

    /** A string; its encoding is {@code int}, {@code embstr} or {@code raw} as Redis would choose. */
    public static DataValue.StringData string(byte[] bytes) {
        return new Str(bytes);
    }

    /** A list of elements, head first. */
    public static DataValue.ListData list(List<byte[]> elements) {
        return new ListValue(elements.toArray(new byte[0][]));
    }

    /** A hash from fields and values alternating. */
    public static DataValue.HashData hash(String encoding, List<byte[]> fieldsAndValues) {
        if ((fieldsAndValues.size() & 1) != 0) {
            throw new IllegalArgumentException("odd number of fields and values: " + fieldsAndValues.size());
        }
        return new HashValue(encoding, fieldsAndValues.toArray(new byte[0][]), false);
    }

    /** A set. */
    public static DataValue.SetData set(String encoding, List<byte[]> members) {
        return new SetValue(encoding, members.toArray(new byte[0][]), false);
    }

    /** A sorted set; the pairs are put in score-then-member order here. */
    public static DataValue.ZSetData zset(String encoding, List<byte[]> members, double[] scores) {
        if (members.size() != scores.length) {
            throw new IllegalArgumentException(members.size() + " members but " + scores.length + " scores");
        }
        return ZSetValue.sorted(encoding, members.toArray(new byte[0][]), scores.clone(), false);
    }

    /** The {@code OBJECT ENCODING} Redis gives a string value. */
    static String stringEncoding(byte[] b) {
        if (b.length <= 20 && Ints.isCanonical(b)) {
            return "int";
        }
        return b.length <= 44 ? "embstr" : "raw";
    }

    record Str(byte[] bytes) implements DataValue.StringData {
        @Override
        public String encoding() {
            return stringEncoding(bytes);
        }

        @Override
        public String toString() {
            return "string(" + bytes.length + " bytes)";
        }
    }

    record ListValue(byte[][] elements) implements DataValue.ListData {
        @Override
        public String encoding() {
            return "quicklist";
        }

        @Override
        public long size() {
            return elements.length;
        }

        @Override
        public void forEach(Consumer<byte[]> element) {
            for (byte[] e : elements) {
                element.accept(e);
            }
        }

        @Override
        public String toString() {
            return "list(" + elements.length + ")";
        }
    }

    /** {@code distinct}: the reader checked that no field repeats. */
    record HashValue(String encoding, byte[][] fieldsAndValues, boolean distinct) implements DataValue.HashData {
        @Override
        public long size() {
            return fieldsAndValues.length / 2;
        }

        @Override
        public void forEach(BiConsumer<byte[], byte[]> fieldAndValue) {
            for (int i = 0; i < fieldsAndValues.length; i += 2) {
                fieldAndValue.accept(fieldsAndValues[i], fieldsAndValues[i + 1]);
            }
        }

        @Override
        public String toString() {
            return "hash(" + encoding + ", " + size() + ")";
        }
    }

    /** {@code distinct}: the reader checked that no member repeats. */
    record SetValue(String encoding, byte[][] members, boolean distinct) implements DataValue.SetData {
        @Override
        public long size() {
            return members.length;
        }

        @Override
        public void forEach(Consumer<byte[]> member) {
            for (byte[] m : members) {
                member.accept(m);
            }
        }

        @Override
        public String toString() {
            return "set(" + encoding + ", " + members.length + ")";
        }
    }

    /**
     * A Redis 7 quicklist kept as its listpack nodes (checked by the reader, none empty); the
     * elements are decoded when visited.
     */
    record QuicklistValue(List<byte[]> nodes, long size) implements DataValue.ListData {
        @Override
        public String encoding() {
            return "quicklist";
        }

        @Override
        public void forEach(Consumer<byte[]> element) {
            for (byte[] lp : nodes) {
                ValueReader.decodeChecked(lp).forEach(element);
            }
        }

        @Override
        public List<byte[]> listpacks() {
            return nodes;
        }

        @Override
        public String toString() {
            return "list(quicklist, " + size + ")";
        }
    }

    /** An intset's members, strictly ascending (the reader checked), as decimal strings on demand. */
    record IntSetValue(long[] values) implements DataValue.SetData {
        @Override
        public String encoding() {
            return "intset";
        }

        @Override
        public long size() {
            return values.length;
        }

        @Override
        public void forEach(Consumer<byte[]> member) {
            for (long v : values) {
                member.accept(Ints.toBytes(v));
            }
        }

        @Override
        public boolean distinct() {
            return true;
        }

        @Override
        public long[] integers() {
            return values;
        }

        @Override
        public String toString() {
            return "set(intset, " + values.length + ")";
        }
    }

    /** {@code distinct}: the reader checked that no member repeats. */
    record ZSetValue(String encoding, byte[][] members, double[] scores, boolean distinct) implements DataValue.ZSetData {
        /** Puts the pairs in score-then-member order unless they already are (the usual case). */
        static ZSetValue sorted(String encoding, byte[][] members, double[] scores, boolean distinct) {
            boolean ordered = true;
            for (int i = 1; i < members.length && ordered; i++) {
                ordered = compare(scores[i - 1], members[i - 1], scores[i], members[i]) <= 0;
            }
            if (!ordered && descending(members, scores)) {
                // Redis writes a skiplist from its tail, so that its own load inserts at the head
                // each time: reversed, it is in order.
                byte[][] m = new byte[members.length][];
                double[] s = new double[members.length];
                for (int i = 0, j = members.length - 1; j >= 0; i++, j--) {
                    m[i] = members[j];
                    s[i] = scores[j];
                }
                return new ZSetValue(encoding, m, s, distinct);
            }
            if (!ordered) {
                Integer[] idx = new Integer[members.length];
                for (int i = 0; i < idx.length; i++) {
                    idx[i] = i;
                }
                Arrays.sort(idx, Comparator.comparingInt((Integer i) -> 0)
                        .thenComparing((a, b) -> compare(scores[a], members[a], scores[b], members[b])));
                byte[][] m = new byte[members.length][];
                double[] s = new double[members.length];
                for (int i = 0; i < idx.length; i++) {
                    m[i] = members[idx[i]];
                    s[i] = scores[idx[i]];
                }
                return new ZSetValue(encoding, m, s, distinct);
            }
            return new ZSetValue(encoding, members, scores, distinct);
        }

        private static boolean descending(byte[][] members, double[] scores) {
            for (int i = 1; i < members.length; i++) {
                if (compare(scores[i - 1], members[i - 1], scores[i], members[i]) < 0) {
                    return false;
                }
            }
            return true;
        }

        private static int compare(double s1, byte[] m1, double s2, byte[] m2) {
            int c = Double.compare(s1, s2);
            if (s1 == s2) {
                c = 0; // -0.0 and 0.0 are one score
            }
            return c != 0 ? c : Arrays.compareUnsigned(m1, m2);
        }

        @Override
        public long size() {
            return members.length;
        }

        @Override
        public void forEach(ObjDoubleConsumer<byte[]> memberAndScore) {
            for (int i = 0; i < members.length; i++) {
                memberAndScore.accept(members[i], scores[i]);
            }
        }

        @Override
        public String toString() {
            return "zset(" + encoding + ", " + members.length + ")";
        }
    }
}
