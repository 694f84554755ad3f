package dev.cellar.persistence.rdb;

import dev.cellar.spi.persistence.PersistenceContext;
import dev.cellar.spi.persistence.PersistenceEngine;
import dev.cellar.spi.persistence.PersistenceProvider;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Redis-compatible RDB snapshots as a persistence strategy ({@code cellar-persistence rdb}): the
 * data set is loaded from {@code dir/dbfilename} at start-up and written there by SAVE, BGSAVE and
 * the {@code save} rules; writes between snapshots are not logged.
 */
public final class RdbPersistenceProvider implements PersistenceProvider {

    /**
     * Interim fault-injection seam (see docs/conformance.md, "Fault injection"): file operations
     * for the store whose {@code dir} is the key (absolute, normalized) go through the value.
     */
    public static final Map<Path, RdbFiles> FILES = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "rdb";
    }

    @Override
    public PersistenceEngine create(PersistenceContext context) {
        RdbFiles files = FILES.getOrDefault(context.dir().toAbsolutePath().normalize(), RdbFiles.DEFAULT);
        return new RdbPersistenceEngine(context, files);
    }
}
