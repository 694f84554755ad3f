package dev.cellar.server;

import java.util.List;

/**
 * Where commands run. Both strategies keep one total order of commands (design invariant 1); they
 * differ in which thread runs them. See docs/architecture.md, "Thread model".
 */
interface Execution {
    /** Runs a connection's newly decoded commands (one read's worth, in order). */
    void submit(Connection c, List<byte[][]> commands);

    /** Resumes a connection whose held commands may run now (it was unblocked or unpaused). */
    void resume(Connection c);

    /**
     * Runs a disconnected client's clean-up after every batch it submitted before: commands read
     * before the end of the stream still run, as in Redis. Inline where batches run inline.
     */
    default void afterPending(Connection c, Runnable cleanup) {
        cleanup.run();
    }

    /** Stops the strategy's own threads, if any, after running what was submitted. */
    default void shutdown() {}
}
