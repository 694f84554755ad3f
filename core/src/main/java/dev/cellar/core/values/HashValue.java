package dev.cellar.core.values;

import dev.cellar.core.engine.Dict;
import dev.cellar.core.engine.MemoryLayout;
import dev.cellar.spi.persistence.DataValue;
import java.util.function.BiConsumer;
import java.util.random.RandomGenerator;

/**
 * A hash value (Redis's {@code OBJ_HASH}), in one of Redis's two encodings.
 *
 * <p>Encodings: a new hash is a {@code listpack}: fields and values alternate in one compact
 * {@code byte[]} (see {@link Listpack}) in insertion order, so small hashes iterate in exactly the
 * order Redis's do. It becomes a {@code hashtable} (a {@link Dict} from field to value, which packs
 * small pairs into one array each) as soon as it holds more than {@code hash-max-listpack-entries}
 * fields or a field or value longer than {@code hash-max-listpack-value} bytes; like Redis, it
 * never converts back. The thresholds are the caller's to pass, read from the settings of the
 * moment, as {@code t_hash.c} reads {@code server.hash_max_listpack_*}.
 *
 * <p>Memory: {@link #memoryUsage()} is kept O(1): a listpack's cost is its array; a hashtable's is
 * its table arrays (known to the dict) plus a running sum of the bytes of its entries, updated on
 * every change.
 *
 * <p>The value is its own persistence {@linkplain #view() view}: a live, read-only window on the
 * fields.
 */
public final class HashValue implements RValue, DataValue.HashData {
    /** This object: header, two references, an int and a long. */
    private static final long SELF = MemoryLayout.object(4 + 4 + 4 + 8);
    /** A {@link Dict} object: header, two array references, two ints. */
    private static final long DICT_SELF = MemoryLayout.object(4 + 4 + 4 + 4);

    /** The listpack; null once converted. */
    private byte[] lp;
    /** The hashtable; null while a listpack. */
    private Dict dict;
    /** The number of fields while a listpack. */
    private int lpSize;
    /** Bytes retained by the hashtable's entries (slots' contents, not the slot arrays). */
    private long entryBytes;

    private HashValue(byte[] lp, Dict dict) {
        this.lp = lp;
        this.dict = dict;
    }

    /** A new, empty hash in the listpack encoding. */
    public static HashValue create() {
        return new HashValue(Listpack.EMPTY, null);
    }

    /**
     * A listpack hash of the fields and values a loaded hash visits (no field twice, at most
     * {@code hash-max-listpack-entries} of them: the caller's to know), written at once in their
     * order, as HSET would leave them; null when a field or value is longer than
     * {@code maxListpackValue} (then HSET would have made a hashtable).
     */
    public static HashValue listpackOf(DataValue.HashData fieldsAndValues, long maxListpackValue) {
        // two visits, one to size the array and one to fill it: no list of the elements between
        long[] size = {0, 0, 0}; // bytes, fields, longest element
        fieldsAndValues.forEach((field, value) -> {
            size[0] += Listpack.entrySize(field.length) + Listpack.entrySize(value.length);
            size[1]++;
            size[2] = Math.max(size[2], Math.max(field.length, value.length));
        });
        if (size[2] > maxListpackValue || size[0] > Integer.MAX_VALUE - 16) {
            return null;
        }
        byte[] lp = new byte[(int) size[0]];
        int[] at = {0};
        fieldsAndValues.forEach((field, value) -> {
            at[0] = Listpack.write(lp, at[0], field);
            at[0] = Listpack.write(lp, at[0], value);
        });
        if (at[0] != lp.length) {
            throw new IllegalStateException("the hash visited other fields the second time");
        }
        HashValue h = new HashValue(lp, null);
        h.lpSize = (int) size[1];
        return h;
    }

    // ------------------------------------------------------------------ RValue

    @Override
    public ValueType type() {
        return ValueType.HASH;
    }

    @Override
    public String encoding() {
        return lp != null ? "listpack" : "hashtable";
    }

    /** Whether the hash is in the compact listpack encoding. */
    public boolean isListpack() {
        return lp != null;
    }

    @Override
    public long size() {
        return lp != null ? lpSize : dict.size();
    }

    @Override
    public long memoryUsage() {
        if (lp != null) {
            return SELF + MemoryLayout.array(lp.length, 1);
        }
        return SELF + DICT_SELF + dict.tableBytes() + entryBytes;
    }

    @Override
    public HashValue copy() {
        if (lp != null) {
            HashValue c = new HashValue(lp.length == 0 ? Listpack.EMPTY : lp.clone(), null);
            c.lpSize = lpSize;
            return c;
        }
        HashValue c = new HashValue(null, new Dict());
        forEach((f, v) -> c.putInDict(f.clone(), v.clone()));
        return c;
    }

    @Override
    public DataValue view() {
        return this;
    }

    // ------------------------------------------------------------------ reads

    /** The offset of {@code field}'s entry in the listpack, or -1. */
    private int lpFind(byte[] field) {
        byte[] a = lp;
        int off = 0;
        while (off < a.length) {
            if (Listpack.entryEquals(a, off, field)) {
                return off;
            }
            off = Listpack.next(a, Listpack.next(a, off));
        }
        return -1;
    }

    /** The value of {@code field} (a copy, or an array the caller must not change), or null. */
    public byte[] get(byte[] field) {
        if (lp != null) {
            int off = lpFind(field);
            return off < 0 ? null : Listpack.get(lp, Listpack.next(lp, off));
        }
        int slot = dict.find(field);
        return slot < 0 ? null : (byte[]) dict.valueAt(slot);
    }

    /** The length of {@code field}'s value, or -1 when absent. */
    public int valueLength(byte[] field) {
        if (lp != null) {
            int off = lpFind(field);
            return off < 0 ? -1 : Listpack.length(lp, Listpack.next(lp, off));
        }
        int slot = dict.find(field);
        return slot < 0 ? -1 : ((byte[]) dict.valueAt(slot)).length;
    }

    /** Whether {@code field} is present. */
    public boolean contains(byte[] field) {
        return lp != null ? lpFind(field) >= 0 : dict.find(field) >= 0;
    }

    /** Visits every field and value: insertion order for a listpack, table order otherwise. */
    @Override
    public void forEach(BiConsumer<byte[], byte[]> fieldAndValue) {
        if (lp != null) {
            byte[] a = lp;
            int off = 0;
            while (off < a.length) {
                int valueOff = Listpack.next(a, off);
                fieldAndValue.accept(Listpack.get(a, off), Listpack.get(a, valueOff));
                off = Listpack.next(a, valueOff);
            }
            return;
        }
        Dict d = dict;
        d.forEachSlot(slot -> fieldAndValue.accept(d.keyAt(slot), (byte[]) d.valueAt(slot)));
    }

    /**
     * One step of an incremental scan (Redis's {@code dictScan} cursor) of a hashtable: visits the
     * fields of the bucket the cursor names and returns the next cursor, 0 when complete. A
     * listpack is visited whole in one step, returning 0, as Redis does.
     */
    public long scan(long cursor, BiConsumer<byte[], byte[]> fieldAndValue) {
        if (lp != null) {
            forEach(fieldAndValue);
            return 0;
        }
        Dict d = dict;
        return d.scan(cursor, slot -> fieldAndValue.accept(d.keyAt(slot), (byte[]) d.valueAt(slot)));
    }

    /** A random field and its value as {@code {field, value}}; the hash must not be empty. */
    public byte[][] randomEntry(RandomGenerator random) {
        if (lp != null) {
            int skip = random.nextInt(lpSize);
            byte[] a = lp;
            int off = 0;
            for (int i = 0; i < skip; i++) {
                off = Listpack.next(a, Listpack.next(a, off));
            }
            return new byte[][] {Listpack.get(a, off), Listpack.get(a, Listpack.next(a, off))};
        }
        int slot = dict.randomSlot(random);
        return new byte[][] {dict.keyAt(slot), (byte[]) dict.valueAt(slot)};
    }

    // ------------------------------------------------------------------ writes

    /**
     * Sets {@code field} to {@code value} (Redis's {@code hashTypeSet}), converting to a hashtable
     * first when either is longer than {@code maxListpackValue}, and after when the hash then holds
     * more than {@code maxListpackEntries} fields. An existing field keeps its place in a listpack.
     *
     * @return whether the field was added (false when it was updated)
     */
    public boolean set(byte[] field, byte[] value, long maxListpackEntries, long maxListpackValue) {
        if (lp != null && (field.length > maxListpackValue || value.length > maxListpackValue)) {
            convertToHashtable();
        }
        if (lp != null) {
            int off = lpFind(field);
            if (off >= 0) {
                lp = Listpack.replace(lp, Listpack.next(lp, off), value);
                return false;
            }
            lp = Listpack.append(lp, field, value);
            lpSize++;
            if (lpSize > maxListpackEntries) {
                convertToHashtable();
            }
            return true;
        }
        int slot = dict.find(field);
        if (slot >= 0) {
            entryBytes -= dict.slotBytes(slot);
            dict.setValueAt(slot, value, true);
            entryBytes += dict.slotBytes(slot);
            return false;
        }
        putInDict(field, value);
        return true;
    }

    private void putInDict(byte[] field, byte[] value) {
        int slot = dict.put(field, value, true, 0);
        entryBytes += dict.slotBytes(slot);
    }

    /** Removes {@code field}; returns whether it was present. */
    public boolean remove(byte[] field) {
        if (lp != null) {
            int off = lpFind(field);
            if (off < 0) {
                return false;
            }
            lp = Listpack.cut(lp, off, Listpack.next(lp, Listpack.next(lp, off)));
            lpSize--;
            return true;
        }
        int slot = dict.find(field);
        if (slot < 0) {
            return false;
        }
        entryBytes -= dict.slotBytes(slot);
        dict.removeAt(slot);
        return true;
    }

    /** Converts a listpack to the hashtable encoding (Redis's {@code hashTypeConvert}); no-op otherwise. */
    public void convertToHashtable() {
        if (lp == null) {
            return;
        }
        byte[] old = lp;
        dict = new Dict();
        lp = null;
        lpSize = 0;
        entryBytes = 0;
        int off = 0;
        while (off < old.length) {
            int valueOff = Listpack.next(old, off);
            putInDict(Listpack.get(old, off), Listpack.get(old, valueOff));
            off = Listpack.next(old, valueOff);
        }
    }
}
