package dev.cellar.spi.eviction;

/**
 * How keys are chosen for eviction when {@code maxmemory} is reached. Discovered with
 * {@link java.util.ServiceLoader}; {@code maxmemory-policy} chooses by {@link #name()}.
 */
public interface EvictionPolicy {

    /** The policy's name as {@code maxmemory-policy} spells it ({@code allkeys-lru}, ...). */
    String name();

    /** Whether the engine must keep per-key access times (LRU) or frequencies (LFU) for this policy. */
    default Tracking tracking() {
        return Tracking.LRU;
    }

    /**
     * Chooses the next key to evict, or returns {@code null} when nothing can be evicted (for
     * {@code noeviction}, or a volatile policy with no key that expires).
     */
    EvictionContext.Candidate selectVictim(EvictionContext context);

    /** The per-key statistic a policy needs. */
    enum Tracking {
        /** Last access time ({@code OBJECT IDLETIME}). */
        LRU,
        /** Logarithmic access frequency with decay ({@code OBJECT FREQ}). */
        LFU
    }
}
