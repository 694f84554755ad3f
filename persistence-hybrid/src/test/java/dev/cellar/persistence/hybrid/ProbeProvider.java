package dev.cellar.persistence.hybrid;

import dev.cellar.spi.persistence.PersistenceContext;
import dev.cellar.spi.persistence.PersistenceEngine;
import dev.cellar.spi.persistence.PersistenceProvider;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The hybrid provider under another name ({@code hybrid-probe}) that remembers the engine it made
 * for each directory, so a test can ask for a rewrite (BGREWRITEAOF) before the engine has the
 * command. Registered in the test resources' {@code META-INF/services}.
 */
public final class ProbeProvider implements PersistenceProvider {
    static final String NAME = "hybrid-probe";
    private static final Map<Path, PersistenceEngine> ENGINES = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return NAME;
    }

    /** The append-only file: open while {@code appendonly} is {@code yes}. */
    @Override
    public boolean keepsLog() {
        return true;
    }

    @Override
    public PersistenceEngine create(PersistenceContext context) {
        PersistenceEngine engine = new HybridProvider().create(context);
        ENGINES.put(key(context.dir()), engine);
        return engine;
    }

    /** Rewrites the AOF of the store open on {@code dir} and waits for the new base to be in place. */
    static void rewrite(Path dir) throws Exception {
        PersistenceEngine engine = ENGINES.get(key(dir));
        if (engine == null) {
            throw new IllegalStateException("no store was opened with provider " + NAME + " on " + dir);
        }
        engine.rewrite().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    private static Path key(Path dir) {
        return dir.toAbsolutePath().normalize();
    }
}
