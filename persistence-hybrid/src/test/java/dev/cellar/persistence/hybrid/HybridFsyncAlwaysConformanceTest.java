package dev.cellar.persistence.hybrid;

import dev.cellar.conformance.PersistenceBackend;
import dev.cellar.conformance.PersistenceConformance;
import org.junit.jupiter.api.BeforeEach;

/**
 * The conformance kit against the {@code hybrid} provider with {@code appendfsync always}, which makes
 * every acknowledged write durable. Skipped, with the reason, while the engine does not accept the
 * setting's name.
 */
class HybridFsyncAlwaysConformanceTest extends PersistenceConformance {
    @Override
    protected PersistenceBackend backend() {
        return AofBackends.backend("hybrid", true);
    }

    @BeforeEach
    void requireTheSetting() {
        AofBackends.assumeEngineAcceptsAofSettings(backend());
    }
}
