package dev.cellar.server;

import dev.cellar.core.CellarEngine;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * Commands run on one owner thread: event loops decode and enqueue whole read batches; the owner
 * takes the engine lock once for everything queued, runs it, and asks each connection's event loop
 * to flush. This is Redis's shape (one thread executes, I/O elsewhere) at the cost of two thread
 * hand-offs per batch. When the engine is idle (its lock free, nothing queued for the owner), the
 * event loop runs its batch itself and skips both hand-offs ({@link #runInline}); under load,
 * batches queue up for the owner, which drains many per lock acquisition. Inline batches of one
 * event-loop turn share one group commit ({@link TurnCommit}), as Redis writes and fsyncs the AOF
 * once per event-loop iteration.
 */
final class OwnerThreadExecution implements Execution {
    private record Task(Connection connection, List<byte[][]> commands, Runnable cleanup) {
        Task(Connection connection, List<byte[][]> commands) {
            this(connection, commands, null);
        }
    }

    private final CellarEngine cellar;
    private final GroupCommit groupCommit;
    private final ConcurrentLinkedQueue<Task> queue = new ConcurrentLinkedQueue<>();
    private final Thread owner;
    private volatile boolean parked;
    /**
     * Whether event loops run a batch themselves when the engine is idle (system property
     * {@code cellar.owner.inline}, default true, read when the server starts); see {@link #runInline}.
     */
    private final boolean inline = !"false".equals(System.getProperty("cellar.owner.inline"));
    private volatile boolean running = true;
    private final TurnCommit turns;

    OwnerThreadExecution(CellarEngine cellar, GroupCommit groupCommit) {
        this.cellar = cellar;
        this.groupCommit = groupCommit;
        this.turns = new TurnCommit(cellar, groupCommit);
        this.owner = new Thread(this::loop, "cellar-owner");
        owner.setDaemon(true);
        owner.start();
    }

    @Override
    public void submit(Connection c, List<byte[][]> commands) {
        if (commands != null && inlineAllowed(c) && runInline(c, () -> {
            c.pending.addAll(commands);
            c.runPending();
        })) {
            return;
        }
        c.ownerTasks.incrementAndGet();
        queue.offer(new Task(c, commands));
        if (parked) {
            LockSupport.unpark(owner);
        }
    }

    @Override
    public void resume(Connection c) {
        submit(c, null);
    }

    @Override
    public void afterPending(Connection c, Runnable cleanup) {
        if (!running) {
            cleanup.run();
            return;
        }
        if (inlineAllowed(c) && runInline(c, cleanup)) { // as a batch, when the engine is idle
            return;
        }
        queue.offer(new Task(c, null, cleanup));
        if (parked) {
            LockSupport.unpark(owner);
        }
    }

    private void loop() {
        List<Connection> touched = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            Task t = queue.poll();
            if (t == null) {
                parked = true;
                if (queue.isEmpty() && running) {
                    LockSupport.parkNanos(100_000_000L);
                }
                parked = false;
                continue;
            }
            Task first = t;
            cellar.withLock(() -> {
                groupCommit.begin();
                try {
                    Task task = first;
                    int n = 0;
                    do {
                        Connection c = task.connection();
                        if (task.cleanup() != null) {
                            task.cleanup().run();
                            continue;
                        }
                        if (task.commands() != null) {
                            c.pending.addAll(task.commands());
                        }
                        c.runPending();
                        c.ownerTasks.decrementAndGet();
                    } while (++n < 1024 && (task = queue.poll()) != null);
                } finally {
                    // Group commit: the batch's writes reach persistence (and, with appendfsync
                    // always, the disk) before any of its replies leave, late replies included.
                    groupCommit.end(touched);
                }
                return null;
            });
            GroupCommit.flushAll(touched);
            touched.clear();
        }
    }

    /**
     * Whether a batch of {@code c} may run on the event loop calling this ({@link #runInline}):
     * inline execution is on, it is {@code c}'s own loop, and the owner has nothing queued (neither
     * at all nor for this connection, so the connection's batches keep their order). At pipeline
     * depth 1 that is the common case, and it saves both hand-offs (event loop to owner, owner
     * back to the event loop to flush).
     */
    private boolean inlineAllowed(Connection c) {
        return inline && c.ownerTasks.get() == 0 && queue.isEmpty() && c.channel.eventLoop().inEventLoop();
    }

    /**
     * Runs {@code work} (a read batch, or a disconnected client's clean-up) as a batch of this
     * event loop's turn if the engine lock is free ({@link #inlineAllowed} checked by the caller);
     * returns false, having done nothing, when the lock is taken. The batch joins the turn's group
     * commit ({@link TurnCommit}). A client that connects, sends a command and hangs up so costs no
     * hand-off to the owner at all (each used to wake the owner once, for its clean-up).
     */
    private boolean runInline(Connection c, Runnable work) {
        EventLoop loop = c.channel.eventLoop();
        return cellar.withLockIfFree(() -> {
            // The batch stays open after the lock is released: the rest of this loop turn's inline
            // batches join it, and the turn's end commits them all at once (or any batch that ends
            // first, the owner's included, commits them with its own).
            turns.join(loop);
            groupCommit.begin();
            work.run();
            return true;
        }, false);
    }

    @Override
    public void shutdown() {
        running = false;
        LockSupport.unpark(owner);
        try {
            owner.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
