package dev.cellar.server;

import dev.cellar.core.CellarEngine;
import java.util.ArrayList;
import java.util.List;

/**
 * Commands run on the connection's own event loop, under the engine lock taken once per read
 * batch: the replies of a whole pipeline are written and flushed once.
 */
final class EventLoopExecution implements Execution {
    private final CellarEngine cellar;
    private final GroupCommit groupCommit;
    private final TurnCommit turns;

    EventLoopExecution(CellarEngine cellar, GroupCommit groupCommit) {
        this.cellar = cellar;
        this.groupCommit = groupCommit;
        this.turns = new TurnCommit(cellar, groupCommit);
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

    @Override
    public void afterPending(Connection c, Runnable cleanup) {
        // The clean-up runs the client's last commands: a batch like any other.
        batch(c, cleanup);
    }

    private void run(Connection c) {
        if (!c.pending.isEmpty()) {
            batch(c, c::runPending);
        } else {
            c.flushNow();
        }
    }

    /**
     * Runs {@code work} as one batch for {@code c}; on its event loop the batch joins the turn's
     * group commit ({@link TurnCommit}), elsewhere it is committed at once. Either way the replies
     * leave once the batch is durable: {@code c}'s on its loop, other clients' (late replies,
     * Pub/Sub) on theirs.
     */
    private void batch(Connection c, Runnable work) {
        io.netty.channel.EventLoop loop = c.channel.eventLoop();
        if (loop.inEventLoop()) {
            cellar.withLock(() -> {
                turns.join(loop);
                groupCommit.begin();
                work.run();
                return null;
            });
            return;
        }
        List<Connection> touched = new ArrayList<>(2);
        cellar.withLock(() -> {
            groupCommit.begin();
            try {
                work.run();
            } finally {
                groupCommit.end(touched);
            }
            return null;
        });
        GroupCommit.flushAll(touched);
    }
}
