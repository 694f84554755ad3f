package dev.cellar.core.values;

import dev.cellar.core.engine.MemoryLayout;
import dev.cellar.spi.persistence.DataValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * A list value: a quicklist, as Redis 7.0 holds every list (Redis's {@code quicklist.c}).
 *
 * <p>Layout: a doubly linked sequence of nodes, each holding its elements packed in one
 * {@code byte[]} (a listpack-like blob, see "Entries" below). A node fills up to the limit
 * {@code list-max-listpack-size} gives: a negative value -1..-5 bounds a node's bytes to
 * 4/8/16/32/64 KB, a positive one bounds its element count (and, as in Redis, its bytes to 8 KB).
 * The limit is read when the list is created, as Redis's {@code quicklistSetOptions} does, so
 * changing the setting later leaves existing lists alone. {@code list-compress-depth} is accepted
 * by the settings but ignored here: nodes are never LZF-compressed (it saves memory only, and no
 * reply depends on it).
 *
 * <p>Nodes keep free room at both ends of their blob ({@code start}/{@code end}), so a push or pop
 * at either end of the list touches one node and moves no bytes in the common case: O(1)
 * amortised. Index operations (LINDEX, LSET, LINSERT) walk node counts from the nearer end, then
 * entries inside one node.
 *
 * <p>Entries: an encoding header, the data, then a "back length" (the size of header and data,
 * written so it can be read from right to left), which lets a node be walked in both directions.
 * Headers: {@code 0xxxxxxx} a 7-bit unsigned integer; {@code 10LLLLLL} a string of up to 63 bytes;
 * {@code 110xxxxx x} a 13-bit signed integer; {@code 1110LLLL L} a string of up to 4095 bytes;
 * {@code F0} a string with a 4-byte length; {@code F1..F4} 16/24/32/64-bit signed integers. An
 * element is stored as an integer only when it is the canonical decimal form of one (Redis's
 * {@code string2ll}), so it reads back byte for byte.
 *
 * <p>Memory: {@link #memoryUsage()} is a running sum of this object, the node objects and their
 * blobs' capacities, updated whenever a blob is (re)allocated.
 */
public final class ListValue implements RValue {
    /** Node byte limits for list-max-listpack-size -1..-5. */
    private static final int[] SIZE_LIMITS = {4096, 8192, 16384, 32768, 65536};
    /** Redis's SIZE_SAFETY_LIMIT: the byte bound of count-limited nodes. */
    private static final int SAFETY_LIMIT = 8192;
    /** Redis's FILL_MAX. */
    private static final int FILL_MAX = (1 << 15) - 1;
    /** Listpack header and terminator bytes plus Redis's SIZE_ESTIMATE_OVERHEAD, for fill checks. */
    private static final int NODE_OVERHEAD = 6 + 1 + 8;

    /** This object: header, two refs, two longs, two ints. */
    private static final long SELF_BYTES = MemoryLayout.object(2 * MemoryLayout.REF + 16 + 8);
    /** A node object: header, three refs, three ints. */
    private static final long NODE_BYTES = MemoryLayout.object(3 * MemoryLayout.REF + 12);

    private static final byte[] EMPTY = new byte[0];

    private final int fill;
    private Node head;
    private Node tail;
    private long size;
    private long bytes = SELF_BYTES;
    private int nodeCount;

    /** One quicklist node: its entries live in {@code buf[start, end)}. */
    private static final class Node {
        byte[] buf;
        int start;
        int end;
        int count;
        Node prev;
        Node next;

        Node(byte[] buf, int start, int end, int count) {
            this.buf = buf;
            this.start = start;
            this.end = end;
            this.count = count;
        }

        int used() {
            return end - start;
        }
    }

    /** An empty list whose nodes are bounded by {@code fill} ({@code list-max-listpack-size}). */
    public ListValue(int fill) {
        this.fill = fill > FILL_MAX ? FILL_MAX : Math.max(fill, -5);
    }

    /**
     * Appends a node taken over from a Redis listpack (a quicklist node as an RDB file holds it:
     * the 6-byte header, the entries, the 0xFF terminator; checked by the caller and holding at
     * least one entry). Its entries are in the encoding this list's nodes use, so the array
     * becomes the node's buffer as it is, header and terminator serving as free room at its ends,
     * as Redis keeps a loaded node. The caller must not use the array afterwards.
     */
    public void appendListpack(byte[] lp) {
        int start = 6;
        int end = lp.length - 1;
        int count = (lp[4] & 0xFF) | (lp[5] & 0xFF) << 8;
        if (count == 0xFFFF) { // "count them"
            count = 0;
            for (int p = start; p < end; p += entrySize(lp, p)) {
                count++;
            }
        }
        linkAfter(tail, new Node(lp, start, end, count));
        size += count;
    }

    /** The node bound this list was created with. */
    public int fill() {
        return fill;
    }

    // ------------------------------------------------------------------ RValue

    @Override
    public ValueType type() {
        return ValueType.LIST;
    }

    @Override
    public String encoding() {
        return "quicklist";
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public long memoryUsage() {
        return bytes;
    }

    /** The number of nodes (for tests and diagnostics). */
    public int nodeCount() {
        return nodeCount;
    }

    @Override
    public ListValue copy() {
        ListValue c = new ListValue(fill);
        for (Node n = head; n != null; n = n.next) {
            byte[] buf = Arrays.copyOfRange(n.buf, n.start, n.end);
            c.linkAfter(c.tail, new Node(buf, 0, buf.length, n.count));
        }
        c.size = size;
        return c;
    }

    @Override
    public DataValue.ListData view() {
        return new DataValue.ListData() {
            @Override
            public String encoding() {
                return "quicklist";
            }

            @Override
            public long size() {
                return size;
            }

            @Override
            public void forEach(Consumer<byte[]> element) {
                ListValue.this.forEach(element);
            }
        };
    }

    /** Visits every element, head to tail. */
    public void forEach(Consumer<byte[]> element) {
        for (Node n = head; n != null; n = n.next) {
            for (int p = n.start; p < n.end; p += entrySize(n.buf, p)) {
                element.accept(element(n.buf, p));
            }
        }
    }

    /** The elements head to tail, as a list (for tests). */
    public List<byte[]> toList() {
        List<byte[]> out = new ArrayList<>((int) Math.min(size, 1 << 20));
        forEach(out::add);
        return out;
    }

    // ------------------------------------------------------------------ ends

    /** Adds an element at the head. */
    public void pushHead(byte[] value) {
        int sz = encodedSize(value);
        Node n = head;
        if (n == null || !allowInsert(n, value.length)) {
            n = new Node(EMPTY, 0, 0, 0);
            linkAfter(null, n);
        }
        int p = openGap(n, n.start, sz, true);
        writeEntry(n.buf, p, value);
        n.count++;
        size++;
    }

    /** Adds an element at the tail. */
    public void pushTail(byte[] value) {
        int sz = encodedSize(value);
        Node n = tail;
        if (n == null || !allowInsert(n, value.length)) {
            n = new Node(EMPTY, 0, 0, 0);
            linkAfter(tail, n);
        }
        int p = openGap(n, n.end, sz, false);
        writeEntry(n.buf, p, value);
        n.count++;
        size++;
    }

    /** Removes and returns the head element, or null when empty. */
    public byte[] popHead() {
        Node n = head;
        if (n == null) {
            return null;
        }
        byte[] v = element(n.buf, n.start);
        n.start += entrySize(n.buf, n.start);
        entriesRemoved(n, 1);
        return v;
    }

    /** Removes and returns the tail element, or null when empty. */
    public byte[] popTail() {
        Node n = tail;
        if (n == null) {
            return null;
        }
        int p = prevEntry(n.buf, n.end);
        byte[] v = element(n.buf, p);
        n.end = p;
        entriesRemoved(n, 1);
        return v;
    }

    /** Removes {@code count} elements from the head (all when more). */
    public void removeHead(long count) {
        while (count > 0 && head != null) {
            Node n = head;
            if (count >= n.count) {
                count -= n.count;
                size -= n.count;
                unlink(n);
                continue;
            }
            int p = n.start;
            for (long i = 0; i < count; i++) {
                p += entrySize(n.buf, p);
            }
            n.start = p;
            entriesRemoved(n, (int) count);
            count = 0;
        }
    }

    /** Removes {@code count} elements from the tail (all when more). */
    public void removeTail(long count) {
        while (count > 0 && tail != null) {
            Node n = tail;
            if (count >= n.count) {
                count -= n.count;
                size -= n.count;
                unlink(n);
                continue;
            }
            int p = n.end;
            for (long i = 0; i < count; i++) {
                p = prevEntry(n.buf, p);
            }
            n.end = p;
            entriesRemoved(n, (int) count);
            count = 0;
        }
    }

    // ------------------------------------------------------------------ by index

    /** The element at a zero-based index from the head, or null when out of range. */
    public byte[] get(long index) {
        if (index < 0 || index >= size) {
            return null;
        }
        Cursor c = locate(index);
        return element(c.node.buf, c.offset);
    }

    /** Replaces the element at an index; returns false when the index is out of range. */
    public boolean set(long index, byte[] value) {
        if (index < 0 || index >= size) {
            return false;
        }
        Cursor c = locate(index);
        Node n = c.node;
        int oldSize = entrySize(n.buf, c.offset);
        int newSize = encodedSize(value);
        if (oldSize == newSize) {
            writeEntry(n.buf, c.offset, value);
            return true;
        }
        int gap = closeGap(n, c.offset, oldSize);
        int p = openGap(n, gap, newSize, false);
        writeEntry(n.buf, p, value);
        if (n.count > 1 && n.used() + NODE_OVERHEAD > byteLimit()) {
            splitAt(n, middleOffset(n));
        }
        return true;
    }

    /**
     * The elements from {@code start} to {@code end} inclusive (already clamped to the list: 0 <=
     * start <= end < size), head to tail.
     */
    public List<byte[]> range(long start, long end) {
        int count = (int) (end - start + 1);
        List<byte[]> out = new ArrayList<>(count);
        Cursor c = locate(start);
        Node n = c.node;
        int p = c.offset;
        while (out.size() < count) {
            if (p >= n.end) {
                n = n.next;
                p = n.start;
                continue;
            }
            out.add(element(n.buf, p));
            p += entrySize(n.buf, p);
        }
        return out;
    }

    // ------------------------------------------------------------------ by value

    /**
     * Inserts {@code value} before or after the first element equal to {@code pivot}, walking from
     * the head (LINSERT); returns whether the pivot was found.
     */
    public boolean insert(byte[] pivot, byte[] value, boolean after) {
        Matcher m = new Matcher(pivot);
        for (Node n = head; n != null; n = n.next) {
            for (int p = n.start; p < n.end; p += entrySize(n.buf, p)) {
                if (m.matches(n.buf, p)) {
                    insertAt(n, after ? p + entrySize(n.buf, p) : p, value);
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Removes elements equal to {@code value} (LREM): the first {@code count} from the head when
     * positive, the last {@code -count} from the tail when negative, all when 0. Returns how many.
     */
    public long remove(long count, byte[] value) {
        Matcher m = new Matcher(value);
        long limit = count == 0 ? Long.MAX_VALUE : Math.abs(count);
        boolean fromTail = count < 0;
        long removed = 0;
        Node n = fromTail ? tail : head;
        int[] offsets = new int[16];
        while (n != null && removed < limit) {
            Node following = fromTail ? n.prev : n.next;
            if (offsets.length < n.count) {
                offsets = new int[Math.max(n.count, offsets.length * 2)];
            }
            int k = 0;
            for (int p = n.start; p < n.end; p += entrySize(n.buf, p)) {
                offsets[k++] = p;
            }
            boolean[] drop = null;
            int dropped = 0;
            for (int i = 0; i < k && removed < limit; i++) {
                int idx = fromTail ? k - 1 - i : i;
                if (m.matches(n.buf, offsets[idx])) {
                    if (drop == null) {
                        drop = new boolean[k];
                    }
                    drop[idx] = true;
                    dropped++;
                    removed++;
                }
            }
            if (dropped > 0) {
                compact(n, offsets, k, drop);
                entriesRemoved(n, dropped);
            }
            n = following;
        }
        return removed;
    }

    /**
     * Visits the positions of elements equal to {@code value} (LPOS), from the head when
     * {@code fromHead}, else from the tail, looking at no more than {@code maxlen} elements
     * (0 for all); the visitor gets each match's index from the head and returns false to stop.
     */
    public void positions(byte[] value, boolean fromHead, long maxlen, java.util.function.LongPredicate visitor) {
        Matcher m = new Matcher(value);
        long seen = 0;
        if (fromHead) {
            long index = 0;
            for (Node n = head; n != null; n = n.next) {
                for (int p = n.start; p < n.end; p += entrySize(n.buf, p)) {
                    if (maxlen != 0 && seen >= maxlen) {
                        return;
                    }
                    seen++;
                    if (m.matches(n.buf, p) && !visitor.test(index)) {
                        return;
                    }
                    index++;
                }
            }
        } else {
            long index = size - 1;
            for (Node n = tail; n != null; n = n.prev) {
                for (int p = n.end; p > n.start; ) {
                    p = prevEntry(n.buf, p);
                    if (maxlen != 0 && seen >= maxlen) {
                        return;
                    }
                    seen++;
                    if (m.matches(n.buf, p) && !visitor.test(index)) {
                        return;
                    }
                    index--;
                }
            }
        }
    }

    // ------------------------------------------------------------------ nodes

    private boolean allowInsert(Node n, int valueLength) {
        long newSize = (long) n.used() + valueLength + NODE_OVERHEAD;
        if (fill < 0) {
            return newSize <= SIZE_LIMITS[-fill - 1];
        }
        return newSize <= SAFETY_LIMIT && n.count < fill;
    }

    /** The byte bound of a node. */
    private int byteLimit() {
        return fill < 0 ? SIZE_LIMITS[-fill - 1] : SAFETY_LIMIT;
    }

    private void linkAfter(Node after, Node n) {
        if (after == null) {
            n.next = head;
            if (head != null) {
                head.prev = n;
            }
            head = n;
            if (tail == null) {
                tail = n;
            }
        } else {
            n.prev = after;
            n.next = after.next;
            if (after.next != null) {
                after.next.prev = n;
            } else {
                tail = n;
            }
            after.next = n;
        }
        nodeCount++;
        bytes += NODE_BYTES + MemoryLayout.array(n.buf.length, 1);
    }

    private void unlink(Node n) {
        if (n.prev != null) {
            n.prev.next = n.next;
        } else {
            head = n.next;
        }
        if (n.next != null) {
            n.next.prev = n.prev;
        } else {
            tail = n.prev;
        }
        nodeCount--;
        bytes -= NODE_BYTES + MemoryLayout.array(n.buf.length, 1);
    }

    /** Bookkeeping after entries left a node: drops an empty node, shrinks a mostly empty blob. */
    private void entriesRemoved(Node n, int removed) {
        n.count -= removed;
        size -= removed;
        if (n.count == 0) {
            unlink(n);
        } else if (n.buf.length > 64 && n.used() < n.buf.length / 4) {
            int used = n.used();
            byte[] buf = new byte[used + (used >> 1) + 8];
            System.arraycopy(n.buf, n.start, buf, 0, used);
            replaceBuf(n, buf, 0, used);
        }
    }

    private void replaceBuf(Node n, byte[] buf, int start, int end) {
        bytes += MemoryLayout.array(buf.length, 1) - MemoryLayout.array(n.buf.length, 1);
        n.buf = buf;
        n.start = start;
        n.end = end;
    }

    /**
     * Makes room for {@code len} bytes at offset {@code p} of a node (start <= p <= end) and
     * returns where they now begin. {@code headward} says the node grows at its head, so spare
     * room is best left in front.
     */
    private int openGap(Node n, int p, int len, boolean headward) {
        byte[] buf = n.buf;
        int used = n.used();
        if (p == n.start && n.start >= len) {
            n.start -= len;
            return n.start;
        }
        if (p == n.end && buf.length - n.end >= len) {
            n.end += len;
            return p;
        }
        int free = buf.length - used;
        if (free >= len && p != n.start && p != n.end) {
            if (buf.length - n.end >= len && n.end - p <= p - n.start) {
                System.arraycopy(buf, p, buf, p + len, n.end - p);
                n.end += len;
                return p;
            }
            if (n.start >= len) {
                System.arraycopy(buf, n.start, buf, n.start - len, p - n.start);
                n.start -= len;
                return p - len;
            }
            if (buf.length - n.end >= len) {
                System.arraycopy(buf, p, buf, p + len, n.end - p);
                n.end += len;
                return p;
            }
        }
        if (free >= len && free >= (buf.length >> 2)) {
            // enough spare room but on the wrong side: move the data to the other end of the blob
            int before = p - n.start;
            int newStart = headward ? buf.length - used - len : 0;
            byte[] src = buf;
            if (newStart < n.start) {
                System.arraycopy(src, n.start, buf, newStart, before);
                System.arraycopy(src, p, buf, newStart + before + len, n.end - p);
            } else {
                System.arraycopy(src, p, buf, newStart + before + len, n.end - p);
                System.arraycopy(src, n.start, buf, newStart, before);
            }
            n.start = newStart;
            n.end = newStart + used + len;
            return newStart + before;
        }
        int need = used + len;
        int cap = need < 48 ? need + 16 : Math.max(need, Math.min(need + (need >> 1), byteLimit()));
        byte[] nb = new byte[cap];
        int newStart = headward ? cap - need : 0;
        int before = p - n.start;
        System.arraycopy(buf, n.start, nb, newStart, before);
        System.arraycopy(buf, p, nb, newStart + before + len, n.end - p);
        replaceBuf(n, nb, newStart, newStart + need);
        return newStart + before;
    }

    /**
     * Removes {@code len} bytes at offset {@code p} of a node, moving the shorter side; returns the
     * offset where the removed bytes were, between the entries around them.
     */
    private static int closeGap(Node n, int p, int len) {
        if (p - n.start < n.end - p - len) {
            System.arraycopy(n.buf, n.start, n.buf, n.start + len, p - n.start);
            n.start += len;
            return p + len;
        }
        System.arraycopy(n.buf, p + len, n.buf, p, n.end - p - len);
        n.end -= len;
        return p;
    }

    /** Keeps only the entries not marked in {@code drop}, packing them towards the node's start. */
    private static void compact(Node n, int[] offsets, int k, boolean[] drop) {
        byte[] buf = n.buf;
        int w = n.start;
        for (int i = 0; i < k; i++) {
            int p = offsets[i];
            int sz = entrySize(buf, p);
            if (!drop[i]) {
                if (w != p) {
                    System.arraycopy(buf, p, buf, w, sz);
                }
                w += sz;
            }
        }
        n.end = w;
    }

    /** Inserts at offset {@code p} of node {@code n} (between entries), splitting full nodes. */
    private void insertAt(Node n, int p, byte[] value) {
        int sz = encodedSize(value);
        if (allowInsert(n, value.length)) {
            int q = openGap(n, p, sz, p == n.start);
            writeEntry(n.buf, q, value);
            n.count++;
            size++;
            return;
        }
        if (p == n.end) {
            if (n.next != null && allowInsert(n.next, value.length)) {
                insertAt(n.next, n.next.start, value);
            } else {
                insertNewNode(n, value);
            }
            return;
        }
        if (p == n.start) {
            if (n.prev != null && allowInsert(n.prev, value.length)) {
                insertAt(n.prev, n.prev.end, value);
            } else {
                insertNewNode(n.prev, value);
            }
            return;
        }
        splitAt(n, p);
        if (allowInsert(n, value.length)) {
            insertAt(n, n.end, value);
        } else if (allowInsert(n.next, value.length)) {
            insertAt(n.next, n.next.start, value);
        } else {
            insertNewNode(n, value);
        }
    }

    private void insertNewNode(Node after, byte[] value) {
        int sz = encodedSize(value);
        byte[] buf = new byte[sz];
        writeEntry(buf, 0, value);
        linkAfter(after, new Node(buf, 0, sz, 1));
        size++;
    }

    /** Moves the entries of {@code n} from offset {@code p} on into a new node after it. */
    private void splitAt(Node n, int p) {
        int moved = 0;
        for (int q = p; q < n.end; q += entrySize(n.buf, q)) {
            moved++;
        }
        byte[] buf = Arrays.copyOfRange(n.buf, p, n.end);
        Node right = new Node(buf, 0, buf.length, moved);
        n.end = p;
        n.count -= moved;
        linkAfter(n, right);
        if (n.buf.length > 64 && n.used() < n.buf.length / 2) {
            int used = n.used();
            byte[] nb = Arrays.copyOfRange(n.buf, n.start, n.end);
            replaceBuf(n, nb, 0, used);
        }
    }

    private static int middleOffset(Node n) {
        int p = n.start;
        for (int i = 0; i < n.count / 2; i++) {
            p += entrySize(n.buf, p);
        }
        return p;
    }

    /** A position: a node and the offset of an entry in it. */
    private static final class Cursor {
        final Node node;
        final int offset;

        Cursor(Node node, int offset) {
            this.node = node;
            this.offset = offset;
        }
    }

    /** Finds the entry at an index (0 <= index < size), walking from the nearer end. */
    private Cursor locate(long index) {
        Node n;
        int inNode;
        if (index < size / 2) {
            n = head;
            long i = index;
            while (i >= n.count) {
                i -= n.count;
                n = n.next;
            }
            inNode = (int) i;
        } else {
            n = tail;
            long r = size - 1 - index;
            while (r >= n.count) {
                r -= n.count;
                n = n.prev;
            }
            inNode = n.count - 1 - (int) r;
        }
        int p;
        if (inNode < n.count / 2) {
            p = n.start;
            for (int i = 0; i < inNode; i++) {
                p += entrySize(n.buf, p);
            }
        } else {
            p = n.end;
            for (int i = n.count; i > inNode; i--) {
                p = prevEntry(n.buf, p);
            }
        }
        return new Cursor(n, p);
    }

    // ------------------------------------------------------------------ entries

    /** Compares entries with one element without decoding them. */
    private static final class Matcher {
        final byte[] value;
        final boolean isInt;
        final long intValue;

        Matcher(byte[] value) {
            this.value = value;
            this.isInt = isCanonicalLong(value);
            this.intValue = isInt ? parseCanonical(value) : 0;
        }

        boolean matches(byte[] buf, int p) {
            int b = buf[p] & 0xFF;
            if (isIntHeader(b)) {
                return isInt && intValue(buf, p) == intValue;
            }
            if (isInt) {
                return false;
            }
            int len;
            int data;
            if (b < 0xC0) {
                len = b & 0x3F;
                data = p + 1;
            } else if (b < 0xF0) {
                len = ((b & 0x0F) << 8) | (buf[p + 1] & 0xFF);
                data = p + 2;
            } else {
                len = readInt32(buf, p + 1);
                data = p + 5;
            }
            return len == value.length && Arrays.equals(buf, data, data + len, value, 0, len);
        }
    }

    private static boolean isIntHeader(int b) {
        return b < 0x80 || (b >= 0xC0 && b < 0xE0) || (b >= 0xF1 && b <= 0xF4);
    }

    /** Header and data bytes of an element when written as an entry. */
    private static int payloadSize(byte[] v) {
        if (isCanonicalLong(v)) {
            long x = parseCanonical(v);
            if (x >= 0 && x < 128) {
                return 1;
            }
            if (x >= -4096 && x < 4096) {
                return 2;
            }
            if (x >= Short.MIN_VALUE && x <= Short.MAX_VALUE) {
                return 3;
            }
            if (x >= -(1 << 23) && x < (1 << 23)) {
                return 4;
            }
            if (x >= Integer.MIN_VALUE && x <= Integer.MAX_VALUE) {
                return 5;
            }
            return 9;
        }
        int n = v.length;
        return n < 64 ? 1 + n : n < 4096 ? 2 + n : 5 + n;
    }

    /**
     * Bytes of the back-length of an entry of {@code l} header and data bytes, with Redis's
     * thresholds ({@code lpEncodeBacklen}: 16383 takes three bytes, not two), so that the entries
     * of a node taken over from Redis ({@link #appendListpack}) are walked as Redis wrote them.
     */
    private static int backlenSize(int l) {
        return l < 128 ? 1 : l < 16383 ? 2 : l < 2097151 ? 3 : l < 268435455 ? 4 : 5;
    }

    /** Total bytes of an element written as an entry. */
    static int encodedSize(byte[] v) {
        int l = payloadSize(v);
        return l + backlenSize(l);
    }

    /** Writes an element as an entry at {@code p}; the room is {@link #encodedSize}. */
    private static void writeEntry(byte[] buf, int p, byte[] v) {
        int start = p;
        if (isCanonicalLong(v)) {
            long x = parseCanonical(v);
            if (x >= 0 && x < 128) {
                buf[p++] = (byte) x;
            } else if (x >= -4096 && x < 4096) {
                int u = (int) x & 0x1FFF;
                buf[p++] = (byte) (0xC0 | (u >> 8));
                buf[p++] = (byte) u;
            } else if (x >= Short.MIN_VALUE && x <= Short.MAX_VALUE) {
                buf[p++] = (byte) 0xF1;
                p = writeLE(buf, p, x, 2);
            } else if (x >= -(1 << 23) && x < (1 << 23)) {
                buf[p++] = (byte) 0xF2;
                p = writeLE(buf, p, x, 3);
            } else if (x >= Integer.MIN_VALUE && x <= Integer.MAX_VALUE) {
                buf[p++] = (byte) 0xF3;
                p = writeLE(buf, p, x, 4);
            } else {
                buf[p++] = (byte) 0xF4;
                p = writeLE(buf, p, x, 8);
            }
        } else {
            int n = v.length;
            if (n < 64) {
                buf[p++] = (byte) (0x80 | n);
            } else if (n < 4096) {
                buf[p++] = (byte) (0xE0 | (n >> 8));
                buf[p++] = (byte) n;
            } else {
                buf[p++] = (byte) 0xF0;
                p = writeLE(buf, p, n, 4);
            }
            System.arraycopy(v, 0, buf, p, n);
            p += n;
        }
        int l = p - start;
        int k = backlenSize(l);
        // the byte nearest the entry's end holds the lowest 7 bits; a set high bit means more to the left
        for (int i = 0; i < k; i++) {
            buf[p + k - 1 - i] = (byte) (((l >>> (7 * i)) & 0x7F) | (i < k - 1 ? 0x80 : 0));
        }
    }

    private static int writeLE(byte[] buf, int p, long x, int n) {
        for (int i = 0; i < n; i++) {
            buf[p++] = (byte) (x >>> (8 * i));
        }
        return p;
    }

    private static long readLE(byte[] buf, int p, int n) {
        long x = 0;
        for (int i = 0; i < n; i++) {
            x |= (buf[p + i] & 0xFFL) << (8 * i);
        }
        int shift = 64 - 8 * n;
        return (x << shift) >> shift;
    }

    private static int readInt32(byte[] buf, int p) {
        return (int) readLE(buf, p, 4);
    }

    /** Header and data bytes of the entry at {@code p}. */
    private static int payloadAt(byte[] buf, int p) {
        int b = buf[p] & 0xFF;
        if (b < 0x80) {
            return 1;
        }
        if (b < 0xC0) {
            return 1 + (b & 0x3F);
        }
        if (b < 0xE0) {
            return 2;
        }
        if (b < 0xF0) {
            return 2 + (((b & 0x0F) << 8) | (buf[p + 1] & 0xFF));
        }
        return switch (b) {
            case 0xF0 -> 5 + readInt32(buf, p + 1);
            case 0xF1 -> 3;
            case 0xF2 -> 4;
            case 0xF3 -> 5;
            case 0xF4 -> 9;
            default -> throw new IllegalStateException("corrupt list entry header " + b);
        };
    }

    /** Total bytes of the entry at {@code p}. */
    private static int entrySize(byte[] buf, int p) {
        int l = payloadAt(buf, p);
        return l + backlenSize(l);
    }

    /** The offset of the entry that ends at {@code end}. */
    private static int prevEntry(byte[] buf, int end) {
        int q = end - 1;
        int l = 0;
        int shift = 0;
        int k = 0;
        while (true) {
            int b = buf[q--] & 0xFF;
            l |= (b & 0x7F) << shift;
            shift += 7;
            k++;
            if ((b & 0x80) == 0) {
                break;
            }
        }
        return end - k - l;
    }

    private static long intValue(byte[] buf, int p) {
        int b = buf[p] & 0xFF;
        if (b < 0x80) {
            return b;
        }
        if (b < 0xE0) {
            int u = ((b & 0x1F) << 8) | (buf[p + 1] & 0xFF);
            return (u << 19) >> 19;
        }
        return switch (b) {
            case 0xF1 -> readLE(buf, p + 1, 2);
            case 0xF2 -> readLE(buf, p + 1, 3);
            case 0xF3 -> readLE(buf, p + 1, 4);
            default -> readLE(buf, p + 1, 8);
        };
    }

    /** The element of the entry at {@code p}, as a fresh array. */
    private static byte[] element(byte[] buf, int p) {
        int b = buf[p] & 0xFF;
        if (isIntHeader(b)) {
            return Long.toString(intValue(buf, p)).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        }
        if (b < 0xC0) {
            return Arrays.copyOfRange(buf, p + 1, p + 1 + (b & 0x3F));
        }
        if (b < 0xF0) {
            int len = ((b & 0x0F) << 8) | (buf[p + 1] & 0xFF);
            return Arrays.copyOfRange(buf, p + 2, p + 2 + len);
        }
        int len = readInt32(buf, p + 1);
        return Arrays.copyOfRange(buf, p + 5, p + 5 + len);
    }

    /** Whether bytes are an integer in Redis's canonical form ({@code string2ll}), without throwing. */
    static boolean isCanonicalLong(byte[] s) {
        int len = s.length;
        if (len == 0 || len > 20) {
            return false;
        }
        if (len == 1 && s[0] == '0') {
            return true;
        }
        int i = 0;
        boolean negative = s[0] == '-';
        if (negative) {
            if (len == 1) {
                return false;
            }
            i = 1;
        }
        if (s[i] < '1' || s[i] > '9') {
            return false;
        }
        long v = 0;
        for (; i < len; i++) {
            int d = s[i] - '0';
            if (d < 0 || d > 9) {
                return false;
            }
            if (v < (Long.MIN_VALUE + d) / 10) {
                return false;
            }
            v = v * 10 - d;
        }
        return negative || v != Long.MIN_VALUE;
    }

    /** Parses bytes {@link #isCanonicalLong} accepted. */
    private static long parseCanonical(byte[] s) {
        boolean negative = s[0] == '-';
        long v = 0;
        for (int i = negative ? 1 : 0; i < s.length; i++) {
            v = v * 10 - (s[i] - '0');
        }
        return negative ? v : -v;
    }
}
