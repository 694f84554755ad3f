package dev.cellar.conformance;

import java.util.EnumSet;
import java.util.Set;

/**
 * What a persistence backend promises beyond the baseline that every backend keeps (every value of
 * every type survives {@code close()} and reopening, expiries to the millisecond, all databases).
 *
 * <p>A test marked {@link Require @Require(present = X)} checks the promise; a test marked
 * {@code @Require(absent = X)} checks that a backend without it refuses cleanly. One capability may
 * imply others (Guava testlib's feature model): declaring it declares them too.
 */
public enum Capability {

    /**
     * {@code SAVE} and {@code BGSAVE} write a snapshot of one point in the order of writes: every
     * write acknowledged before the command was issued is in it, nothing issued after it finished
     * is, and multi-key commands are never split. Without it, both commands are refused with an
     * error reply and change nothing.
     */
    POINT_IN_TIME_SNAPSHOT,

    /**
     * A snapshot replaces its file atomically (temporary file, fsync, rename, fsync of the
     * directory), so a save that fails leaves the previous file byte for byte.
     */
    ATOMIC_REPLACEMENT(POINT_IN_TIME_SNAPSHOT),

    /**
     * Every acknowledged write is on disk when the command returns ({@code appendfsync always} or a
     * write-through store): a copy of the files taken at that moment, as a crash would leave them,
     * holds it.
     */
    DURABLE_ON_EVERY_WRITE,

    /**
     * A data file cut short (a crash in the middle of an append) loads up to its last whole
     * record, like Redis's {@code aof-load-truncated yes}; a torn record is dropped, never half
     * applied. Without it, a truncated file is refused (see {@link #DETECTS_CORRUPTION}).
     */
    SURVIVES_TRUNCATED_TAIL,

    /**
     * A flipped bit in a data file is refused at open with a message that names the file and the
     * offset or the checksum that failed, and the file is left as it was. Without
     * {@link #SURVIVES_TRUNCATED_TAIL}, a truncated file is refused the same way.
     */
    DETECTS_CORRUPTION,

    /**
     * The backend does its file I/O through the kit's {@link FileFaults} seam, so the kit can make
     * writes fail as a full disk or an I/O error would; it must then report the failure and keep
     * every acknowledged write and the previous files.
     */
    FAULT_INJECTION;

    private final Set<Capability> implied;

    Capability(Capability... implied) {
        this.implied = Set.of(implied); // EnumSet cannot be built while the constants are being constructed
    }

    /** The capabilities this one implies directly. */
    public Set<Capability> implied() {
        return implied;
    }

    /** {@code declared} with everything it implies, transitively. */
    public static Set<Capability> closure(Set<Capability> declared) {
        EnumSet<Capability> all = EnumSet.noneOf(Capability.class);
        java.util.ArrayDeque<Capability> todo = new java.util.ArrayDeque<>(declared);
        while (!todo.isEmpty()) {
            Capability c = todo.pop();
            if (all.add(c)) {
                todo.addAll(c.implied);
            }
        }
        return all;
    }
}
