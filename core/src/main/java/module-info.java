/**
 * The Cellar engine: keyspace, the five value types, the command table and its dispatcher,
 * expiry, eviction and memory accounting.
 */
module dev.cellar.core {
    requires transitive dev.cellar.api;
    requires org.slf4j;
    requires java.management;
    requires jdk.management;

    exports dev.cellar.core;
    // The server registers its own commands in the engine's table and drives sessions.
    exports dev.cellar.core.engine to dev.cellar.server, dev.cellar.benchmarks;
    exports dev.cellar.core.values to dev.cellar.server;

    uses dev.cellar.spi.persistence.PersistenceProvider;
    uses dev.cellar.spi.persistence.ValueCodec;
    uses dev.cellar.spi.expiry.ExpiryStrategy;
    uses dev.cellar.spi.eviction.EvictionPolicy;

    provides dev.cellar.spi.EngineFactory with dev.cellar.core.CoreEngineFactory;
    provides dev.cellar.spi.expiry.ExpiryStrategy with dev.cellar.core.policy.ActiveExpireCycle;
    provides dev.cellar.spi.eviction.EvictionPolicy with
            dev.cellar.core.policy.NoEviction,
            dev.cellar.core.policy.AllKeysLru,
            dev.cellar.core.policy.VolatileLru,
            dev.cellar.core.policy.AllKeysLfu,
            dev.cellar.core.policy.VolatileLfu,
            dev.cellar.core.policy.AllKeysRandom,
            dev.cellar.core.policy.VolatileRandom,
            dev.cellar.core.policy.VolatileTtl;
}
