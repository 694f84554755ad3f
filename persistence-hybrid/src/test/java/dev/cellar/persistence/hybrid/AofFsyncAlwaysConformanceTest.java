package dev.cellar.persistence.hybrid;

import dev.cellar.conformance.PersistenceBackend;
import dev.cellar.conformance.PersistenceConformance;
import org.junit.jupiter.api.BeforeEach;

/**
 * The conformance kit against the {@code aof} provider with {@code appendfsync always}, which makes
 * every acknowledged write durable. Skipped, with the reason, while the engine does not accept the
 * setting's name.
 */
class AofFsyncAlwaysConformanceTest extends PersistenceConformance {
    @Override
    protected PersistenceBackend backend() {
        return AofBackends.backend("aof", true);
    }

    @BeforeEach
    void requireTheSetting() {
        AofBackends.assumeEngineAcceptsAofSettings(backend());
    }
}
