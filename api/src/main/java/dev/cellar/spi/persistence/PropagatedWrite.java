package dev.cellar.spi.persistence;

/**
 * One write in the engine's total order, in the deterministic form Redis propagates: relative
 * expiries already made absolute, random choices already made, expired keys as {@code DEL}.
 * Transactions arrive wrapped in {@code MULTI} ... {@code EXEC}.
 *
 * @param db   the database the command applies to
 * @param argv the command and its arguments; the arrays are not to be changed
 */
public record PropagatedWrite(int db, byte[][] argv) {}
