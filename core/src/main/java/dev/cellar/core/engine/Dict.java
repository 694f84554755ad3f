package dev.cellar.core.engine;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * An open-addressing hash table from binary keys to values, laid out for memory first.
 *
 * <p>Memory layout: each slot of {@code slots} holds either nothing, an {@link Entry} (key plus a
 * value object), or a <em>packed entry</em>: one {@code byte[]} holding a tag, the key and a small
 * value. Packing is Cellar's analogue of Redis's {@code embstr}: a key of at most 255 bytes with a
 * string value of at most {@value #EMBSTR_MAX} bytes, or with an integer value, costs one array
 * header instead of an entry object, a key array and a value array. A parallel {@code int[]} keeps a
 * 32-bit word of metadata per slot (the LRU clock or LFU counter, in Redis's 24-bit layout); it is
 * allocated only once a non-zero word is stored, so tables that keep no metadata (the expiry table,
 * collections that reuse this class) do not pay 4 bytes a slot for it.
 *
 * <p>The maximum load factor is 3/4 and the table shrinks below 1/10: with linear probing, fuller
 * tables make misses (and so inserts) probe long runs. A packed {@code key:N -> value:N} entry is
 * one 40-byte array, and the table adds 8 bytes a slot (a reference and a stored hash; 12 with
 * metadata), 11 to 32 bytes a key: well under Redis's ~89 bytes a key.
 *
 * <p>Probing is linear with backward-shift deletion, so every key is reachable from its home
 * bucket without crossing an empty slot. {@link #scan} walks home buckets in Redis's reverse-binary
 * cursor order, returning for each bucket the keys whose home it is; since the table size is a
 * power of two, this keeps Redis's guarantee that a key present for the whole scan is returned at
 * least once, across any number of resizes.
 *
 * <p>Not thread-safe: it belongs to the command thread.
 */
public final class Dict {
    /** Longest string value stored packed; Redis's {@code OBJ_ENCODING_EMBSTR_SIZE_LIMIT}. */
    public static final int EMBSTR_MAX = 44;
    /** Longest key stored packed (its length is kept in one byte). */
    static final int PACKED_KEY_MAX = 255;

    private static final byte TAG_BYTES = 0;
    private static final byte TAG_LONG = 1;
    private static final int MIN_CAPACITY = 4;

    private Object[] slots;
    /**
     * The hash of the key in each slot (never 0), or 0 for an empty slot. Probing reads only this
     * array until a hash matches, so a lookup dereferences one key, not every key of the run, and a
     * resize or a deletion moves keys without touching them.
     */
    private int[] hashes;
    /** Metadata words; null while all are zero. */
    private int[] meta;
    /** The top bit of a metadata word is the snapshot mark; a slot is marked when its bit equals this. */
    private static final int MARK = 1 << 31;
    private int markParity;
    /** See {@link #takeMovedBelow}. */
    private int movedBelow = Integer.MAX_VALUE;
    private int mask;
    private int size;

    /**
     * A key with a value that is not packed. {@code raw} marks a string kept in Redis's {@code raw}
     * encoding (it fits in the object's alignment padding, so it costs nothing).
     */
    static final class Entry {
        final byte[] key;
        Object value;
        boolean raw;

        Entry(byte[] key, Object value, boolean raw) {
            this.key = key;
            this.value = value;
            this.raw = raw;
        }
    }

    /** An empty table. */
    public Dict() {
        slots = new Object[MIN_CAPACITY];
        hashes = new int[MIN_CAPACITY];
        mask = MIN_CAPACITY - 1;
    }

    /** The number of keys. */
    public int size() {
        return size;
    }

    /** The number of slots. */
    public int capacity() {
        return slots.length;
    }

    // ------------------------------------------------------------------ hashing

    /** The hash of a key (also of a key region inside a packed entry). */
    public static int hash(byte[] a, int from, int to) {
        int h = 0x9747b28c;
        int i = from;
        for (; i + 4 <= to; i += 4) {
            int k = (a[i] & 0xff) | (a[i + 1] & 0xff) << 8 | (a[i + 2] & 0xff) << 16 | (a[i + 3] << 24);
            k *= 0xcc9e2d51;
            k = Integer.rotateLeft(k, 15);
            k *= 0x1b873593;
            h ^= k;
            h = Integer.rotateLeft(h, 13);
            h = h * 5 + 0xe6546b64;
        }
        int k = 0;
        switch (to - i) {
            case 3:
                k ^= (a[i + 2] & 0xff) << 16;
            // fall through
            case 2:
                k ^= (a[i + 1] & 0xff) << 8;
            // fall through
            case 1:
                k ^= a[i] & 0xff;
                k *= 0xcc9e2d51;
                k = Integer.rotateLeft(k, 15);
                k *= 0x1b873593;
                h ^= k;
            // fall through
            default:
        }
        h ^= to - from;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }

    /** The hash this table stores for a key: {@link #hash}, with 0 (the empty mark) moved to 1. */
    private static int keyHash(byte[] key) {
        int h = hash(key, 0, key.length);
        return h != 0 ? h : 1;
    }

    private static boolean keyEquals(Object slot, byte[] key) {
        if (slot instanceof byte[] packed) {
            int len = packed[1] & 0xff;
            return len == key.length && Arrays.equals(packed, 2, 2 + len, key, 0, len);
        }
        return Arrays.equals(((Entry) slot).key, key);
    }

    // ------------------------------------------------------------------ lookups

    /** The slot holding {@code key}, or -1. */
    public int find(byte[] key) {
        int i = probe(key, keyHash(key));
        return i >= 0 ? i : -1;
    }

    /**
     * The one probe loop: the slot holding {@code key} (whose stored hash is {@code h}), or
     * {@code -(slot + 1)} for the empty slot that ends its run.
     */
    private int probe(byte[] key, int h) {
        int[] hs = hashes;
        int m = mask;
        int i = h & m;
        int stored;
        while ((stored = hs[i]) != 0) {
            if (stored == h && keyEquals(slots[i], key)) {
                return i;
            }
            i = (i + 1) & m;
        }
        return -(i + 1);
    }

    /** The value of {@code key}, or null. */
    public Object get(byte[] key) {
        int i = find(key);
        return i < 0 ? null : valueAt(i);
    }

    /** Whether the slot is occupied. */
    public boolean occupied(int slot) {
        return slots[slot] != null;
    }

    /** The key in an occupied slot (a fresh copy for packed entries). */
    public byte[] keyAt(int slot) {
        return keyOf(slots[slot]);
    }

    /**
     * The value in an occupied slot: a {@code byte[]} or {@link Long} for strings (a fresh array for
     * packed strings), or the collection object.
     */
    public Object valueAt(int slot) {
        Object s = slots[slot];
        return s instanceof byte[] packed ? packedValue(packed) : ((Entry) s).value;
    }

    /**
     * The packed array of an occupied slot holding a packed string, or null: such an array is never
     * changed once stored (a new value makes a new one), so a reader may keep it and take the key
     * and value out later ({@link #packedKey}, {@link #packedValue}), without the engine lock.
     */
    byte[] packedArrayAt(int slot) {
        return slots[slot] instanceof byte[] packed ? packed : null;
    }

    /** The key of a packed slot array ({@link #packedArrayAt}), a fresh array. */
    static byte[] packedKey(byte[] packed) {
        return Arrays.copyOfRange(packed, 2, 2 + (packed[1] & 0xff));
    }

    /** The value of a packed slot array ({@link #packedArrayAt}): a fresh array, or a {@link Long}. */
    static Object packedValue(byte[] packed) {
        int start = 2 + (packed[1] & 0xff);
        return packed[0] == TAG_LONG ? (Object) readLong(packed, start) : Arrays.copyOfRange(packed, start, packed.length);
    }

    /** The value object of an unpacked entry in an occupied slot, or null for a packed one (no copy). */
    Object unpackedValueAt(int slot) {
        return slots[slot] instanceof Entry e ? e.value : null;
    }

    /** Whether the value in an occupied slot is packed (an {@code embstr} or packed integer). */
    public boolean packedAt(int slot) {
        return slots[slot] instanceof byte[];
    }

    /**
     * Whether the string in an occupied slot is in Redis's {@code raw} encoding: stored with
     * {@code embed} false (a long value, or one a command built in place such as APPEND's).
     */
    public boolean rawAt(int slot) {
        return slots[slot] instanceof Entry e && e.raw;
    }

    /** The metadata word of an occupied slot (31 bits; the top bit is the snapshot mark). */
    public int metaAt(int slot) {
        int[] m = meta;
        return m == null ? 0 : m[slot] & ~MARK;
    }

    /** Sets the metadata word of an occupied slot, keeping its snapshot mark. */
    public void setMetaAt(int slot, int value) {
        int word = (value & ~MARK) | (meta == null ? 0 : meta[slot] & MARK);
        storeMeta(slot, word);
    }

    private void storeMeta(int slot, int word) {
        if (meta == null) {
            if (word == 0) {
                return;
            }
            meta = new int[slots.length];
        }
        meta[slot] = word;
    }

    // ------------------------------------------------------------------ snapshot marks

    /**
     * Starts a new point-in-time view: every key present now becomes unmarked (its mark bit no
     * longer equals the current parity); keys stored from now on are born marked. See
     * {@code ForklessSnapshot}.
     */
    void flipMarks() {
        markParity ^= MARK;
    }

    /** Whether the key in an occupied slot was stored after the view began or was already visited. */
    boolean marked(int slot) {
        int[] m = meta;
        return ((m == null ? 0 : m[slot]) & MARK) == markParity;
    }

    /** Marks the key in an occupied slot as visited by the current view. */
    void mark(int slot) {
        storeMeta(slot, metaAt(slot) | markParity);
    }

    /**
     * Marks every key (a view that ends before visiting them all): otherwise the next flip would
     * make the keys it never reached look visited to the next view.
     */
    void markAll() {
        int[] m = meta;
        if (m == null) {
            if (markParity != 0) {
                meta = new int[slots.length];
                m = meta;
            } else {
                return;
            }
        }
        for (int i = 0; i < m.length; i++) {
            m[i] = (m[i] & ~MARK) | markParity;
        }
    }

    /**
     * Where a view's walk must resume so as not to miss a key: a deletion shifts later keys of a
     * cluster back, possibly from ahead of the walk's position to behind it, and a resize moves
     * every key. Returns the lowest slot an unmarked key moved into since the last call (0 after a
     * resize), or {@link Integer#MAX_VALUE}, and resets it.
     */
    int takeMovedBelow() {
        int low = movedBelow;
        movedBelow = Integer.MAX_VALUE;
        return low;
    }

    // ------------------------------------------------------------------ updates

    /**
     * Sets the value of {@code key}, adding it if absent. Small strings and integers are packed when
     * {@code embed} is true; otherwise they stay in an entry (Redis's {@code raw} encoding).
     *
     * @return the slot the key now occupies
     */
    public int put(byte[] key, Object value, boolean embed, int metaWord) {
        return putAt(findOrFree(key), key, value, embed, metaWord);
    }

    /**
     * One probe for a write: the slot holding {@code key} (>= 0), or, when it is absent, {@code -(slot
     * + 1)} for the free slot where {@link #putAt} will add it. When adding would pass the load
     * factor the table grows first, so the free slot is the one in the grown table. The answer is
     * valid until the table next changes.
     */
    public int findOrFree(byte[] key) {
        int h = keyHash(key);
        int found = probe(key, h);
        if (found < 0 && size + 1 > (hashes.length >>> 2) * 3) {
            resize(hashes.length << 1);
            found = probe(key, h);
        }
        return found;
    }

    /**
     * Stores {@code key} with a value at what {@link #findOrFree} answered for it (replacing the
     * entry in an occupied slot, adding it to a free one) and gives it {@code metaWord}.
     *
     * @return the slot the key now occupies
     */
    public int putAt(int found, byte[] key, Object value, boolean embed, int metaWord) {
        int i = found;
        if (i < 0) {
            i = -(i + 1);
            hashes[i] = keyHash(key);
            size++;
        }
        slots[i] = makeSlot(key, value, embed);
        storeMeta(i, (metaWord & ~MARK) | markParity);
        return i;
    }

    /**
     * Adds {@code key} when it is absent, in one probe sequence (the bulk-load path); returns the slot
     * it now occupies, or -1 (and changes nothing) when it is already present.
     */
    public int addIfAbsent(byte[] key, Object value, boolean embed, int metaWord) {
        if (size + 1 > (slots.length >>> 2) * 3) {
            resize(slots.length << 1);
        }
        int h = keyHash(key);
        int i = probe(key, h);
        if (i >= 0) {
            return -1;
        }
        i = -(i + 1);
        hashes[i] = h;
        slots[i] = makeSlot(key, value, embed);
        storeMeta(i, (metaWord & ~MARK) | markParity);
        size++;
        return i;
    }

    /** Replaces the value in an occupied slot, keeping its key and metadata. */
    public void setValueAt(int slot, Object value, boolean embed) {
        Object s = slots[slot];
        if (s instanceof Entry e && !(embed && packable(e.key, value))) {
            e.value = value;
            e.raw = isRaw(value, embed);
            return;
        }
        slots[slot] = makeSlot(keyOf(s), value, embed);
    }

    private static byte[] keyOf(Object slot) {
        return slot instanceof byte[] packed ? packedKey(packed) : ((Entry) slot).key;
    }

    private static boolean packable(byte[] key, Object value) {
        if (key.length > PACKED_KEY_MAX) {
            return false;
        }
        return value instanceof Long || (value instanceof byte[] b && b.length <= EMBSTR_MAX);
    }

    private static Object makeSlot(byte[] key, Object value, boolean embed) {
        if (embed && packable(key, value)) {
            int len = key.length;
            byte[] packed;
            if (value instanceof Long l) {
                packed = new byte[2 + len + 8];
                packed[0] = TAG_LONG;
                writeLong(packed, 2 + len, l);
            } else {
                byte[] v = (byte[]) value;
                packed = new byte[2 + len + v.length];
                packed[0] = TAG_BYTES;
                System.arraycopy(v, 0, packed, 2 + len, v.length);
            }
            packed[1] = (byte) len;
            System.arraycopy(key, 0, packed, 2, len);
            return packed;
        }
        return new Entry(key, value, isRaw(value, embed));
    }

    /** Whether a string stored unpacked is in Redis's {@code raw} encoding rather than {@code embstr}. */
    private static boolean isRaw(Object value, boolean embed) {
        return value instanceof byte[] b && (!embed || b.length > EMBSTR_MAX);
    }

    /** Removes {@code key}; returns whether it was present. */
    public boolean remove(byte[] key) {
        int i = find(key);
        if (i < 0) {
            return false;
        }
        removeAt(i);
        return true;
    }

    /** Removes the key in an occupied slot, shifting later keys of its cluster back. */
    public void removeAt(int slot) {
        Object[] s = slots;
        int[] hs = hashes;
        int[] m = meta;
        int hole = slot;
        int j = slot;
        while (true) {
            j = (j + 1) & mask;
            int nextHash = hs[j];
            if (nextHash == 0) {
                break;
            }
            int home = nextHash & mask;
            // Move next into the hole when its home is not in the cyclic range (hole, j].
            boolean homeInRange = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
            if (!homeInRange) {
                s[hole] = s[j];
                hs[hole] = nextHash;
                if (((m == null ? 0 : m[j]) & MARK) != markParity && hole < movedBelow) {
                    movedBelow = hole;
                }
                if (m != null) {
                    m[hole] = m[j];
                }
                hole = j;
            }
        }
        s[hole] = null;
        hs[hole] = 0;
        if (m != null) {
            m[hole] = 0;
        }
        size--;
        if (slots.length > MIN_CAPACITY && size < slots.length / 10) {
            resize(Math.max(MIN_CAPACITY, Integer.highestOneBit(Math.max(1, size)) << 2));
        }
    }

    /**
     * Grows the table so that {@code keys} keys fit without another resize (a loader that knows
     * the count up front, as RDB's RESIZEDB tells it). Never shrinks; large counts are capped.
     */
    public void reserve(long keys) {
        long wanted = Math.min(keys, 1L << 28);
        int capacity = slots.length;
        while ((capacity >>> 2) * 3L < wanted) {
            capacity <<= 1;
        }
        if (capacity > slots.length) {
            resize(capacity);
        }
    }

    /** Removes every key. */
    public void clear() {
        slots = new Object[MIN_CAPACITY];
        hashes = new int[MIN_CAPACITY];
        meta = null;
        mask = MIN_CAPACITY - 1;
        size = 0;
    }

    private void resize(int capacity) {
        movedBelow = 0;
        Object[] old = slots;
        int[] oldHashes = hashes;
        int[] oldMeta = meta;
        Object[] s = new Object[capacity];
        int[] hs = new int[capacity];
        int[] m = oldMeta == null ? null : new int[capacity];
        int newMask = capacity - 1;
        for (int k = 0; k < old.length; k++) {
            int h = oldHashes[k];
            if (h != 0) {
                int i = h & newMask;
                while (hs[i] != 0) {
                    i = (i + 1) & newMask;
                }
                hs[i] = h;
                s[i] = old[k];
                if (m != null) {
                    m[i] = oldMeta[k];
                }
            }
        }
        slots = s;
        hashes = hs;
        meta = m;
        mask = newMask;
    }

    // ------------------------------------------------------------------ iteration

    /** Receives the occupied slots of a scan step. */
    @FunctionalInterface
    public interface SlotVisitor {
        /** One occupied slot. */
        void visit(int slot);
    }

    /**
     * Visits the keys whose home bucket is the one {@code cursor} names, and returns the next
     * cursor (0 when the scan is complete). The visitor must not change the table.
     */
    public long scan(long cursor, SlotVisitor visitor) {
        if (size == 0) {
            return 0;
        }
        int m = mask;
        int[] hs = hashes;
        int bucket = (int) (cursor & m);
        int i = bucket;
        int h;
        while ((h = hs[i]) != 0) {
            if ((h & m) == bucket) {
                visitor.visit(i);
            }
            i = (i + 1) & m;
        }
        return nextScanCursor(cursor, m);
    }

    /**
     * The cursor after {@code cursor} in Redis's reverse-binary order for a power-of-two table with
     * this mask (Redis's {@code dictScan} increment); 0 when the scan is complete. Every table of
     * Cellar that is scanned by cursor (keyspace, hash, set, sorted set) uses it.
     */
    public static long nextScanCursor(long cursor, int mask) {
        long v = cursor | ~((long) mask);
        v = Long.reverse(v);
        v++;
        return Long.reverse(v);
    }

    /** Visits every occupied slot; the visitor must not change the table. */
    public void forEachSlot(SlotVisitor visitor) {
        Object[] s = slots;
        for (int i = 0; i < s.length; i++) {
            if (s[i] != null) {
                visitor.visit(i);
            }
        }
    }

    /** A random occupied slot, or -1 when empty. */
    public int randomSlot(RandomGenerator random) {
        if (size == 0) {
            return -1;
        }
        Object[] s = slots;
        int i = random.nextInt(s.length);
        while (s[i] == null) {
            i = (i + 1) & mask;
        }
        return i;
    }

    // ------------------------------------------------------------------ memory

    /**
     * Bytes the table itself retains: the slot, hash and metadata arrays. Under G1 an array of half a
     * region or more is "humongous" and occupies whole regions, so a big table is counted at its
     * region-rounded size; that is what the heap pays (8 bytes a key more for a million keys).
     */
    public long tableBytes() {
        long bytes = heapArray(slots.length, MemoryLayout.REF) + heapArray(hashes.length, 4);
        return meta == null ? bytes : bytes + heapArray(meta.length, 4);
    }

    /** G1's smallest region size: arrays under half of it are never humongous. */
    private static final long MIN_G1_REGION = 1 << 20;

    /**
     * G1's region size, or 0 when the JVM does not use G1 or does not say; asked on first use (the
     * first memory figure), not when the class loads: reading it costs 15-40 ms at start-up, on the
     * main thread before the start-up load could begin.
     */
    private static final class G1Region {
        static final long SIZE = g1RegionSize();
    }

    private static long heapArray(long length, int elementSize) {
        long bytes = MemoryLayout.array(length, elementSize);
        if (bytes < MIN_G1_REGION / 2) {
            return bytes; // not humongous in any G1 heap: no need to ask the region size
        }
        long region = G1Region.SIZE;
        if (region > 0 && bytes >= region / 2) {
            bytes = (bytes + region - 1) / region * region;
        }
        return bytes;
    }

    private static long g1RegionSize() {
        try {
            // The HotSpot diagnostic bean alone: about 40 ms at start-up, where the platform MBean
            // server (all beans registered) cost about 160 ms before the load could begin.
            var diagnostic = java.lang.management.ManagementFactory.getPlatformMXBean(
                    com.sun.management.HotSpotDiagnosticMXBean.class);
            if (diagnostic == null || !"true".equals(diagnostic.getVMOption("UseG1GC").getValue())) {
                return 0;
            }
            return Long.parseLong(diagnostic.getVMOption("G1HeapRegionSize").getValue());
        } catch (RuntimeException | LinkageError e) {
            return 0;
        }
    }

    /** Bytes an occupied slot's key and entry retain, excluding a collection value's own bytes. */
    public long slotBytes(int slot) {
        Object s = slots[slot];
        if (s instanceof byte[] packed) {
            return MemoryLayout.array(packed.length, 1);
        }
        Entry e = (Entry) s;
        return entryBytes(e.key, e.value);
    }

    /**
     * What {@link #slotBytes} will say of {@code key} once stored with {@code value} (as
     * {@link #putAt} would store it with {@code embed}), without storing or reading anything: a
     * loader counts a key it adds from what it has in hand.
     */
    public static long bytesFor(byte[] key, Object value, boolean embed) {
        if (embed && packable(key, value)) {
            return MemoryLayout.array(2 + key.length + (value instanceof Long ? 8 : ((byte[]) value).length), 1);
        }
        return entryBytes(key, value);
    }

    private static long entryBytes(byte[] key, Object value) {
        long bytes = MemoryLayout.ENTRY + MemoryLayout.array(key.length, 1);
        if (value instanceof byte[] b) {
            bytes += MemoryLayout.array(b.length, 1);
        } else if (value instanceof Long) {
            bytes += MemoryLayout.BOXED_LONG;
        }
        return bytes;
    }

    private static long readLong(byte[] a, int at) {
        long v = 0;
        for (int k = 0; k < 8; k++) {
            v |= (a[at + k] & 0xffL) << (8 * k);
        }
        return v;
    }

    private static void writeLong(byte[] a, int at, long v) {
        for (int k = 0; k < 8; k++) {
            a[at + k] = (byte) (v >>> (8 * k));
        }
    }
}
