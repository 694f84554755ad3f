package dev.cellar.spi.persistence;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A running persistence strategy. The engine calls it from the thread that executes commands,
 * in the one total order of writes; implementations hand slow work to threads of their own.
 */
public interface PersistenceEngine extends AutoCloseable {

    /** Loads the persisted data set into {@code sink}; called once, before any client command. */
    void load(LoadSink sink) throws IOException;

    /** Receives one propagated write, in order. */
    void write(PropagatedWrite write);

    /**
     * Called after a batch of writes (one turn of the server's loop); a log that syncs on every
     * write syncs here, once for the batch (group commit).
     */
    default void flushBatch() throws IOException {}

    /** Whether this engine writes point-in-time snapshots on request (SAVE, BGSAVE, save rules). */
    default boolean takesSnapshots() {
        return false;
    }

    /**
     * Writes a point-in-time snapshot of the data set: SAVE when {@code background} is false (the
     * caller waits for the stage), BGSAVE when true. The stage completes when the new file is in
     * place, or exceptionally with the reason it failed; a failed snapshot leaves the previous file
     * untouched. Engines that take no snapshots refuse with {@link UnsupportedOperationException}.
     */
    default CompletionStage<Void> snapshot(boolean background) {
        return CompletableFuture.failedFuture(
                new UnsupportedOperationException("this persistence engine takes no snapshots"));
    }

    /** Rewrites the log from a point-in-time view (BGREWRITEAOF); log engines only. */
    default CompletionStage<Void> rewrite() {
        return CompletableFuture.failedFuture(
                new UnsupportedOperationException("this persistence engine keeps no log to rewrite"));
    }

    /**
     * Why writes must be refused now, as the full error reply ({@code MISCONF ...}), or null. The
     * engine asks before every write command.
     */
    default String refuseWritesReason() {
        return null;
    }

    /** Time-driven work (automatic rewrites, retries), called {@code hz} times a second on the command thread. */
    default void cron() {}

    /** The fields this engine reports in INFO's persistence section, Redis's names. */
    Map<String, String> info();

    /** Flushes and releases files; called at shutdown. */
    @Override
    void close() throws IOException;
}
