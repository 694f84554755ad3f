package dev.cellar.core.engine;

import dev.cellar.spi.eviction.EvictionPolicy;

/**
 * Per-key access statistics in Redis's 24-bit layout, kept in the metadata word of each keyspace
 * slot: the LRU clock (seconds, wrapping at 2^24) or, under an LFU policy, 16 bits of minutes of
 * last decrement and an 8-bit logarithmic counter (Redis's {@code evict.c}).
 */
public final class AccessTracker {
    static final int LRU_CLOCK_MAX = (1 << 24) - 1;
    static final int LFU_INIT_VAL = 5;
    private final Engine engine;
    private boolean lfu;

    AccessTracker(Engine engine) {
        this.engine = engine;
    }

    /** Switches between LRU and LFU tracking (when {@code maxmemory-policy} changes). */
    public void setTracking(EvictionPolicy.Tracking tracking) {
        this.lfu = tracking == EvictionPolicy.Tracking.LFU;
    }

    /** Whether LFU counters are kept. */
    public boolean lfu() {
        return lfu;
    }

    /** The execution unit's time when a command runs (read once per command, as Redis caches its LRU clock). */
    private long nowMillis() {
        return engine.now();
    }

    /** The LRU clock now. */
    public int lruClock() {
        return (int) ((nowMillis() / 1000) & LRU_CLOCK_MAX);
    }

    private int minutes() {
        return (int) ((nowMillis() / 60000) & 0xffff);
    }

    /** The metadata word of a key just created. */
    int fresh() {
        return lfu ? (minutes() << 8) | LFU_INIT_VAL : lruClock();
    }

    /** The metadata word after an access. */
    int touch(int meta) {
        if (!lfu) {
            return lruClock();
        }
        int counter = decrement(meta);
        counter = logIncrement(counter);
        return (minutes() << 8) | counter;
    }

    /** Milliseconds since the last access of a key with this metadata (LRU). */
    public long idleMillis(int meta) {
        int clock = lruClock();
        int lru = meta & LRU_CLOCK_MAX;
        long seconds = clock >= lru ? clock - lru : (LRU_CLOCK_MAX - lru) + clock;
        return seconds * 1000;
    }

    /** The LFU counter after applying decay, without changing it. */
    public int frequency(int meta) {
        return decrement(meta);
    }

    private int decrement(int meta) {
        int last = (meta >>> 8) & 0xffff;
        int counter = meta & 0xff;
        int now = minutes();
        int elapsed = now >= last ? now - last : 65535 - last + now;
        long decayTime = engine.settings.getLong("lfu-decay-time");
        long periods = decayTime > 0 ? elapsed / decayTime : 0;
        return periods > counter ? 0 : (int) (counter - periods);
    }

    private int logIncrement(int counter) {
        if (counter == 255) {
            return 255;
        }
        double r = engine.random.nextDouble();
        double base = counter - LFU_INIT_VAL;
        if (base < 0) {
            base = 0;
        }
        double p = 1.0 / (base * engine.settings.getLong("lfu-log-factor") + 1);
        return r < p ? counter + 1 : counter;
    }
}
