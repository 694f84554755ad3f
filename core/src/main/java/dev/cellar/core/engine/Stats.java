package dev.cellar.core.engine;

import java.util.Map;
import java.util.TreeMap;

/** Counters for INFO stats and errorstats, Redis's names in the comments. */
public final class Stats {
    /** {@code keyspace_hits}. */
    public long keyspaceHits;
    /** {@code keyspace_misses}. */
    public long keyspaceMisses;
    /** {@code expired_keys}. */
    public long expiredKeys;
    /** {@code evicted_keys}. */
    public long evictedKeys;
    /** {@code total_commands_processed}. */
    public long commandsProcessed;
    /** {@code total_error_replies}. */
    public long errorReplies;
    /** {@code errorstat_<CODE>:count=N}. */
    public final Map<String, Long> errors = new TreeMap<>();
    /** {@code expired_stale_perc} helper: keys sampled by the last active cycle. */
    public long expireCycleSampled;
    /** {@code expire_cycle_cpu_milliseconds}. */
    public long expireCycleMicros;

    void countError(String code) {
        errorReplies++;
        errors.merge(code, 1L, Long::sum);
    }

    /** Counts an error reply given outside {@code call()} (protocol errors, rejections). */
    public void recordError(String code) {
        countError(code);
    }

    /** {@code CONFIG RESETSTAT}. */
    public void reset() {
        keyspaceHits = 0;
        keyspaceMisses = 0;
        expiredKeys = 0;
        evictedKeys = 0;
        commandsProcessed = 0;
        errorReplies = 0;
        errors.clear();
        expireCycleSampled = 0;
        expireCycleMicros = 0;
    }
}
