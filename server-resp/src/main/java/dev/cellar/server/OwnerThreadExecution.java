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
    private record Task(Connection connection, List<byte[][]> commands) {}

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
                Task task = first;
                int n = 0;
                do {
                    Connection c = task.connection();
                    if (task.commands() != null) {
                        c.pending.addAll(task.commands());
                    }
                    c.runPending();
                    touched.add(c);
                } while (++n < 1024 && (task = queue.poll()) != null);
                // The batch's writes reach the log (and, with appendfsync always, the disk) before
                // any of its replies leaves: an acknowledged write survives a crash.
                Execution.flushBatch(cellar);
                return null;
            });
            for (Connection c : touched) {
                c.scheduleFlush();
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
