package dev.cellar.persistence.hybrid;

import dev.cellar.conformance.PersistenceBackend;
import dev.cellar.conformance.PersistenceConformance;

/** The conformance kit against the {@code hybrid} provider with its default settings ({@code appendfsync everysec}). */
class HybridConformanceTest extends PersistenceConformance {
    @Override
    protected PersistenceBackend backend() {
        return AofBackends.backend("hybrid", false);
    }
}
