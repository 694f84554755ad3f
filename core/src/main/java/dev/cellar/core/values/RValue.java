package dev.cellar.core.values;

import dev.cellar.spi.persistence.DataValue;

/**
 * A collection value held in the keyspace: a list, hash, set or sorted set. Strings are not
 * {@code RValue}s; they are held as {@code byte[]} (or {@link Long} for the {@code int} encoding)
 * so that the keyspace can pack them (see {@code Dict}).
 *
 * <p>Each implementation switches between a compact encoding for small values and a general one
 * for large values, at Redis's thresholds, and keeps a running estimate of the bytes it retains so
 * that {@link #memoryUsage()} is O(1).
 */
public interface RValue {

    /** The type, as {@code TYPE} names it. */
    ValueType type();

    /** The encoding name {@code OBJECT ENCODING} reports. */
    String encoding();

    /** The number of elements (fields, members). */
    long size();

    /** An estimate of the heap bytes this value retains, including itself. O(1). */
    long memoryUsage();

    /** A deep copy, for {@code COPY}. */
    RValue copy();

    /** The value as persistence engines see it (a view, not a copy). */
    DataValue view();
}
