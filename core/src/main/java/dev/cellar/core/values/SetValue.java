package dev.cellar.core.values;

import dev.cellar.core.engine.MemoryLayout;
import dev.cellar.spi.persistence.DataValue;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * A set value (Redis's {@code t_set.c} object), in one of Redis 7.0's two encodings:
 *
 * <ul>
 *   <li>{@code intset}: while every member is a canonical decimal 64-bit integer and there are at
 *       most {@code set-max-intset-entries} of them; one sorted, width-adaptive {@code byte[]}
 *       (see {@link IntSet}), so members come out in ascending numeric order;
 *   <li>{@code hashtable}: otherwise; an open-addressing table of member arrays (see
 *       {@link SetHashtable}).
 * </ul>
 *
 * <p>A set converts from {@code intset} to {@code hashtable} when a non-integer member arrives or
 * the count passes the limit, and never back, except where Redis builds a new set for a key (the
 * {@code *STORE} commands, and {@code SPOP} with a count close to the size, which
 * {@link #retainOnly} serves).
 *
 * <p>Positions: random picks and scans speak of a member's <em>position</em>, its index in the
 * intset or its slot in the table; {@link #positionLimit} bounds them and {@link #memberAt} reads
 * one.
 */
public final class SetValue implements RValue, DataValue.SetData {
    /** Header and two references, aligned. */
    private static final long SELF_BYTES = MemoryLayout.object(2 * MemoryLayout.REF);

    /** The intset blob while {@code intset}-encoded, else null. */
    private byte[] ints;
    /** The table while {@code hashtable}-encoded, else null. */
    private SetHashtable table;

    /** An empty set in the {@code intset} encoding, as Redis creates a set (setTypeCreate) before its first add. */
    public SetValue() {
        ints = IntSet.empty();
    }

    private SetValue(byte[] ints, SetHashtable table) {
        this.ints = ints;
        this.table = table;
    }

    /**
     * An {@code intset} of {@code values}, strictly ascending and at most
     * {@code set-max-intset-entries} of them (the caller's to know), written at once.
     */
    public static SetValue ofIntegers(long[] values) {
        return new SetValue(IntSet.ofSorted(values), null);
    }

    /** An empty set already in the {@code hashtable} encoding, sized for {@code expected} members. */
    public static SetValue createHashtable(int expected) {
        return new SetValue(null, new SetHashtable(expected));
    }

    // ------------------------------------------------------------------ RValue

    @Override
    public ValueType type() {
        return ValueType.SET;
    }

    @Override
    public String encoding() {
        return ints != null ? "intset" : "hashtable";
    }

    /** Whether the set is {@code intset}-encoded. */
    public boolean isIntset() {
        return ints != null;
    }

    @Override
    public long size() {
        return ints != null ? IntSet.size(ints) : table.size();
    }

    @Override
    public long memoryUsage() {
        if (ints != null) {
            // The shared empty blob is not this set's to count.
            return SELF_BYTES + (ints.length == 1 ? 0 : MemoryLayout.array(ints.length, 1));
        }
        return SELF_BYTES + table.memoryUsage();
    }

    @Override
    public SetValue copy() {
        return ints != null ? new SetValue(ints.length == 1 ? ints : ints.clone(), null)
                : new SetValue(null, table.copy());
    }

    @Override
    public DataValue view() {
        return this;
    }

    /** Visits every member: ascending for {@code intset}, in table order for {@code hashtable}. */
    @Override
    public void forEach(Consumer<byte[]> member) {
        if (ints != null) {
            int n = IntSet.size(ints);
            for (int i = 0; i < n; i++) {
                member.accept(decimal(IntSet.get(ints, i)));
            }
        } else {
            table.forEach(member);
        }
    }

    // ------------------------------------------------------------------ membership

    /** Whether {@code member} is in the set. */
    public boolean contains(byte[] member) {
        if (ints != null) {
            return IntSet.isInteger(member) && IntSet.contains(ints, IntSet.valueOf(member));
        }
        return table.contains(member);
    }

    /**
     * Adds a member (Redis's {@code setTypeAdd}); converts to {@code hashtable} when the member is
     * not an integer or the count would pass {@code maxIntsetEntries}. The array is kept as given
     * and must not be changed afterwards. Returns whether the member was absent.
     */
    public boolean add(byte[] member, long maxIntsetEntries) {
        if (ints != null) {
            if (IntSet.isInteger(member)) {
                byte[] grown = IntSet.add(ints, IntSet.valueOf(member));
                if (grown == ints) {
                    return false;
                }
                ints = grown;
                if (IntSet.size(ints) > maxIntsetEntries) {
                    convertToHashtable(0);
                }
                return true;
            }
            convertToHashtable(1);
        }
        return table.add(member);
    }

    /** Removes a member; returns whether it was present. */
    public boolean remove(byte[] member) {
        if (ints != null) {
            if (!IntSet.isInteger(member)) {
                return false;
            }
            int at = IntSet.search(ints, IntSet.valueOf(member));
            if (at < 0) {
                return false;
            }
            ints = IntSet.removeAt(ints, at);
            return true;
        }
        return table.remove(member);
    }

    private void convertToHashtable(int extra) {
        int n = IntSet.size(ints);
        SetHashtable t = new SetHashtable(n + extra);
        for (int i = 0; i < n; i++) {
            t.add(decimal(IntSet.get(ints, i)));
        }
        table = t;
        ints = null;
    }

    // ------------------------------------------------------------------ positions and random picks

    /** Positions are in {@code [0, positionLimit())}; for a table some are empty. */
    public int positionLimit() {
        return ints != null ? IntSet.size(ints) : table.capacity();
    }

    /** Whether a position holds a member (every position below the limit does in an intset). */
    public boolean occupied(int position) {
        return ints != null || table.memberAt(position) != null;
    }

    /** A uniformly chosen member's position; the set must not be empty. */
    public int randomPosition(RandomGenerator random) {
        return ints != null ? random.nextInt(IntSet.size(ints)) : table.randomSlot(random);
    }

    /** The member at an occupied position (for a table, the stored array: do not change it). */
    public byte[] memberAt(int position) {
        return ints != null ? decimal(IntSet.get(ints, position)) : table.memberAt(position);
    }

    /** A uniformly chosen member; the set must not be empty. */
    public byte[] randomMember(RandomGenerator random) {
        return memberAt(randomPosition(random));
    }

    /** Removes and returns a uniformly chosen member; the set must not be empty. */
    public byte[] popRandom(RandomGenerator random) {
        int at = randomPosition(random);
        byte[] member = memberAt(at);
        if (ints != null) {
            ints = IntSet.removeAt(ints, at);
        } else {
            table.removeAt(at);
        }
        return member;
    }

    /**
     * Replaces the contents with {@code kept}, as Redis does when {@code SPOP} keeps only a few
     * members: the new contents are a freshly built set, so a table of integers may become an
     * {@code intset} again.
     */
    public void retainOnly(Iterable<byte[]> kept, long maxIntsetEntries) {
        SetValue fresh = new SetValue();
        for (byte[] m : kept) {
            fresh.add(m, maxIntsetEntries);
        }
        this.ints = fresh.ints;
        this.table = fresh.table;
    }

    // ------------------------------------------------------------------ scanning

    /**
     * One step of {@code SSCAN}: visits members and returns the next cursor (0 at the end). An
     * {@code intset} is returned whole in one step, whatever the cursor, as Redis does; a table
     * visits home slots in reverse-binary cursor order until {@code count} members were visited or
     * {@code count * 10} slots were looked at.
     */
    public long scan(long cursor, long count, Consumer<byte[]> visitor) {
        if (ints != null) {
            forEach(visitor);
            return 0;
        }
        long[] visited = {0};
        Consumer<byte[]> counting = m -> {
            visited[0]++;
            visitor.accept(m);
        };
        long maxIterations = count > Long.MAX_VALUE / 10 ? Long.MAX_VALUE : count * 10;
        do {
            cursor = table.scan(cursor, counting);
        } while (cursor != 0 && maxIterations-- > 0 && visited[0] < count);
        return cursor;
    }

    private static byte[] decimal(long v) {
        return Long.toString(v).getBytes(StandardCharsets.ISO_8859_1);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("SetValue[").append(encoding()).append(':');
        forEach(m -> sb.append(' ').append(new String(m, StandardCharsets.UTF_8)));
        return sb.append(']').toString();
    }
}
