package dev.cellar.server;

import dev.cellar.core.CellarEngine;
import dev.cellar.core.engine.Engine;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's side of group commit ({@code appendfsync always}): every reply produced while a
 * batch of commands runs, by any client, is held until the batch's writes are durable.
 *
 * <p>A batch opens when an {@link Execution} takes the engine lock to run commands and ends with
 * {@link CellarEngine#flushBatch()}. Meanwhile each {@link Connection} gathers its output in a
 * held buffer, noting which replies belong to commands that changed the data set (the engine's
 * dirty counter moved while they ran, see {@link #commandWrote()}); a blocked client served by
 * another client's write counts as written by that write. When the flush succeeds the held output
 * is released as it is; when it fails, every such reply is replaced by
 * {@code -MISCONF Errors writing to the AOF file: <reason>} and everything else (replies of reads,
 * Pub/Sub messages) is released unchanged, so connections stay open and usable. See
 * docs/architecture.md, "Group commit and write errors".
 *
 * <p>Concurrency: all state is guarded by the engine lock (the batch runs under it, and every
 * reply is produced under it).
 */
final class GroupCommit {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);

    private final CellarEngine cellar;
    private final Engine engine;
    private final List<Connection> holding = new ArrayList<>();
    private boolean open;
    private long dirtyAtCommandStart;

    GroupCommit(CellarEngine cellar) {
        this.cellar = cellar;
        this.engine = cellar.engine();
    }

    /**
     * Starts a batch, or joins the one still open: from now on replies are held. An open batch may
     * outlive the lock hold that opened it (the owner-thread strategy's inline batches stay open
     * until their event loop's turn ends); whoever ends it commits and releases everything held.
     * The caller holds the engine lock.
     */
    void begin() {
        open = true;
    }

    /** Whether a batch is running (replies must be held). */
    boolean open() {
        return open;
    }

    /** Registers a connection that has output (or work) in the running batch; once per batch. */
    void hold(Connection c) {
        holding.add(c);
    }

    /** Marks the start of one client command, for {@link #commandWrote()}. */
    void commandStarts() {
        dirtyAtCommandStart = engine.dirty();
    }

    /**
     * Whether the running command (with the blocked clients it served) changed the data set.
     * Lazily expired keys do not count: their DEL changes nothing a client could observe after a
     * restart, so a read stays a read.
     */
    boolean commandWrote() {
        return engine.dirty() != dirtyAtCommandStart;
    }

    /**
     * Ends the batch: makes its writes durable, then releases every held output, with the replies
     * of writes turned into the MISCONF error if that failed. Adds the connections to flush to
     * {@code flush}. The caller holds the engine lock.
     */
    void end(List<Connection> flush) {
        String error = cellar.flushBatchOrError();
        open = false;
        if (error != null && LOG.isDebugEnabled()) {
            LOG.debug("A batch's writes could not be persisted; their replies are {}", error);
        }
        for (Connection c : holding) {
            try {
                c.release(error);
            } catch (RuntimeException e) {
                // One connection's failure must not keep the others' replies held for good.
                LOG.warn("Releasing the replies of client id={} failed", c.id(), e);
            }
        }
        flush.addAll(holding);
        holding.clear();
    }

    /**
     * Sends what a batch released (after {@link #end} filled {@code touched}, outside the engine
     * lock): the connections of the calling event loop at once, every other one (late replies,
     * Pub/Sub, or all of them when called from the owner thread) on its own event loop.
     */
    static void flushAll(List<Connection> touched) {
        for (Connection t : touched) {
            if (t.channel.eventLoop().inEventLoop()) {
                t.flushNow();
            } else {
                t.scheduleFlush();
            }
        }
    }
}
