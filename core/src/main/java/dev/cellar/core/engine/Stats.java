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
    /** Keys sampled by active expiry cycles (the running total {@code expired_stale_perc} is taken from). */
    public long expireCycleSampled;
    /** {@code expire_cycle_cpu_milliseconds}, in microseconds. */
    public long expireCycleMicros;
    /**
     * {@code expired_stale_perc}: the share of sampled keys that active expiry found expired, a
     * moving average over its cycles (each cycle weighs 5%, as in Redis's {@code activeExpireCycle}).
     */
    public double expiredStalePerc;
    /** {@code expired_time_cap_reached_count}: active expiry cycles that ran out of their time. */
    public long expireTimeCapReached;
    /**
     * {@code total_forks}: point-in-time views opened (BGSAVE, AOF rewrite), Cellar's counterpart of
     * the fork Redis makes for each.
     */
    public long totalForks;
    /** {@code latest_fork_usec}: how long the command thread took to open the latest view. */
    public long latestForkMicros;
    /** {@code total_eviction_exceeded_time}, in microseconds: time spent over maxmemory with nothing left to evict. */
    public long evictionExceededMicros;
    /** When the current stretch over maxmemory began ({@link System#nanoTime}), or 0 when not over. */
    public long evictionExceededSince;

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
        expiredStalePerc = 0;
        expireTimeCapReached = 0;
        totalForks = 0;
        latestForkMicros = 0;
        evictionExceededMicros = 0;
        if (evictionExceededSince != 0) {
            evictionExceededSince = System.nanoTime();
        }
    }

    /** {@code total_eviction_exceeded_time} in milliseconds, the current stretch included. */
    public long evictionExceededMillis() {
        return (evictionExceededMicros + currentEvictionExceededMicros()) / 1000;
    }

    /** {@code current_eviction_exceeded_time} in microseconds: 0 unless memory is over the limit now. */
    public long currentEvictionExceededMicros() {
        return evictionExceededSince == 0 ? 0 : (System.nanoTime() - evictionExceededSince) / 1000;
    }
}
