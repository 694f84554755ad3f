package dev.cellar.persistence.hybrid;

import dev.cellar.conformance.PersistenceBackend;
import dev.cellar.conformance.PersistenceConformance;

/** The conformance kit against the {@code aof} provider with its default settings ({@code appendfsync everysec}). */
class AofConformanceTest extends PersistenceConformance {
    @Override
    protected PersistenceBackend backend() {
        return AofBackends.backend("aof", false);
    }
}
