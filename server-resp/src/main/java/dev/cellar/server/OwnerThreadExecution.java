package dev.cellar.server;

import dev.cellar.core.CellarEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * Commands run on one owner thread: event loops decode and enqueue whole read batches; the owner
 * takes the engine lock once for everything queued, runs it, and asks each connection's event loop
 * to flush. This is Redis's shape (one thread executes, I/O elsewhere) at the cost of two thread
 * hand-offs per batch.
 */
final class OwnerThreadExecution implements Execution {
    private record Task(Connection connection, List<byte[][]> commands, Runnable cleanup) {
        Task(Connection connection, List<byte[][]> commands) {
            this(connection, commands, null);
        }
    }

    private final CellarEngine cellar;
    private final ConcurrentLinkedQueue<Task> queue = new ConcurrentLinkedQueue<>();
    private final Thread owner;
    private volatile boolean parked;
    private volatile boolean running = true;

    OwnerThreadExecution(CellarEngine cellar) {
        this.cellar = cellar;
        this.owner = new Thread(this::loop, "cellar-owner");
        owner.setDaemon(true);
        owner.start();
    }

    @Override
    public void submit(Connection c, List<byte[][]> commands) {
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
            String failure = cellar.withLock(() -> {
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
                    touched.add(c);
                } while (++n < 1024 && (task = queue.poll()) != null);
                // Group commit: the batch's writes reach persistence (and, with appendfsync always,
                // the disk) before any of its replies leave.
                return Connection.flushPersistence(cellar);
            });
            for (Connection c : touched) {
                if (failure == null) {
                    c.scheduleFlush();
                } else {
                    c.abortUnacknowledged(failure);
                }
            }
            touched.clear();
        }
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
