package dev.cellar.core.values;

import dev.cellar.core.engine.MemoryLayout;
import dev.cellar.spi.persistence.DataValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.ObjDoubleConsumer;

/**
 * A sorted set: members ordered by (score, member bytes), with Redis's two encodings.
 *
 * <p>Encodings: {@code listpack} while the set has at most {@code zset-max-listpack-entries}
 * members of at most {@code zset-max-listpack-value} bytes; it is one {@code byte[]} of entries in
 * order, each {@code varint length | member | 8-byte score}, searched linearly as Redis searches its
 * listpack. Past either threshold the set converts, for good, to {@code skiplist} ({@link ZSkipList}).
 * Results of the store commands are built with the encoding their contents call for
 * ({@link #fromEntries}), as Redis 7.0 does.
 *
 * <p>Scores are compared with {@code <} and {@code ==}, as C compares doubles, so {@code -0.0} and
 * {@code 0.0} tie and are ordered by member. The listpack stores {@code -0.0} as {@code 0} (Redis
 * writes listpack scores as text, integers without a sign on zero); the skiplist keeps it.
 */
public final class ZSetValue implements RValue {
    private static final long SELF_BYTES = MemoryLayout.object(4 + 4 + 4);

    /** The conversion thresholds, from {@code zset-max-listpack-entries} and {@code zset-max-listpack-value}. */
    public record Limits(long maxEntries, long maxValue) {}

    /** A member with its score. */
    public record Entry(byte[] member, double score) {}

    private byte[] lp;
    private int count;
    private ZSkipList sl;

    private ZSetValue(byte[] lp, ZSkipList sl) {
        this.lp = lp;
        this.sl = sl;
    }

    /** An empty set in the listpack encoding (it converts on the first insertion past the limits). */
    public static ZSetValue create() {
        return new ZSetValue(new byte[0], null);
    }

    /** An empty set in the skiplist encoding. */
    public static ZSetValue createSkiplist() {
        return new ZSetValue(null, new ZSkipList());
    }

    /**
     * A set holding the given entries (distinct members), in the encoding their number and sizes
     * call for, as Redis's {@code zsetConvertToListpackIfNeeded} leaves a store command's result.
     */
    public static ZSetValue fromEntries(List<Entry> entries, Limits limits) {
        int maxLen = 0;
        for (Entry e : entries) {
            maxLen = Math.max(maxLen, e.member.length);
        }
        if (entries.size() <= limits.maxEntries() && maxLen <= limits.maxValue()) {
            List<Entry> sorted = entries;
            if (!inOrder(entries)) { // a loaded set comes in order: no copy, no sort
                sorted = new ArrayList<>(entries);
                sorted.sort(ORDER);
            }
            ZSetValue z = create();
            z.lp = encode(sorted);
            z.count = sorted.size();
            return z;
        }
        ZSetValue z = new ZSetValue(null, new ZSkipList());
        for (Entry e : entries) {
            z.sl.insert(e.member, e.score);
        }
        return z;
    }

    /**
     * A skiplist set of the members {@code z} visits, each once (the caller knows: a value whose
     * {@code distinct()} holds). While they come in order, as a loaded set's do, each is appended
     * ({@link ZSkipList.Appender}); from the first that does not, the rest are inserted.
     */
    public static ZSetValue skiplistOfDistinct(DataValue.ZSetData z) {
        ZSkipList sl = new ZSkipList();
        sl.reserve((int) Math.min(Math.max(0, z.size()), 1 << 20));
        ZSkipList.Appender appender = new ZSkipList.Appender(sl);
        boolean[] appending = {true};
        z.forEach((member, score) -> {
            if (appending[0] && appender.append(member, score)) {
                return;
            }
            appending[0] = false;
            ZSkipList.Node n = sl.find(member);
            if (n == null) {
                sl.insert(member, score);
            } else {
                sl.updateScore(n, score); // a repeat after all: the last score wins, as with ZADD
            }
        });
        return new ZSetValue(null, sl);
    }

    private static boolean inOrder(List<Entry> entries) {
        for (int i = 1; i < entries.size(); i++) {
            if (ORDER.compare(entries.get(i - 1), entries.get(i)) > 0) {
                return false;
            }
        }
        return true;
    }

    /** Ordering of entries by score then member bytes. */
    public static final Comparator<Entry> ORDER = (a, b) -> {
        if (a.score < b.score) {
            return -1;
        }
        if (a.score > b.score) {
            return 1;
        }
        return Arrays.compareUnsigned(a.member, b.member);
    };

    // ------------------------------------------------------------------ RValue

    @Override
    public ValueType type() {
        return ValueType.ZSET;
    }

    @Override
    public String encoding() {
        return sl == null ? "listpack" : "skiplist";
    }

    @Override
    public long size() {
        return sl == null ? count : sl.length();
    }

    @Override
    public long memoryUsage() {
        return SELF_BYTES + (sl == null ? MemoryLayout.array(lp.length, 1) : sl.bytes());
    }

    @Override
    public ZSetValue copy() {
        if (sl == null) {
            ZSetValue z = create();
            z.lp = lp.clone();
            z.count = count;
            return z;
        }
        ZSetValue z = new ZSetValue(null, new ZSkipList());
        for (ZSkipList.Node n = sl.first(); n != null; n = n.next0) {
            z.sl.insert(n.member.clone(), n.score);
        }
        return z;
    }

    @Override
    public DataValue view() {
        return new DataValue.ZSetData() {
            @Override
            public String encoding() {
                return ZSetValue.this.encoding();
            }

            @Override
            public long size() {
                return ZSetValue.this.size();
            }

            @Override
            public void forEach(ObjDoubleConsumer<byte[]> memberAndScore) {
                ZSetValue.this.forEach(memberAndScore);
            }
        };
    }

    /** Whether the set is in the listpack encoding. */
    public boolean isListpack() {
        return sl == null;
    }

    // ------------------------------------------------------------------ lookups

    /** The score of a member, or NaN when absent (a stored score is never NaN). */
    public double score(byte[] member) {
        if (sl != null) {
            ZSkipList.Node n = sl.find(member);
            return n == null ? Double.NaN : n.score;
        }
        int off = lpFind(member);
        return off < 0 ? Double.NaN : lpScore(off);
    }

    /** The 0-based rank of a member in ascending order, or -1 when absent. */
    public long rank(byte[] member) {
        if (sl != null) {
            ZSkipList.Node n = sl.find(member);
            return n == null ? -1 : sl.rank(n);
        }
        int off = 0;
        for (int i = 0; i < count; i++) {
            if (lpMemberEquals(off, member)) {
                return i;
            }
            off = lpNext(off);
        }
        return -1;
    }

    /** Visits every member with its score, in order. */
    public void forEach(ObjDoubleConsumer<byte[]> visitor) {
        Cursor c = cursor(0, false);
        while (c.next()) {
            visitor.accept(c.member(), c.score());
        }
    }

    // ------------------------------------------------------------------ changes

    /**
     * Sets a member's score, adding the member if absent; converts to the skiplist encoding when
     * an addition passes the limits. Returns whether the member was added.
     */
    public boolean put(byte[] member, double score, Limits limits) {
        if (sl != null) {
            ZSkipList.Node n = sl.find(member);
            if (n == null) {
                sl.insert(member, score);
                return true;
            }
            sl.updateScore(n, score);
            return false;
        }
        int off = lpFind(member);
        if (off >= 0) {
            lpDelete(off, lpNext(off), 1);
            lpInsert(member, score);
            return false;
        }
        if (count + 1L > limits.maxEntries() || member.length > limits.maxValue()) {
            convertToSkiplist();
            sl.insert(member, score);
            return true;
        }
        lpInsert(member, score);
        return true;
    }

    /** Removes a member; returns whether it was present. */
    public boolean remove(byte[] member) {
        if (sl != null) {
            ZSkipList.Node n = sl.find(member);
            if (n == null) {
                return false;
            }
            sl.delete(n);
            return true;
        }
        int off = lpFind(member);
        if (off < 0) {
            return false;
        }
        lpDelete(off, lpNext(off), 1);
        return true;
    }

    /** Removes the members of 0-based ranks {@code start..end} (inclusive, in range); returns how many. */
    public long removeRange(long start, long end) {
        if (start > end) {
            return 0;
        }
        if (sl != null) {
            return sl.deleteRange(start, end).length;
        }
        int from = lpOffsetOf((int) start);
        int to = from;
        for (long i = start; i <= end; i++) {
            to = lpNext(to);
        }
        lpDelete(from, to, (int) (end - start + 1));
        return end - start + 1;
    }

    private void convertToSkiplist() {
        ZSkipList list = new ZSkipList();
        int off = 0;
        for (int i = 0; i < count; i++) {
            list.insert(lpMember(off), lpScore(off));
            off = lpNext(off);
        }
        sl = list;
        lp = null;
        count = 0;
    }

    // ------------------------------------------------------------------ ranges

    /** The 0-based rank of the first member whose score lies in the range, or -1. */
    public long firstInRange(ZRange.Score r) {
        if (!inRange(r)) {
            return -1;
        }
        if (sl != null) {
            return sl.firstWhere(n -> r.gteMin(n.score), n -> r.lteMax(n.score));
        }
        int off = 0;
        for (int i = 0; i < count; i++) {
            double s = lpScore(off);
            if (r.gteMin(s)) {
                return r.lteMax(s) ? i : -1;
            }
            off = lpNext(off);
        }
        return -1;
    }

    /** The 0-based rank of the last member whose score lies in the range, or -1. */
    public long lastInRange(ZRange.Score r) {
        if (!inRange(r)) {
            return -1;
        }
        if (sl != null) {
            return sl.lastWhere(n -> r.gteMin(n.score), n -> r.lteMax(n.score));
        }
        int[] offs = lpOffsets();
        for (int i = count - 1; i >= 0; i--) {
            double s = lpScore(offs[i]);
            if (r.lteMax(s)) {
                return r.gteMin(s) ? i : -1;
            }
        }
        return -1;
    }

    private boolean inRange(ZRange.Score r) {
        if (r.isEmpty() || size() == 0) {
            return false;
        }
        Cursor last = cursor(size() - 1, false);
        last.next();
        if (!r.gteMin(last.score())) {
            return false;
        }
        Cursor first = cursor(0, false);
        first.next();
        return r.lteMax(first.score());
    }

    /**
     * The 0-based rank of the first member in the lexicographic range, or -1. Meaningful when all
     * scores are equal; otherwise it follows Redis's search (linear in a listpack, a descent in a
     * skiplist).
     */
    public long firstInLex(ZRange.Lex r) {
        if (!inLex(r)) {
            return -1;
        }
        if (sl != null) {
            return sl.firstWhere(n -> r.gteMin(n.member), n -> r.lteMax(n.member));
        }
        int off = 0;
        for (int i = 0; i < count; i++) {
            byte[] m = lpMember(off);
            if (r.gteMin(m)) {
                return r.lteMax(m) ? i : -1;
            }
            off = lpNext(off);
        }
        return -1;
    }

    /** The 0-based rank of the last member in the lexicographic range, or -1. */
    public long lastInLex(ZRange.Lex r) {
        if (!inLex(r)) {
            return -1;
        }
        if (sl != null) {
            return sl.lastWhere(n -> r.gteMin(n.member), n -> r.lteMax(n.member));
        }
        int[] offs = lpOffsets();
        for (int i = count - 1; i >= 0; i--) {
            byte[] m = lpMember(offs[i]);
            if (r.lteMax(m)) {
                return r.gteMin(m) ? i : -1;
            }
        }
        return -1;
    }

    private boolean inLex(ZRange.Lex r) {
        if (r.isEmpty() || size() == 0) {
            return false;
        }
        Cursor last = cursor(size() - 1, false);
        last.next();
        if (!r.gteMin(last.member())) {
            return false;
        }
        Cursor first = cursor(0, false);
        first.next();
        return r.lteMax(first.member());
    }

    // ------------------------------------------------------------------ iteration

    /** Walks members from a rank up or down; {@link #next} moves to the next one. */
    public abstract static class Cursor {
        /** Advances; returns false when there are no more members. */
        public abstract boolean next();

        /** The current member. */
        public abstract byte[] member();

        /** The current score. */
        public abstract double score();
    }

    /** A cursor starting at 0-based {@code rank} (in ascending order) moving up, or down when {@code reverse}. */
    public Cursor cursor(long rank, boolean reverse) {
        if (sl != null) {
            ZSkipList.Node start = rank >= 0 && rank < sl.length() ? sl.byRank(rank) : null;
            return new Cursor() {
                ZSkipList.Node nextNode = start;
                ZSkipList.Node cur;

                @Override
                public boolean next() {
                    cur = nextNode;
                    if (cur == null) {
                        return false;
                    }
                    nextNode = reverse ? cur.backward : cur.next0;
                    return true;
                }

                @Override
                public byte[] member() {
                    return cur.member;
                }

                @Override
                public double score() {
                    return cur.score;
                }
            };
        }
        int[] offs = reverse ? lpOffsets() : null;
        int startOff = !reverse && rank >= 0 && rank < count ? lpOffsetOf((int) rank) : -1;
        return new Cursor() {
            int index = (int) rank - (reverse ? -1 : 1);
            int off = -1;

            @Override
            public boolean next() {
                index += reverse ? -1 : 1;
                if (index < 0 || index >= count) {
                    return false;
                }
                if (reverse) {
                    off = offs[index];
                } else {
                    off = off < 0 ? startOff : lpNext(off);
                }
                return true;
            }

            @Override
            public byte[] member() {
                return lpMember(off);
            }

            @Override
            public double score() {
                return lpScore(off);
            }
        };
    }

    /**
     * One step of ZSCAN over the skiplist encoding's member table (see {@code Dict.scan}); returns
     * the next cursor. The listpack encoding is scanned whole by the caller.
     */
    public long scanStep(long cursor, ObjDoubleConsumer<byte[]> visitor) {
        return sl.scanStep(cursor, visitor);
    }

    // ------------------------------------------------------------------ listpack

    private static int varintSize(int v) {
        int n = 1;
        while ((v >>>= 7) != 0) {
            n++;
        }
        return n;
    }

    private int lpLen(int off) {
        int v = 0;
        int shift = 0;
        byte b;
        do {
            b = lp[off++];
            v |= (b & 0x7f) << shift;
            shift += 7;
        } while (b < 0);
        return v;
    }

    private int lpNext(int off) {
        int len = lpLen(off);
        return off + varintSize(len) + len + 8;
    }

    private byte[] lpMember(int off) {
        int len = lpLen(off);
        int from = off + varintSize(len);
        return Arrays.copyOfRange(lp, from, from + len);
    }

    private double lpScore(int off) {
        int len = lpLen(off);
        int at = off + varintSize(len) + len;
        long bits = 0;
        for (int k = 0; k < 8; k++) {
            bits = (bits << 8) | (lp[at + k] & 0xffL);
        }
        return Double.longBitsToDouble(bits);
    }

    private boolean lpMemberEquals(int off, byte[] member) {
        int len = lpLen(off);
        int from = off + varintSize(len);
        return len == member.length && Arrays.equals(lp, from, from + len, member, 0, len);
    }

    private int lpCompareMember(int off, byte[] member) {
        int len = lpLen(off);
        int from = off + varintSize(len);
        return Arrays.compareUnsigned(lp, from, from + len, member, 0, member.length);
    }

    private int lpFind(byte[] member) {
        int off = 0;
        for (int i = 0; i < count; i++) {
            if (lpMemberEquals(off, member)) {
                return off;
            }
            off = lpNext(off);
        }
        return -1;
    }

    private int lpOffsetOf(int index) {
        int off = 0;
        for (int i = 0; i < index; i++) {
            off = lpNext(off);
        }
        return off;
    }

    private int[] lpOffsets() {
        int[] offs = new int[count];
        int off = 0;
        for (int i = 0; i < count; i++) {
            offs[i] = off;
            off = lpNext(off);
        }
        return offs;
    }

    private void lpInsert(byte[] member, double score) {
        int off = 0;
        for (int i = 0; i < count; i++) {
            double s = lpScore(off);
            if (score < s || (score == s && lpCompareMember(off, member) > 0)) {
                break;
            }
            off = lpNext(off);
        }
        int size = varintSize(member.length) + member.length + 8;
        byte[] out = new byte[lp.length + size];
        System.arraycopy(lp, 0, out, 0, off);
        writeEntry(out, off, member, score);
        System.arraycopy(lp, off, out, off + size, lp.length - off);
        lp = out;
        count++;
    }

    private void lpDelete(int from, int to, int entries) {
        byte[] out = new byte[lp.length - (to - from)];
        System.arraycopy(lp, 0, out, 0, from);
        System.arraycopy(lp, to, out, from, lp.length - to);
        lp = out;
        count -= entries;
    }

    private static byte[] encode(List<Entry> sorted) {
        int size = 0;
        for (Entry e : sorted) {
            size += varintSize(e.member.length) + e.member.length + 8;
        }
        byte[] out = new byte[size];
        int off = 0;
        for (Entry e : sorted) {
            off = writeEntry(out, off, e.member, e.score);
        }
        return out;
    }

    private static int writeEntry(byte[] out, int off, byte[] member, double score) {
        int v = member.length;
        while ((v & ~0x7f) != 0) {
            out[off++] = (byte) ((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out[off++] = (byte) v;
        System.arraycopy(member, 0, out, off, member.length);
        off += member.length;
        // a listpack keeps scores as Redis's d2string prints them, which turns -0 into 0
        long bits = Double.doubleToRawLongBits(score == 0 ? 0.0 : score);
        for (int k = 7; k >= 0; k--) {
            out[off++] = (byte) (bits >>> (8 * k));
        }
        return off;
    }
}
