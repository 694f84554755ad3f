package dev.cellar.core.engine;

import dev.cellar.spi.eviction.EvictionContext;
import dev.cellar.spi.eviction.EvictionPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Keeps the data set under {@code maxmemory} (Redis's {@code performEvictions}): before a command
 * runs, while estimated memory is over the limit, asks the configured {@link EvictionPolicy} for a
 * victim and deletes it, propagating DEL.
 */
public final class Eviction implements EvictionContext {
    private final Engine engine;
    private final Map<String, EvictionPolicy> policies;
    private EvictionPolicy policy;

    /** Creates the machinery with the discovered policies, by name. */
    public Eviction(Engine engine, Map<String, EvictionPolicy> policies) {
        this.engine = engine;
        this.policies = policies;
        engine.setEviction(this);
        choose(engine.settings.get("maxmemory-policy"));
        engine.settings.param("maxmemory-policy").onChange(this::choose);
    }

    private void choose(String name) {
        EvictionPolicy p = policies.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no eviction policy named '" + name + "' was found; available: "
                    + policies.keySet());
        }
        policy = p;
        engine.accessTracker.setTracking(p.tracking());
    }

    /** The policy in force. */
    public EvictionPolicy policy() {
        return policy;
    }

    /**
     * Evicts until memory is under the limit; returns false when it stays over (nothing more can be
     * evicted), in which case DENYOOM commands are refused. Each eviction is propagated as its own
     * {@code DEL}, not wrapped in MULTI/EXEC, as Redis writes them.
     */
    public boolean performEvictions() {
        boolean under = evict();
        // Redis's update_metrics: time over the limit is counted while nothing more can be evicted
        Stats stats = engine.stats;
        if (!under) {
            if (stats.evictionExceededSince == 0) {
                stats.evictionExceededSince = System.nanoTime();
            }
        } else if (stats.evictionExceededSince != 0) {
            stats.evictionExceededMicros += (System.nanoTime() - stats.evictionExceededSince) / 1000;
            stats.evictionExceededSince = 0;
        }
        return under;
    }

    private boolean evict() {
        long max = engine.settings.getLong("maxmemory");
        if (max <= 0 || engine.usedMemory() <= max) {
            return true;
        }
        int misses = 0;
        while (engine.usedMemory() > max) {
            Candidate victim = policy.selectVictim(this);
            if (victim == null) {
                return false;
            }
            Db db = engine.db(victim.db());
            if (db.dict.find(victim.key()) < 0) {
                // A policy outside this module may offer a key that is gone; give up if it keeps doing so.
                if (++misses > 1000) {
                    return false;
                }
                continue;
            }
            engine.evictKey(db, victim.key());
            engine.afterExecutionUnit();
        }
        return true;
    }

    /**
     * Whether a key is still a candidate: present in the database and, for {@code expiring}, still
     * with an expiry. Pooled policies check their pool entries with it, since a key sampled by an
     * earlier call may have been deleted or persisted since.
     */
    public boolean contains(int db, byte[] key, boolean expiring) {
        Db d = engine.db(db);
        return (expiring ? d.expires : d.dict).find(key) >= 0;
    }

    @Override
    public int databases() {
        return engine.databases();
    }

    @Override
    public long size(int db, boolean expiring) {
        Db d = engine.db(db);
        return expiring ? d.expires.size() : d.dict.size();
    }

    @Override
    public int samples() {
        return engine.settings.getInt("maxmemory-samples");
    }

    @Override
    public RandomGenerator random() {
        return engine.random;
    }

    @Override
    public List<Candidate> sample(int db, int count, boolean expiring) {
        Db d = engine.db(db);
        Dict from = expiring ? d.expires : d.dict;
        int n = Math.min(count, from.size());
        List<Candidate> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int slot = from.randomSlot(engine.random);
            byte[] key = from.keyAt(slot);
            int mainSlot = expiring ? d.dict.find(key) : slot;
            if (mainSlot < 0) {
                continue;
            }
            int meta = d.dict.metaAt(mainSlot);
            AccessTracker t = engine.accessTracker;
            out.add(new Candidate(db, key, t.lfu() ? -1 : t.idleMillis(meta), t.lfu() ? t.frequency(meta) : -1,
                    d.getExpire(key)));
        }
        return out;
    }
}
