package dev.cellar.server;

import dev.cellar.api.Reply;
import dev.cellar.core.testing.RespClient;

/** INFO persistence as the tests read it, from Cellar and from redis-server alike. */
final class PersistenceInfo {
    private PersistenceInfo() {}

    /** One field of INFO persistence; fails the test when it is missing. */
    static String field(RespClient c, String name) throws Exception {
        String text = ((Reply.Bulk) c.call("INFO", "persistence")).text();
        for (String line : text.split("\r\n")) {
            if (line.startsWith(name + ":")) {
                return line.substring(name.length() + 1);
            }
        }
        throw new AssertionError("INFO persistence has no " + name + ": " + text);
    }

    /**
     * Waits (wall clock, a bound on the test) until no AOF rewrite runs or waits; returns
     * {@code aof_last_bgrewrite_status} ({@code ok} or {@code err}).
     */
    static String awaitRewrite(RespClient c) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (field(c, "aof_rewrite_in_progress").equals("0") && field(c, "aof_rewrite_scheduled").equals("0")) {
                return field(c, "aof_last_bgrewrite_status");
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the AOF rewrite did not finish within 30 s");
    }
}
