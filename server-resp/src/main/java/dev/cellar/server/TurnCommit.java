package dev.cellar.server;

import dev.cellar.core.CellarEngine;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One group commit per event-loop turn, for batches run on an event loop (both execution
 * strategies): a batch that {@linkplain #join joins} the turn leaves its {@link GroupCommit} batch
 * open when it releases the engine lock, so the connection's replies stay held; the loop's
 * end-of-turn task, queued by the turn's first batch, then takes the lock, commits (one
 * {@code flushBatch}: the AOF write, and with {@code appendfsync always} the fsync, for every
 * batch of the turn) and writes the replies, as Redis does in {@code beforeSleep}. Netty runs the
 * task after the turn's I/O events. If the engine lock is taken (the owner, the cron) the task
 * tries again shortly; until then the replies stay held, and a batch that ends meanwhile commits
 * and releases them with its own. See docs/architecture.md, "Group commit and write errors".
 */
final class TurnCommit {
    /** How soon a turn's end tries the engine lock again when it was taken. */
    private static final long RETRY_MICROS = 50;

    private final CellarEngine cellar;
    private final GroupCommit groupCommit;
    /** Each event loop's end-of-turn task; only its own loop uses it. */
    private final FastThreadLocal<TurnEnd> ends = new FastThreadLocal<>();

    TurnCommit(CellarEngine cellar, GroupCommit groupCommit) {
        this.cellar = cellar;
        this.groupCommit = groupCommit;
    }

    /**
     * Makes the batch about to run on {@code loop} (the calling thread, holding the engine lock)
     * part of this turn's commit: the caller then opens it ({@link GroupCommit#begin}) and does not
     * end it.
     */
    void join(EventLoop loop) {
        TurnEnd end = ends.get();
        if (end == null) {
            end = new TurnEnd(loop);
            ends.set(end);
        }
        end.request();
    }

    private final class TurnEnd implements Runnable {
        private final EventLoop loop;
        private final List<Connection> touched = new ArrayList<>();
        private boolean queued;

        TurnEnd(EventLoop loop) {
            this.loop = loop;
        }

        /** Makes sure the turn's end runs. */
        void request() {
            if (!queued) {
                queued = true;
                try {
                    loop.execute(this);
                } catch (RejectedExecutionException e) {
                    queued = false; // shutting down
                }
            }
        }

        @Override
        public void run() {
            boolean ended = cellar.withLockIfFree(() -> {
                if (groupCommit.open()) {
                    groupCommit.end(touched);
                }
                return true;
            }, false);
            if (!ended) {
                try {
                    loop.schedule(this, RETRY_MICROS, TimeUnit.MICROSECONDS);
                } catch (RejectedExecutionException e) {
                    queued = false;
                }
                return;
            }
            queued = false;
            GroupCommit.flushAll(touched);
            touched.clear();
        }
    }
}
