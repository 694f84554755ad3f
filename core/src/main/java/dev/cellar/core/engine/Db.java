package dev.cellar.core.engine;

import dev.cellar.core.values.RValue;
import dev.cellar.core.values.ValueType;
import dev.cellar.core.Numbers;

/**
 * One numbered database: the main dictionary and the expiry dictionary, with the lookup and write
 * functions every command goes through (Redis's {@code db.c}).
 *
 * <p>Every change to a key passes through {@link #lookupWrite}, {@link #add}, {@link #setKey},
 * {@link #delete} or {@link #setExpire}; that is where the engine expires lazily, keeps memory
 * accounts, and (for fork-less snapshots) will copy an entry before it is mutated.
 */
public final class Db {
    private final Engine engine;
    private final int index;
    Dict dict = new Dict();
    Dict expires = new Dict();
    /** Estimated bytes retained by keys, values and expiry entries (tables excluded). */
    long usedBytes;
    /**
     * INFO keyspace's {@code avg_ttl}: the mean time to live in ms of the keys active expiry samples,
     * a moving average kept by {@link ActiveExpiry} as Redis keeps {@code db->avg_ttl}; 0 when unknown.
     */
    long avgTtl;

    Db(Engine engine, int index) {
        this.engine = engine;
        this.index = index;
    }

    /** The database number. */
    public int index() {
        return index;
    }

    /** The number of keys (including logically expired keys not yet removed). */
    public int size() {
        return dict.size();
    }

    /** The number of keys with an expiry. */
    public int expiresSize() {
        return expires.size();
    }

    /** The main dictionary (for scans and sampling). */
    public Dict dict() {
        return dict;
    }

    /** The expiry dictionary: key to absolute Unix milliseconds. */
    public Dict expires() {
        return expires;
    }

    // ------------------------------------------------------------------ lookups

    /**
     * The value of a key for reading, or null: expires it first if its time has passed, updates its
     * access statistics, and counts a keyspace hit or miss.
     */
    public Object lookupRead(byte[] key) {
        return lookup(key, true, true);
    }

    /** Like {@link #lookupRead} but without touching access statistics or hit counts. */
    public Object lookupReadNoTouch(byte[] key) {
        return lookup(key, false, false);
    }

    /**
     * The value of a key that the caller is about to change in place, or null. A collection
     * returned here may be mutated; the engine settles its memory account after the command.
     */
    public Object lookupWrite(byte[] key) {
        int slot = dict.find(key);
        engine.track(this, key, slot);
        return lookupAt(key, slot, true, false);
    }

    private Object lookup(byte[] key, boolean touch, boolean stats) {
        return lookupAt(key, dict.find(key), touch, stats);
    }

    private Object lookupAt(byte[] key, int slot, boolean touch, boolean stats) {
        if (slot >= 0 && expires.size() > 0 && expireIfNeeded(key)) {
            slot = -1;
        }
        if (slot < 0) {
            if (stats) {
                engine.stats.keyspaceMisses++;
            }
            return null;
        }
        if (stats) {
            engine.stats.keyspaceHits++;
        }
        if (touch) {
            dict.setMetaAt(slot, engine.accessTracker.touch(dict.metaAt(slot)));
        }
        return dict.valueAt(slot);
    }

    /** Whether a key exists (expiring it first when due), without touching statistics. */
    public boolean exists(byte[] key) {
        return lookupReadNoTouch(key) != null;
    }

    /** The type of a key's value, or null when absent. */
    public ValueType typeOf(byte[] key) {
        Object v = lookupReadNoTouch(key);
        return v == null ? null : ValueType.of(v);
    }

    // ------------------------------------------------------------------ writes

    /** Adds a key that does not exist (the caller has checked). Signals blocked clients for lists and sorted sets. */
    public void add(byte[] key, Object value) {
        int found = dict.findOrFree(key);
        engine.track(this, key, found);
        dict.putAt(found, key, value, true, engine.accessTracker.fresh());
        signalIfWaitable(key, value);
    }

    /**
     * Adds a whole value a loader built (a key known to be absent), with its expiry or -1. While a
     * load runs, no account is kept per change (see {@link Engine#track}), so the value is counted
     * here, as it stands, for INFO's used_memory to grow with the load; the end of the load counts
     * every key again.
     */
    public void addLoaded(byte[] key, RValue value, long expireAtMillis) {
        add(key, value);
        if (expireAtMillis >= 0) {
            setExpire(key, expireAtMillis);
        }
        if (engine.loading) {
            usedBytes += Dict.bytesFor(key, value, true) + value.memoryUsage();
            if (expireAtMillis >= 0) {
                usedBytes += Dict.bytesFor(key, expireAtMillis, true);
            }
        }
    }

    /** Marks a key just added as ready when clients may block on its type (lists and sorted sets). */
    private void signalIfWaitable(byte[] key, Object value) {
        if (value instanceof RValue r && (r.type() == ValueType.LIST || r.type() == ValueType.ZSET)) {
            engine.signalKeyAsReady(this, key);
        }
    }

    /**
     * Sets a key to a value, adding or overwriting (Redis's {@code setKey}): removes the expiry
     * unless {@code keepTtl}, and signals the key as modified. Strings are given as {@code byte[]}
     * and encoded as Redis would ({@code int}, {@code embstr} or {@code raw}).
     */
    public void setKey(byte[] key, Object value, boolean keepTtl) {
        Object stored = value instanceof byte[] b ? encodeString(b) : value;
        boolean embed = !(value instanceof byte[] b2) || b2.length <= Dict.EMBSTR_MAX;
        if (stored instanceof RValue) {
            // A collection may still be filled in after it is stored: the settlement measures it.
            int found = dict.findOrFree(key);
            engine.track(this, key, found);
            dict.putAt(found, key, stored, embed, engine.accessTracker.fresh());
            if (found < 0) {
                signalIfWaitable(key, stored);
            }
            if (!keepTtl && expires.size() > 0) {
                expires.remove(key);
            }
        } else {
            // A string is immutable once stored, so its size is accounted here, in the same probe;
            // not while loading, which counts every key once at its end (Engine.setLoading).
            engine.beforeChange(this, key);
            int found = dict.findOrFree(key);
            boolean account = !engine.loading;
            long before = account ? sizeBeforeUnit(key, found) : 0;
            int slot = dict.putAt(found, key, stored, embed, engine.accessTracker.fresh());
            if (!keepTtl && expires.size() > 0) {
                expires.remove(key);
            }
            if (account) {
                usedBytes += bytesAt(slot, key) - before;
            }
        }
        engine.signalModifiedKey(this, key);
    }

    /**
     * The bytes of a key before the current execution unit changed it, for a write that keeps the
     * account itself: what {@link Engine#track} recorded if the unit tracked the key (which it then
     * stops tracking), else its size now at what {@link Dict#findOrFree} answered.
     */
    private long sizeBeforeUnit(byte[] key, int found) {
        long tracked = engine.untrack(this, key);
        if (tracked >= 0) {
            return tracked;
        }
        return found >= 0 ? bytesAt(found, key) : 0;
    }

    /**
     * Stores a string that a command built by changing another (APPEND, SETRANGE, SETBIT), which
     * Redis keeps in the {@code raw} encoding whatever its length. Adds the key when absent.
     */
    public void setRawString(byte[] key, byte[] value) {
        engine.beforeChange(this, key);
        int found = dict.findOrFree(key);
        long before = sizeBeforeUnit(key, found);
        int slot = found;
        if (found < 0) {
            slot = dict.putAt(found, key, value, false, engine.accessTracker.fresh());
        } else {
            dict.setValueAt(found, value, false);
        }
        usedBytes += bytesAt(slot, key) - before;
    }

    /**
     * Adds a string key while loading a snapshot, in one probe, encoding it as {@link #setKey} would,
     * and, outside a load, keeping the memory account directly (there is no command around it to
     * settle). Returns false, changing nothing, when the key already exists.
     *
     * @param expireAtMillis absolute expiry, or -1
     * @param metaWord       the access statistics word ({@link AccessTracker}), or -1 for a fresh one
     */
    public boolean loadString(byte[] key, byte[] value, long expireAtMillis, int metaWord) {
        Object stored = encodeString(value);
        int slot = dict.addIfAbsent(key, stored, value.length <= Dict.EMBSTR_MAX,
                metaWord < 0 ? engine.accessTracker.fresh() : metaWord);
        if (slot < 0) {
            return false;
        }
        // Counted from what is in hand, not by reading the slot back (the store's cache miss per
        // key), so that INFO's used_memory grows while a snapshot loads, as Redis's does; the
        // end of a load counts every key again (Engine.setLoading).
        usedBytes += Dict.bytesFor(key, stored, value.length <= Dict.EMBSTR_MAX);
        if (expireAtMillis >= 0) {
            expires.put(key, expireAtMillis, true, 0);
            usedBytes += Dict.bytesFor(key, expireAtMillis, true);
        }
        return true;
    }

    /**
     * Grows the tables once so that {@code keys} more keys, {@code expires} of them with an expiry,
     * fit without a resize (a loader's hint, from RESIZEDB). The hint comes from a file: the caller
     * bounds it by what the file could hold, and here it is also cut to {@link #reserveBound} of the
     * heap, so that however wrong it is the tables reserved take at most about a quarter of the heap.
     */
    public void reserve(long keys, long expires) {
        long bound = reserveBound(Runtime.getRuntime().maxMemory());
        if (keys > 0) {
            dict.reserve(dict.size() + Math.min(keys, bound));
        }
        if (expires > 0) {
            this.expires.reserve(this.expires.size() + Math.min(expires, bound));
        }
    }

    /**
     * The most keys {@link #reserve} makes room for on a heap of {@code maxHeapBytes}: a table slot
     * costs at most 12 bytes (reference, stored hash, metadata word) and a table holds up to 8/3
     * slots a key just after growing, so 32 bytes a key; a quarter of the heap at most.
     */
    static long reserveBound(long maxHeapBytes) {
        return maxHeapBytes / 128;
    }

    private static Object encodeString(byte[] value) {
        if (value.length <= 20 && value.length > 0 && Numbers.isLong(value)) {
            return Numbers.parseLong(value);
        }
        return value;
    }

    /** Deletes a key and its expiry; returns whether it existed (logically expired keys count as absent). */
    public boolean delete(byte[] key) {
        int slot = dict.find(key);
        if (slot < 0) {
            return false;
        }
        if (expires.size() > 0 && expireIfNeeded(key)) {
            return false;
        }
        engine.track(this, key, slot);
        dict.removeAt(slot);
        expires.remove(key);
        return true;
    }

    /** Deletes a key without checking its expiry (used by expiry and eviction themselves). */
    void deleteNow(byte[] key) {
        engine.track(this, key);
        dict.remove(key);
        expires.remove(key);
    }

    // ------------------------------------------------------------------ expiry

    /** A key's absolute expiry in Unix milliseconds, or -1 when it has none (or does not exist). */
    public long getExpire(byte[] key) {
        if (expires.size() == 0) {
            return -1;
        }
        Object when = expires.get(key);
        return when == null ? -1 : (Long) when;
    }

    /** Sets the absolute expiry of an existing key. */
    public void setExpire(byte[] key, long whenMillis) {
        engine.track(this, key);
        expires.put(key, whenMillis, true, 0);
    }

    /** Removes a key's expiry; returns whether it had one. */
    public boolean removeExpire(byte[] key) {
        if (expires.size() == 0) {
            return false;
        }
        engine.track(this, key);
        return expires.remove(key);
    }

    /** Whether the key's expiry has passed at the command's time (never while loading). */
    public boolean isExpired(byte[] key) {
        long when = getExpire(key);
        return when >= 0 && !engine.loading && when <= engine.now();
    }

    /**
     * Expires the key if its time has passed: deletes it, propagates {@code DEL}, notifies
     * {@code expired} and invalidates WATCH. Returns whether it was expired.
     */
    public boolean expireIfNeeded(byte[] key) {
        if (!isExpired(key)) {
            return false;
        }
        engine.expireKey(this, key);
        return true;
    }

    // ------------------------------------------------------------------ whole database

    /** Removes every key; returns how many there were. */
    public long clear() {
        long n = dict.size();
        dict = new Dict();
        expires = new Dict();
        usedBytes = 0;
        avgTtl = 0;
        return n;
    }

    /** Exchanges contents with another database (SWAPDB). */
    void swapWith(Db other) {
        Dict d = dict;
        dict = other.dict;
        other.dict = d;
        Dict e = expires;
        expires = other.expires;
        other.expires = e;
        long u = usedBytes;
        usedBytes = other.usedBytes;
        other.usedBytes = u;
        long t = avgTtl;
        avgTtl = other.avgTtl;
        other.avgTtl = t;
    }

    /** INFO keyspace's {@code avg_ttl} in milliseconds (see {@link #avgTtl}). */
    public long avgTtl() {
        return avgTtl;
    }

    /** Bytes of the key table's slot arrays (MEMORY STATS's {@code overhead.hashtable.main}). */
    public long keyTableBytes() {
        return dict.tableBytes();
    }

    /** Bytes of the key and expiry tables themselves (their slot arrays), INFO's hash-table overhead. */
    public long tableBytes() {
        return dict.tableBytes() + expires.tableBytes();
    }

    /**
     * Counts {@link #usedBytes} from the keys themselves: the sum of {@link #bytesOf} over every
     * key, in one walk of the tables (after loading, which keeps no account per change).
     */
    void recountMemory() {
        long bytes = 0;
        for (int i = 0, n = dict.capacity(); i < n; i++) {
            if (dict.occupied(i)) {
                bytes += dict.slotBytes(i);
                if (!dict.packedAt(i) && dict.valueAt(i) instanceof RValue r) {
                    bytes += r.memoryUsage();
                }
            }
        }
        for (int i = 0, n = expires.capacity(); i < n; i++) {
            if (expires.occupied(i)) {
                bytes += expires.slotBytes(i);
            }
        }
        usedBytes = bytes;
    }

    /** Estimated bytes of one key: its slot, its value and its expiry entry; 0 when absent. */
    long bytesOf(byte[] key) {
        int slot = dict.find(key);
        return slot < 0 ? 0 : bytesAt(slot, key);
    }

    /** {@link #bytesOf} for a key known to sit in {@code slot} of the main dictionary (0 when slot < 0). */
    long bytesAt(int slot, byte[] key) {
        if (slot < 0) {
            return 0;
        }
        long bytes = dict.slotBytes(slot);
        if (dict.unpackedValueAt(slot) instanceof RValue r) {
            bytes += r.memoryUsage();
        }
        if (expires.size() > 0) {
            int e = expires.find(key);
            if (e >= 0) {
                bytes += expires.slotBytes(e);
            }
        }
        return bytes;
    }

    /** Estimated bytes retained by this database, tables included. */
    public long memoryUsage() {
        return usedBytes + tableBytes();
    }

    /** {@code MEMORY USAGE}-style estimate for one key: its slot share, value and expiry. */
    public long memoryUsage(byte[] key) {
        long bytes = bytesOf(key);
        return bytes == 0 ? 0 : bytes + 8;
    }
}
