package dev.cellar.spi.persistence;

import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.ObjDoubleConsumer;

/**
 * A value as persistence engines see it, independent of how the engine holds it in memory.
 * Collections are visited, not copied, so a snapshot does not double a large value's footprint.
 *
 * <p>{@link #encoding()} is the name {@code OBJECT ENCODING} reports ({@code int}, {@code embstr},
 * {@code raw}, {@code listpack}, {@code quicklist}, {@code intset}, {@code hashtable},
 * {@code skiplist}); a format may use it to pick a compact on-disk encoding.
 */
public sealed interface DataValue {

    /** The in-memory encoding name. */
    String encoding();

    /** A string value. */
    non-sealed interface StringData extends DataValue {
        /** The bytes of the string (a fresh or shared copy; do not change it). */
        byte[] bytes();
    }

    /** A list, visited head to tail. */
    non-sealed interface ListData extends DataValue {
        /** The number of elements. */
        long size();

        /** Visits every element, head to tail. */
        void forEach(Consumer<byte[]> element);

        /**
         * The list as listpacks in Redis's format (a quicklist's nodes: the 6-byte header, the
         * entries, the terminator), head first, each checked and holding at least one entry, when
         * the value is held that way (an RDB reader's quicklist); null otherwise (the default). An
         * engine whose nodes use the same entry encoding can take the arrays over as they are.
         */
        default java.util.List<byte[]> listpacks() {
            return null;
        }
    }

    /** A hash. */
    non-sealed interface HashData extends DataValue {
        /** The number of fields. */
        long size();

        /** Visits every field and its value. */
        void forEach(BiConsumer<byte[], byte[]> fieldAndValue);

        /**
         * Whether every field is known to occur once (a reader that checked it says so, and the
         * value is then built without looking for repeats); by default a repeated field's last
         * value wins, as with HSET.
         */
        default boolean distinct() {
            return false;
        }
    }

    /** A set. */
    non-sealed interface SetData extends DataValue {
        /** The number of members. */
        long size();

        /** Visits every member. */
        void forEach(Consumer<byte[]> member);

        /**
         * Whether every member is known to occur once (a reader that checked it says so); by
         * default repeats are allowed and count once, as with SADD.
         */
        default boolean distinct() {
            return false;
        }

        /**
         * The members as 64-bit integers in strictly ascending order, when the value is known to hold
         * only the canonical decimal forms of distinct integers (a reader of an intset knows it), so
         * the engine can build its intset at once; null otherwise (the default).
         */
        default long[] integers() {
            return null;
        }
    }

    /** A sorted set, visited in ascending order of score, then member. */
    non-sealed interface ZSetData extends DataValue {
        /** The number of members. */
        long size();

        /** Visits every member with its score, in order. */
        void forEach(ObjDoubleConsumer<byte[]> memberAndScore);

        /**
         * Whether every member is known to occur once (a reader that checked it says so, and the
         * value is then built without looking for repeats); by default a repeated member's last
         * score wins, as with ZADD.
         */
        default boolean distinct() {
            return false;
        }
    }
}
