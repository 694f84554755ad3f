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

    /**
     * Loads the persisted data set into {@code sink}; called once, before any client command,
     * unless the engine is started with {@link #begin()} instead.
     */
    void load(LoadSink sink) throws IOException;

    /**
     * Starts a log on the live data set instead of loading ({@code CONFIG SET appendonly yes}):
     * writes a first base from a point-in-time view ({@link PersistenceContext#snapshot()}) and
     * keeps the writes that arrive from that instant on, through {@link #write}, in a new
     * incremental file. Called on the command thread, instead of {@link #load}. Files of an
     * earlier log in the directory no longer describe the data set: they become history and are
     * replaced, as a rewrite replaces them.
     *
     * <p>The stage completes when the base and the manifest naming it are in place, or
     * exceptionally with the reason it failed. It fails at once (already completed) when the log
     * cannot start at all, e.g. its directory cannot be written; a base that fails later is retried
     * by {@link #cron()}, with the writes since the retry's view kept as before. Engines that keep
     * no log refuse with {@link UnsupportedOperationException}.
     */
    default CompletionStage<Void> begin() {
        return CompletableFuture.failedFuture(
                new UnsupportedOperationException("this persistence engine keeps no log"));
    }

    /**
     * DEBUG LOADAOF's first step, on a running log: writes out what is still buffered, checks that
     * the files the manifest names describe the whole data set now, and returns what reads them
     * again, as at start-up, into a sink (the host empties the data set in between, so a refusal
     * here leaves it as it was). The log stays open and goes on where it was. Fails with
     * {@link IllegalStateException} when the files cannot describe the data set now (a first base
     * still being written, a rewrite running), with {@link IOException} when the buffered writes
     * cannot be written; engines that keep no log refuse with {@link UnsupportedOperationException}.
     */
    default Reload reload() throws IOException {
        throw new UnsupportedOperationException("this persistence engine keeps no log to load");
    }

    /** Reads persisted data into a sink ({@link #reload()}'s second step). */
    @FunctionalInterface
    interface Reload {
        /** Loads into {@code sink}. */
        void into(LoadSink sink) throws IOException;
    }

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
     * untouched. Files replace each other in the order their snapshots started: FLUSHALL asks for a
     * foreground snapshot of the empty data set while a background one may still be writing (after
     * closing its view, as Redis kills its child), and the older one must not put its data back if
     * it ends later. Engines that take no snapshots refuse with {@link UnsupportedOperationException}.
     */
    default CompletionStage<Void> snapshot(boolean background) {
        return CompletableFuture.failedFuture(
                new UnsupportedOperationException("this persistence engine takes no snapshots"));
    }

    /**
     * Rewrites the log from a point-in-time view (BGREWRITEAOF); log engines only. Fails with
     * {@link IllegalStateException} when a rewrite is already running. On an engine neither
     * loaded nor begun (the log is off, {@code appendonly no}) it writes a base alone and a
     * manifest naming only it, as Redis 7 does; the files of an earlier log become history. The
     * host closes such an engine once the stage completes.
     */
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

    /**
     * A setting changed at run time (CONFIG SET, or a failed CONFIG SET putting it back), Redis's
     * name and its new value, already checked against the setting's type and bounds; called on the
     * command thread. An engine that reads settings while it runs ({@code appendfsync},
     * {@code auto-aof-rewrite-percentage}, ...) takes the new value from here on; it is told of
     * every setting, so it ignores the ones it does not read. Settings it reads only when created
     * reach it when the host next creates one ({@code CONFIG SET appendonly yes}).
     */
    default void settingChanged(String name, String value) {}

    /** Time-driven work (automatic rewrites, retries), called {@code hz} times a second on the command thread. */
    default void cron() {}

    /** The fields this engine reports in INFO's persistence section, Redis's names. */
    Map<String, String> info();

    /**
     * Flushes, fsyncs and releases files; called at shutdown, and for a log at
     * {@code CONFIG SET appendonly no}. A running rewrite (or first base) is abandoned: its
     * temporary files go, the files the manifest names stay. Must not wait for work that needs
     * the engine lock: the caller may hold it.
     */
    @Override
    void close() throws IOException;
}
