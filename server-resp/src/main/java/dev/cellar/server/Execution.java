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
     * Ends a batch: the persistence log writes (and with {@code appendfsync always} fsyncs) what the
     * batch wrote; called under the engine lock before any reply of the batch is sent. When that
     * fails with {@code always} the batch's writes are not durable, and their replies must not
     * leave: the server exits as Redis does ("Can't recover from AOF write error when the AOF fsync
     * policy is 'always'. Exiting...").
     */
    static void flushBatch(dev.cellar.core.CellarEngine cellar) {
        try {
            cellar.flushBatch();
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(Execution.class).error(
                    "Can't recover from AOF write error when the AOF fsync policy is 'always'. Exiting... ({})",
                    e.getMessage());
            Runtime.getRuntime().halt(1);
        }
    }

    /** Stops the strategy's own threads, if any, after running what was submitted. */
    default void shutdown() {}
}
