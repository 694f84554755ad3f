package dev.cellar.conformance.selftest;

import dev.cellar.conformance.Capability;
import dev.cellar.conformance.PersistenceBackend;
import dev.cellar.conformance.PersistenceConformance;
import java.util.List;

/**
 * Runs the whole kit against {@link LogProvider}, the kit's own write-through log.
 *
 * <p>Groups waiting for command families (reported as skipped, naming the command, until the
 * families are merged): lists (RPUSH, LRANGE, LINDEX, LLEN), sorted sets (ZADD, ZRANGE, ZSCORE),
 * strings (MSET; used by BGSAVE), keys (PEXPIREAT). Snapshot tests need SAVE/BGSAVE and INFO
 * persistence in the engine; this provider has no snapshots, so it runs their refusal twin.
 */
class LogProviderConformanceTest extends PersistenceConformance {

    @Override
    protected PersistenceBackend backend() {
        return backend("kit-log");
    }

    static PersistenceBackend backend(String providerName) {
        return PersistenceBackend.named(providerName)
                .capabilities(Capability.DURABLE_ON_EVERY_WRITE, Capability.SURVIVES_TRUNCATED_TAIL,
                        Capability.DETECTS_CORRUPTION, Capability.FAULT_INJECTION)
                .dataFiles(dir -> List.of(dir.resolve(LogProvider.FILE)))
                .faultInjection((dir, faults) -> LogProvider.FAULTS.put(dir.toAbsolutePath().normalize(), faults))
                .build();
    }
}
