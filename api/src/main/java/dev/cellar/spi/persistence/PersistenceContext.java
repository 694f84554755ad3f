package dev.cellar.spi.persistence;

import dev.cellar.api.CellarClock;
import dev.cellar.api.CellarConfig;
import java.nio.file.Path;

/** What the engine gives a persistence provider when it creates its engine. */
public interface PersistenceContext {

    /** The store's configuration (Redis setting names). */
    CellarConfig config();

    /** The directory for data files ({@code dir}). */
    Path dir();

    /** The number of databases. */
    int databases();

    /** The clock. */
    CellarClock clock();

    /**
     * Takes a consistent point-in-time view of the keyspace; close it when done. One view is open
     * at a time per store: while another (a BGSAVE, a rewrite) is open this throws
     * {@link IllegalStateException}, and the caller tries again later.
     */
    SnapshotHandle snapshot();

    /**
     * Whether a point-in-time view is open now (a BGSAVE or a rewrite writing: what Redis calls an
     * active child), for {@code no-appendfsync-on-rewrite}. Read from any thread; it may lag a
     * moment behind the command thread. False by default.
     */
    default boolean snapshotInProgress() {
        return false;
    }

    /** A point-in-time view that must be closed to release what it holds. */
    interface SnapshotHandle extends AutoCloseable {
        /** The view. */
        SnapshotView view();

        /**
         * Bytes the view had to copy so far because writes reached keys before the walk did: the
         * snapshot's extra memory, what Redis reports as the copy-on-write size of its child. Final
         * once the walk has ended, and still readable after {@link #close()}. 0 when the view
         * copies nothing (or does not count).
         */
        default long copiedBytes() {
            return 0;
        }

        @Override
        void close();
    }
}
