package dev.cellar.server;

import dev.cellar.core.CellarEngine;
import java.util.List;

/**
 * Commands run on the connection's own event loop, under the engine lock taken once per read
 * batch: the replies of a whole pipeline are written and flushed once.
 */
final class EventLoopExecution implements Execution {
    private final CellarEngine cellar;

    EventLoopExecution(CellarEngine cellar) {
        this.cellar = cellar;
    }

    @Override
    public void submit(Connection c, List<byte[][]> commands) {
        c.pending.addAll(commands);
        run(c);
    }

    @Override
    public void resume(Connection c) {
        c.channel.eventLoop().execute(() -> run(c));
    }

    private void run(Connection c) {
        if (!c.pending.isEmpty()) {
            cellar.withLock(() -> {
                c.runPending();
                // Before the replies leave: an acknowledged write is in the log (fsynced with always).
                Execution.flushBatch(cellar);
                return null;
            });
        }
        c.flushNow();
    }
}
