package dev.cellar.core.engine;

import dev.cellar.core.values.RValue;
import dev.cellar.spi.persistence.DataValue;
import dev.cellar.spi.persistence.PersistenceContext;
import dev.cellar.spi.persistence.SnapshotView;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Lock;

/**
 * A consistent point-in-time view of the keyspace without fork and without stopping writers
 * (design invariant 4), in the manner of Dragonfly's "snapshot before mutate".
 *
 * <p>Mechanism: taking the view flips each database dictionary's mark parity, so every key present
 * at that instant is <em>unmarked</em>; a key added afterwards is born marked. The consumer's thread
 * then walks each dictionary in short slices under the engine lock, emitting and marking unmarked
 * keys. Between slices writers run; before any write touches a key ({@link Engine#track}, the one
 * hook every change passes through), {@link #beforeChange} emits the key's current value first if
 * it is still unmarked: a collection is deep-copied (its old state must survive the write), a string
 * is immutable and shared. Those early copies wait in a per-database buffer and are handed over when
 * the walk of that database ends, so the consumer sees each database's keys together.
 *
 * <p>What it costs: writers are paused for one slice at a time ({@value #SLICE_ENTRIES} entries or
 * {@value #SLICE_NANOS} ns, whichever comes first, plus the serialization of one large value); the
 * extra memory is the copies of keys changed before the walk reached them, not a second copy of
 * the data set. A dictionary replaced while the view is open (FLUSHDB, FLUSHALL, SWAPDB) is not
 * changed in place: the view keeps walking the old object, which nobody mutates any more.
 *
 * <p>The visitor runs while the engine lock is held and must not block: it serializes into memory
 * (or a buffered stream) and returns.
 */
final class ForklessSnapshot implements SnapshotView, PersistenceContext.SnapshotHandle {
    static final int SLICE_ENTRIES = 1024;
    static final long SLICE_NANOS = 1_000_000;

    private final Engine engine;
    private final Lock lock;
    private final Dict[] mains;
    private final Dict[] expires;
    private final long[] sizes;
    private final long[] expiresSizes;
    private final Map<Dict, Integer> index = new IdentityHashMap<>();
    private final List<List<Early>> early;
    private final boolean[] done;
    private boolean closed;
    private long copiedBytes;
    /** Keys in the view when it was taken, and keys handed to the visitor so far (INFO's current_save_keys_*). */
    private long keysTotal;
    private long keysProcessed;
    private final Entries entries;

    private record Early(byte[] key, DataValue value, long expireAt, long idle, int freq) {}

    /**
     * The strings a slice took, to hand over after the lock: per string a packed slot array (key
     * and value taken out of it then) or an unpacked key and value, all of them never changed once
     * stored. Parallel arrays used again slice after slice, where a record per key (about 48 bytes)
     * gave the young collector some 48 MB more to clear for a walk of a million keys.
     */
    static final class SliceStrings {
        private byte[][] packedOrKey = new byte[64][];
        private Object[] values = new Object[64]; // null for a packed slot
        private long[] expireAt = new long[64];
        private long[] idle = new long[64];
        private int[] freq = new int[64];
        private int size;

        /** Keeps a string: a packed slot array with a null {@code value}, or an unpacked key and its value. */
        void add(byte[] packedOrKeyArray, Object value, long expire, long idleMillis, int frequency) {
            if (size == freq.length) {
                int n = size * 2;
                packedOrKey = java.util.Arrays.copyOf(packedOrKey, n);
                values = java.util.Arrays.copyOf(values, n);
                expireAt = java.util.Arrays.copyOf(expireAt, n);
                idle = java.util.Arrays.copyOf(idle, n);
                freq = java.util.Arrays.copyOf(freq, n);
            }
            packedOrKey[size] = packedOrKeyArray;
            values[size] = value;
            expireAt[size] = expire;
            idle[size] = idleMillis;
            freq[size] = frequency;
            size++;
        }

        /** Hands every string to {@code visitor} and forgets them. */
        void handTo(EntryVisitor visitor) {
            for (int i = 0; i < size; i++) {
                byte[] a = packedOrKey[i];
                Object value = values[i];
                boolean packed = value == null;
                visitor.entry(packed ? Dict.packedKey(a) : a, Values.view(packed ? Dict.packedValue(a) : value),
                        expireAt[i], idle[i], freq[i]);
                packedOrKey[i] = null;
                values[i] = null;
            }
            size = 0;
        }
    }

    /** An {@link Early} record: two references, two longs and an int. */
    private static final long EARLY_RECORD = MemoryLayout.object(2 * MemoryLayout.REF + 8 + 8 + 4);
    /** A value's view object (a string's: its bytes and encoding name). */
    private static final long VIEW = MemoryLayout.object(2 * MemoryLayout.REF);

    /** Takes the view; the caller holds the engine lock. */
    ForklessSnapshot(Engine engine, Lock lock) {
        this.engine = engine;
        this.lock = lock;
        this.entries = new Entries(engine);
        int n = engine.databases();
        mains = new Dict[n];
        expires = new Dict[n];
        sizes = new long[n];
        expiresSizes = new long[n];
        early = new ArrayList<>(n);
        done = new boolean[n];
        for (int i = 0; i < n; i++) {
            Db db = engine.db(i);
            mains[i] = db.dict;
            expires[i] = db.expires;
            sizes[i] = db.dict.size();
            keysTotal += sizes[i];
            expiresSizes[i] = db.expires.size();
            db.dict.flipMarks();
            db.dict.takeMovedBelow();
            index.put(db.dict, i);
            early.add(new ArrayList<>());
        }
    }

    @Override
    public SnapshotView view() {
        return this;
    }

    @Override
    public int databases() {
        return mains.length;
    }

    @Override
    public long size(int db) {
        return sizes[db];
    }

    @Override
    public long expiresSize(int db) {
        return expiresSizes[db];
    }

    /**
     * Bytes held by early copies so far (the snapshot's extra memory, like Redis's COW size); kept
     * after {@link #close()}. Writers add to it under the engine lock, so it is read under the lock.
     */
    @Override
    public long copiedBytes() {
        lock.lock();
        try {
            return copiedBytes;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void forEach(int db, EntryVisitor visitor) {
        Dict dict = mains[db];
        int slot = 0;
        int handedOver = 0;
        // A slice's strings, handed to the visitor once the lock is released: a string value is
        // never changed in place (a write stores a new array), so what the slice read stays the
        // point-in-time value, and the visitor's encoding (RDB, LZF, checksum) of most keys runs
        // beside the writers instead of holding the lock they wait for. Collections, which change
        // in place, are still handed over under the lock.
        SliceStrings strings = new SliceStrings();
        while (true) {
            boolean finished = false;
            lock.lock();
            try {
                if (closed) {
                    throw new IllegalStateException("the snapshot was closed");
                }
                if (done[db]) {
                    return;
                }
                // Writers ran since the last slice: a resize or a deletion may have moved unvisited
                // keys behind the walk (marks move with their keys), so resume from there.
                slot = Math.min(slot, dict.takeMovedBelow());
                int capacity = dict.capacity();
                long deadline = System.nanoTime() + SLICE_NANOS;
                int emitted = 0;
                int scanned = 0;
                while (slot < capacity && emitted < SLICE_ENTRIES) {
                    if (dict.occupied(slot) && !dict.marked(slot)) {
                        dict.mark(slot);
                        entries.emit(dict, expires[db], slot, visitor, strings);
                        emitted++;
                        if ((emitted & 63) == 0 && System.nanoTime() > deadline) {
                            slot++;
                            break;
                        }
                    }
                    slot++;
                    if ((++scanned & 4095) == 0 && System.nanoTime() > deadline) {
                        break;
                    }
                }
                if (slot >= capacity) {
                    // The early copies, in slices too: there may be many, and large ones.
                    List<Early> copies = early.get(db);
                    while (handedOver < copies.size() && emitted < SLICE_ENTRIES && System.nanoTime() <= deadline) {
                        Early e = copies.get(handedOver);
                        copies.set(handedOver++, null);
                        visitor.entry(e.key(), e.value(), e.expireAt(), e.idle(), e.freq());
                        emitted++;
                    }
                    if (handedOver == copies.size()) {
                        copies.clear();
                        done[db] = true;
                        finished = true;
                    }
                }
                keysProcessed += emitted;
            } finally {
                lock.unlock();
            }
            strings.handTo(visitor);
            if (finished) {
                return;
            }
            letWaitersIn();
        }
    }

    /**
     * The engine lock is not fair: a walker that unlocks and locks again at once can take it back
     * before a woken writer does, slice after slice. Give queued writers their turn first.
     */
    private void letWaitersIn() {
        if (lock instanceof java.util.concurrent.locks.ReentrantLock r && !r.isHeldByCurrentThread()) {
            for (int i = 0; i < 1000 && r.hasQueuedThreads(); i++) {
                Thread.yield();
            }
        }
    }

    /**
     * Called before a key of {@code dict} changes (its value, its expiry, or its existence): keeps
     * the key's state at the point in time if the walk has not reached it yet.
     */
    void beforeChange(Dict dict, byte[] key) {
        Integer db = index.get(dict);
        if (db == null || done[db]) {
            return;
        }
        int slot = dict.find(key);
        if (slot < 0 || dict.marked(slot)) {
            return;
        }
        dict.mark(slot);
        // What the copy keeps alive on the heap until the walk passes: the record, the key's
        // clone, the value's view and whatever of the value is new (a collection's deep copy, a
        // packed string's or an integer's bytes); an unpacked string's bytes are shared.
        boolean shared = !dict.packedAt(slot) && dict.unpackedValueAt(slot) instanceof byte[];
        Object value = dict.valueAt(slot);
        DataValue copy;
        long bytes = EARLY_RECORD + MemoryLayout.array(key.length, 1) + MemoryLayout.REF;
        if (value instanceof RValue r) {
            RValue c = r.copy();
            bytes += c.memoryUsage() + VIEW;
            copy = c.view();
        } else {
            copy = Values.view(value);
            bytes += VIEW + (shared ? 0 : MemoryLayout.array(((DataValue.StringData) copy).bytes().length, 1));
        }
        copiedBytes += bytes;
        int meta = dict.metaAt(slot);
        early.get(db).add(new Early(key.clone(), copy, Entries.expireOf(expires[db], key), entries.idle(meta),
                entries.freq(meta)));
    }

    /** Keys in the view when it was taken; read under the engine lock. */
    long keysTotal() {
        return keysTotal;
    }

    /** Keys handed to the visitor so far (early copies included); read under the engine lock. */
    long keysProcessed() {
        return keysProcessed;
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            // A view closed before its walk ended leaves keys unmarked; mark them so that the next
            // view's flip makes every key unvisited again.
            for (int i = 0; i < mains.length; i++) {
                if (!done[i]) {
                    mains[i].markAll();
                }
                early.get(i).clear();
            }
            engine.snapshotClosed(this);
        } finally {
            lock.unlock();
        }
    }

    /** How a key of a dictionary is handed to a view's visitor; shared with {@link LiveView}. */
    static final class Entries {
        private final Engine engine;
        private final boolean saveLru;
        private final boolean saveLfu;

        Entries(Engine engine) {
            this.engine = engine;
            String policy = engine.settings().get("maxmemory-policy");
            this.saveLru = policy.endsWith("-lru");
            this.saveLfu = policy.endsWith("-lfu");
        }

        void emit(Dict dict, Dict expires, int slot, EntryVisitor visitor) {
            emit(dict, expires, slot, visitor, null);
        }

        /**
         * Hands the key in {@code slot} to {@code visitor}, or, when it is a string and
         * {@code strings} is given, adds it there for the caller to hand over later.
         */
        void emit(Dict dict, Dict expires, int slot, EntryVisitor visitor, SliceStrings strings) {
            int meta = dict.metaAt(slot);
            if (strings != null) {
                byte[] packed = dict.packedArrayAt(slot);
                if (packed != null) {
                    // the key is taken out under the lock only when an expiry must be looked up
                    long expireAt = expires.size() == 0 ? -1 : expireOf(expires, Dict.packedKey(packed));
                    strings.add(packed, null, expireAt, idle(meta), freq(meta));
                    return;
                }
            }
            byte[] key = dict.keyAt(slot);
            Object value = dict.valueAt(slot);
            if (strings != null && !(value instanceof RValue)) {
                strings.add(key, value, expireOf(expires, key), idle(meta), freq(meta));
                return;
            }
            visitor.entry(key, Values.view(value), expireOf(expires, key), idle(meta), freq(meta));
        }

        static long expireOf(Dict expires, byte[] key) {
            if (expires.size() == 0) {
                return -1;
            }
            Object when = expires.get(key);
            return when == null ? -1 : (Long) when;
        }

        /** LRU idle time, recorded only under an LRU policy, as Redis writes it (else -1). */
        long idle(int meta) {
            return saveLru ? engine.accessTracker.idleMillis(meta) : -1;
        }

        /** LFU counter, recorded only under an LFU policy, as Redis writes it (else -1). */
        int freq(int meta) {
            return saveLfu ? engine.accessTracker.frequency(meta) : -1;
        }
    }
}
