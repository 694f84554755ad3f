package dev.cellar.core.values;

import dev.cellar.core.engine.Dict;
import dev.cellar.core.engine.MemoryLayout;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * The {@code hashtable} encoding of a set: an open-addressing table of member arrays.
 *
 * <p>Memory: a slot is one reference to the member's own {@code byte[]} (held as given, never
 * changed), so a member costs its array plus a reference per slot; there are no entry objects, no
 * values and no cached hashes. The table keeps between 1/8 and 3/4 of its slots occupied.
 *
 * <p>Probing is linear with backward-shift deletion, so every member is reachable from its home
 * slot without crossing an empty one. {@link #scan} walks home slots in Redis's reverse-binary
 * cursor order and returns, for each, the members whose home it is; with power-of-two sizes this
 * keeps {@code SSCAN}'s guarantee (a member present for the whole scan is returned at least once)
 * across growing and shrinking.
 *
 * <p>Random picks sample slots uniformly until an occupied one turns up, so every member is
 * equally likely (the load factor bounds the expected number of tries by 8).
 */
final class SetHashtable {
    private static final int MIN_CAPACITY = 4;
    /** Header, slot reference, two ints and a long, aligned. */
    static final long SELF_BYTES = MemoryLayout.object(4 + 4 + 4 + 8);

    private byte[][] slots;
    private int mask;
    private int size;
    /** Bytes retained by the member arrays. */
    private long memberBytes;

    /** A table sized for {@code expected} members. */
    SetHashtable(int expected) {
        int capacity = MIN_CAPACITY;
        while (capacity / 4 * 3 < expected) {
            capacity <<= 1;
        }
        slots = new byte[capacity][];
        mask = capacity - 1;
    }

    int size() {
        return size;
    }

    /** The number of slots. */
    int capacity() {
        return slots.length;
    }

    /** Bytes this table retains, itself included. O(1). */
    long memoryUsage() {
        return SELF_BYTES + MemoryLayout.array(slots.length, MemoryLayout.REF) + memberBytes;
    }

    // ------------------------------------------------------------------ hashing

    /** The keyspace's hash function ({@link Dict#hash}). */
    static int hash(byte[] a) {
        return Dict.hash(a, 0, a.length);
    }

    // ------------------------------------------------------------------ lookups and updates

    /** The slot holding {@code member}, or -1. */
    int find(byte[] member) {
        byte[][] s = slots;
        int i = hash(member) & mask;
        byte[] m;
        while ((m = s[i]) != null) {
            if (Arrays.equals(m, member)) {
                return i;
            }
            i = (i + 1) & mask;
        }
        return -1;
    }

    boolean contains(byte[] member) {
        return find(member) >= 0;
    }

    /** The member in an occupied slot (the stored array itself: callers must not change it). */
    byte[] memberAt(int slot) {
        return slots[slot];
    }

    /** Adds a member, keeping the array given; returns whether it was absent. */
    boolean add(byte[] member) {
        if (find(member) >= 0) {
            return false;
        }
        if (size + 1 > slots.length / 4 * 3) {
            resize(slots.length << 1);
        }
        insert(member);
        size++;
        memberBytes += MemoryLayout.array(member.length, 1);
        return true;
    }

    private void insert(byte[] member) {
        int i = hash(member) & mask;
        while (slots[i] != null) {
            i = (i + 1) & mask;
        }
        slots[i] = member;
    }

    /** Removes a member; returns whether it was present. */
    boolean remove(byte[] member) {
        int i = find(member);
        if (i < 0) {
            return false;
        }
        removeAt(i);
        return true;
    }

    /** Removes the member in an occupied slot, shifting later members of its cluster back. */
    void removeAt(int slot) {
        byte[][] s = slots;
        memberBytes -= MemoryLayout.array(s[slot].length, 1);
        int hole = slot;
        int j = slot;
        while (true) {
            j = (j + 1) & mask;
            byte[] next = s[j];
            if (next == null) {
                break;
            }
            int home = hash(next) & mask;
            boolean homeInRange = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
            if (!homeInRange) {
                s[hole] = next;
                hole = j;
            }
        }
        s[hole] = null;
        size--;
        if (slots.length > MIN_CAPACITY && size < slots.length / 8) {
            int capacity = MIN_CAPACITY;
            while (capacity / 4 * 3 < size * 2) {
                capacity <<= 1;
            }
            resize(capacity);
        }
    }

    private void resize(int capacity) {
        byte[][] old = slots;
        slots = new byte[capacity][];
        mask = capacity - 1;
        for (byte[] m : old) {
            if (m != null) {
                insert(m);
            }
        }
    }

    // ------------------------------------------------------------------ iteration

    /** Visits every member in slot order; the visitor must not change the table. */
    void forEach(Consumer<byte[]> visitor) {
        for (byte[] m : slots) {
            if (m != null) {
                visitor.accept(m);
            }
        }
    }

    /** A uniformly chosen occupied slot; the table must not be empty. */
    int randomSlot(RandomGenerator random) {
        byte[][] s = slots;
        while (true) {
            int i = random.nextInt(s.length);
            if (s[i] != null) {
                return i;
            }
        }
    }

    /**
     * Visits the members whose home is the slot {@code cursor} names and returns the next cursor
     * (0 when the scan is complete), as Redis's {@code dictScan} on a single table.
     */
    long scan(long cursor, Consumer<byte[]> visitor) {
        if (size == 0) {
            return 0;
        }
        int m = mask;
        int bucket = (int) (cursor & m);
        int i = bucket;
        byte[] member;
        while ((member = slots[i]) != null) {
            if ((hash(member) & m) == bucket) {
                visitor.accept(member);
            }
            i = (i + 1) & m;
        }
        return Dict.nextScanCursor(cursor, m);
    }

    /** A deep copy. */
    SetHashtable copy() {
        SetHashtable c = new SetHashtable(0);
        c.slots = new byte[slots.length][];
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] != null) {
                c.slots[i] = slots[i].clone();
            }
        }
        c.mask = mask;
        c.size = size;
        c.memberBytes = memberBytes;
        return c;
    }
}
