package dev.cellar.core.values;

import dev.cellar.core.engine.Dict;
import dev.cellar.core.engine.MemoryLayout;
import java.util.Arrays;
import java.util.function.ObjDoubleConsumer;

/**
 * The general encoding of a sorted set ({@code skiplist}): a skiplist ordered by (score, member)
 * whose links carry spans, so rank and access by rank are O(log n), plus an open-addressing table
 * from member to node for O(1) score lookups (Redis's {@code zset} of {@code zskiplist} and
 * {@code dict}).
 *
 * <p>Memory: a node keeps its level-0 link in a field and only nodes of level two or more (a
 * quarter of them) carry arrays for their upper links and spans; the level-0 span is always 1 and is
 * not stored. The member table holds node references directly (no entry objects), probed linearly
 * with backward-shift deletion, which also gives {@link #scan} Redis's guarantees (see {@code Dict}).
 */
final class ZSkipList {
    static final int MAX_LEVEL = 32;
    /** Bytes of a node object: header, member, score, backward, next0, up, upSpan. */
    static final int NODE_BYTES = (int) MemoryLayout.object(4 + 8 + 4 + 4 + 4 + 4);
    private static final long SELF_BYTES = MemoryLayout.object(4 + 4 + 4 + 4 + 4 + 4 + 8 + 8);
    private static final int MIN_TABLE = 4;
    private static final long HEADER_NODE_BYTES = NODE_BYTES
            + MemoryLayout.array(MAX_LEVEL - 1, MemoryLayout.REF) + MemoryLayout.array(MAX_LEVEL - 1, 4);

    /** A node: one member with its score. */
    static final class Node {
        final byte[] member;
        double score;
        Node backward;
        Node next0;
        Node[] up;
        int[] upSpan;

        Node(byte[] member, double score, int level) {
            this.member = member;
            this.score = score;
            if (level > 1) {
                up = new Node[level - 1];
                upSpan = new int[level - 1];
            }
        }

        int level() {
            return up == null ? 1 : up.length + 1;
        }

        Node next(int i) {
            return i == 0 ? next0 : up[i - 1];
        }

        void setNext(int i, Node n) {
            if (i == 0) {
                next0 = n;
            } else {
                up[i - 1] = n;
            }
        }

        int span(int i) {
            return i == 0 ? 1 : upSpan[i - 1];
        }

        void setSpan(int i, int span) {
            if (i > 0) {
                upSpan[i - 1] = span;
            }
        }

        long bytes() {
            long b = NODE_BYTES + MemoryLayout.array(member.length, 1);
            if (up != null) {
                b += MemoryLayout.array(up.length, MemoryLayout.REF) + MemoryLayout.array(upSpan.length, 4);
            }
            return b;
        }
    }

    private final Node header = new Node(null, 0, MAX_LEVEL);
    private Node tail;
    private int length;
    private int level = 1;
    private Node[] table = new Node[MIN_TABLE];
    private int mask = MIN_TABLE - 1;
    private long nodeBytes;
    private long seed = 0x9E3779B97F4A7C15L;

    int length() {
        return length;
    }

    Node first() {
        return header.next0;
    }

    Node last() {
        return tail;
    }

    /** Bytes retained, this object included. O(1). */
    long bytes() {
        return SELF_BYTES + HEADER_NODE_BYTES + nodeBytes
                + MemoryLayout.array(table.length, MemoryLayout.REF);
    }

    // ------------------------------------------------------------------ ordering

    static boolean before(double s1, byte[] m1, double s2, byte[] m2) {
        return s1 < s2 || (s1 == s2 && Arrays.compareUnsigned(m1, m2) < 0);
    }

    private int randomLevel() {
        // xorshift64: the structure is invisible to clients, so any fixed source will do
        long x = seed;
        x ^= x << 13;
        x ^= x >>> 7;
        x ^= x << 17;
        seed = x;
        int lvl = 1;
        while (lvl < MAX_LEVEL && (x & 3) == 0) {
            lvl++;
            x >>>= 2;
        }
        return lvl;
    }

    // ------------------------------------------------------------------ member table

    private static int hash(byte[] b) {
        return Dict.hash(b, 0, b.length);
    }

    Node find(byte[] member) {
        Node[] t = table;
        int i = hash(member) & mask;
        Node n;
        while ((n = t[i]) != null) {
            if (Arrays.equals(n.member, member)) {
                return n;
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    private void tablePut(Node node) {
        if ((length + 1) * 4L > table.length * 3L) {
            resize(table.length * 2);
        }
        int i = hash(node.member) & mask;
        while (table[i] != null) {
            i = (i + 1) & mask;
        }
        table[i] = node;
    }

    private void tableRemove(byte[] member) {
        Node[] t = table;
        int i = hash(member) & mask;
        while (!Arrays.equals(t[i].member, member)) {
            i = (i + 1) & mask;
        }
        // backward-shift deletion keeps every node reachable from its home bucket
        int hole = i;
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            Node n = t[j];
            if (n == null) {
                break;
            }
            int home = hash(n.member) & mask;
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                t[hole] = n;
                hole = j;
            }
        }
        t[hole] = null;
        if (table.length > MIN_TABLE && (length - 1) * 8L < table.length) {
            resize(Math.max(MIN_TABLE, table.length / 2));
        }
    }

    private void resize(int capacity) {
        Node[] old = table;
        table = new Node[capacity];
        mask = capacity - 1;
        for (Node n : old) {
            if (n != null) {
                int i = hash(n.member) & mask;
                while (table[i] != null) {
                    i = (i + 1) & mask;
                }
                table[i] = n;
            }
        }
    }

    /**
     * Visits the members whose home bucket the cursor names and returns the next cursor, in
     * Redis's reverse-binary order (0 when complete).
     */
    long scanStep(long cursor, ObjDoubleConsumer<byte[]> visitor) {
        if (length == 0) {
            return 0;
        }
        int m = mask;
        int bucket = (int) (cursor & m);
        int i = bucket;
        Node n;
        while ((n = table[i]) != null) {
            if ((hash(n.member) & m) == bucket) {
                visitor.accept(n.member, n.score);
            }
            i = (i + 1) & m;
        }
        return Dict.nextScanCursor(cursor, m);
    }

    // ------------------------------------------------------------------ list operations

    /** Makes room in the member table for {@code members} in all, so that filling it never resizes. */
    void reserve(int members) {
        long wanted = (long) members * 4 / 3 + 1;
        if (wanted > table.length) {
            resize((int) Math.min(1 << 30, Long.highestOneBit(wanted - 1) << 1));
        }
    }

    /**
     * Builds a list from members that arrive in ascending (score, member) order, each once, as a
     * loaded sorted set does: an append links the node after the last one of each level it
     * reaches, known from the previous appends, where {@link #insert} searches from the top and
     * allocates its search path. Nodes draw their levels from the same sequence as insertions, so
     * the list is the one {@link #insert} would build from the same members.
     */
    static final class Appender {
        private final ZSkipList list;
        /** The last node at each level (the header where none), and its rank. */
        private final Node[] last = new Node[MAX_LEVEL];
        private final int[] lastRank = new int[MAX_LEVEL];

        /** Appends to {@code list}, which must be empty and changed by nothing else meanwhile. */
        Appender(ZSkipList list) {
            if (list.length != 0) {
                throw new IllegalStateException("an appender starts from an empty list");
            }
            this.list = list;
            Arrays.fill(last, list.header);
        }

        /**
         * Adds {@code member} after every present member and returns true, or returns false and
         * changes nothing when it does not sort after the last one (out of order, or a repeat of
         * it); the caller then goes on with {@link ZSkipList#insert}, and stops appending.
         */
        boolean append(byte[] member, double score) {
            ZSkipList l = list;
            Node tail = l.tail;
            if (tail != null && !before(tail.score, tail.member, score, member)) {
                return false;
            }
            Node x = new Node(member, score, l.randomLevel());
            int lvl = x.level();
            int rank = l.length + 1;
            if (lvl > l.level) {
                l.level = lvl; // the header is last[i] with rank 0 at the new levels
            }
            for (int i = 0; i < lvl; i++) {
                last[i].setNext(i, x);
                last[i].setSpan(i, rank - lastRank[i]);
                last[i] = x;
                lastRank[i] = rank;
            }
            for (int i = lvl; i < l.level; i++) {
                last[i].setSpan(i, last[i].span(i) + 1); // its link to the end now passes x
            }
            x.backward = tail;
            l.tail = x;
            l.added(x);
            return true;
        }
    }

    /** Inserts a member that is not present. */
    void insert(byte[] member, double score) {
        Node x = new Node(member, score, randomLevel());
        link(x);
        added(x);
    }

    /** The bookkeeping of a node just linked: the member table, the byte count, the length. */
    private void added(Node x) {
        tablePut(x);
        nodeBytes += x.bytes();
        length++;
    }

    private void link(Node x) {
        Node[] update = new Node[MAX_LEVEL];
        int[] rank = new int[MAX_LEVEL];
        Node n = header;
        for (int i = level - 1; i >= 0; i--) {
            rank[i] = i == level - 1 ? 0 : rank[i + 1];
            Node f;
            while ((f = n.next(i)) != null && before(f.score, f.member, x.score, x.member)) {
                rank[i] += n.span(i);
                n = f;
            }
            update[i] = n;
        }
        int lvl = x.level();
        if (lvl > level) {
            for (int i = level; i < lvl; i++) {
                rank[i] = 0;
                update[i] = header;
                header.setSpan(i, length);
            }
            level = lvl;
        }
        for (int i = 0; i < lvl; i++) {
            x.setNext(i, update[i].next(i));
            update[i].setNext(i, x);
            if (i > 0) {
                x.setSpan(i, update[i].span(i) - (rank[0] - rank[i]));
                update[i].setSpan(i, rank[0] - rank[i] + 1);
            }
        }
        for (int i = lvl; i < level; i++) {
            update[i].setSpan(i, update[i].span(i) + 1);
        }
        x.backward = update[0] == header ? null : update[0];
        if (x.next0 != null) {
            x.next0.backward = x;
        } else {
            tail = x;
        }
    }

    private Node[] pathTo(double score, byte[] member) {
        Node[] update = new Node[MAX_LEVEL];
        Node n = header;
        for (int i = level - 1; i >= 0; i--) {
            Node f;
            while ((f = n.next(i)) != null && before(f.score, f.member, score, member)) {
                n = f;
            }
            update[i] = n;
        }
        return update;
    }

    private void unlink(Node x, Node[] update) {
        for (int i = 0; i < level; i++) {
            if (update[i].next(i) == x) {
                if (i > 0) {
                    update[i].setSpan(i, update[i].span(i) + x.span(i) - 1);
                }
                update[i].setNext(i, x.next(i));
            } else if (i > 0) {
                update[i].setSpan(i, update[i].span(i) - 1);
            }
        }
        if (x.next0 != null) {
            x.next0.backward = x.backward;
        } else {
            tail = x.backward;
        }
        while (level > 1 && header.next(level - 1) == null) {
            level--;
        }
    }

    /** Changes the score of a present member. */
    void updateScore(Node x, double score) {
        Node prev = x.backward;
        Node next = x.next0;
        if ((prev == null || before(prev.score, prev.member, score, x.member))
                && (next == null || before(score, x.member, next.score, next.member))) {
            x.score = score;
            return;
        }
        unlink(x, pathTo(x.score, x.member));
        x.score = score;
        link(x);
    }

    /** Removes a present member. */
    void delete(Node x) {
        unlink(x, pathTo(x.score, x.member));
        tableRemove(x.member);
        nodeBytes -= x.bytes();
        length--;
    }

    /** The 0-based rank of a present node. */
    long rank(Node x) {
        long rank = 0;
        Node n = header;
        for (int i = level - 1; i >= 0; i--) {
            Node f;
            while ((f = n.next(i)) != null && (f == x || before(f.score, f.member, x.score, x.member))) {
                rank += n.span(i);
                n = f;
            }
            if (n == x) {
                return rank - 1;
            }
        }
        return rank - 1;
    }

    /** The node at a 0-based rank (which must be in range). */
    Node byRank(long rank) {
        long target = rank + 1;
        long traversed = 0;
        Node n = header;
        for (int i = level - 1; i >= 0; i--) {
            Node f;
            while ((f = n.next(i)) != null && traversed + n.span(i) <= target) {
                traversed += n.span(i);
                n = f;
            }
            if (traversed == target) {
                return n;
            }
        }
        return null;
    }

    /** Predicate over a node, for range searches. */
    interface Bound {
        boolean test(Node n);
    }

    /** The 0-based rank of the first node for which {@code atLeastMin} holds (descending the levels), or -1. */
    long firstWhere(Bound atLeastMin, Bound atMostMax) {
        Node n = header;
        long rank = 0;
        for (int i = level - 1; i >= 0; i--) {
            Node f;
            while ((f = n.next(i)) != null && !atLeastMin.test(f)) {
                rank += n.span(i);
                n = f;
            }
        }
        n = n.next0;
        if (n == null || !atMostMax.test(n)) {
            return -1;
        }
        return rank;
    }

    /** The 0-based rank of the last node for which {@code atMostMax} holds, or -1. */
    long lastWhere(Bound atLeastMin, Bound atMostMax) {
        Node n = header;
        long rank = 0;
        for (int i = level - 1; i >= 0; i--) {
            Node f;
            while ((f = n.next(i)) != null && atMostMax.test(f)) {
                rank += n.span(i);
                n = f;
            }
        }
        if (n == header || !atLeastMin.test(n)) {
            return -1;
        }
        return rank - 1;
    }

    /** Removes the nodes of 0-based ranks {@code start..end} inclusive; returns them in order. */
    Node[] deleteRange(long start, long end) {
        Node[] update = new Node[MAX_LEVEL];
        long traversed = 0;
        Node n = header;
        for (int i = level - 1; i >= 0; i--) {
            Node f;
            while ((f = n.next(i)) != null && traversed + n.span(i) <= start) {
                traversed += n.span(i);
                n = f;
            }
            update[i] = n;
        }
        int count = (int) (end - start + 1);
        Node[] removed = new Node[count];
        Node x = n.next0;
        for (int k = 0; k < count; k++) {
            Node next = x.next0;
            unlink(x, update);
            tableRemove(x.member);
            nodeBytes -= x.bytes();
            length--;
            removed[k] = x;
            x = next;
        }
        return removed;
    }
}
