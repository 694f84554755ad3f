package dev.cellar.persistence.aof;

import dev.cellar.spi.persistence.PersistenceContext;
import dev.cellar.spi.persistence.PersistenceEngine;
import dev.cellar.spi.persistence.PersistenceProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code aof} persistence provider: Redis 7's multi-part append-only file with RESP bases.
 * The store's log ({@link #keepsLog()}), open while {@code appendonly} is {@code yes}: chosen with
 * {@code cellar-persistence aof}, or beside a snapshot provider when {@code aof-use-rdb-preamble} is
 * {@code no} or the hybrid module is absent. Reads {@code appendfilename},
 * {@code appenddirname}, {@code appendfsync}, {@code auto-aof-rewrite-percentage},
 * {@code auto-aof-rewrite-min-size}, {@code aof-load-truncated}, {@code aof-timestamp-enabled},
 * {@code aof-disable-auto-gc} and {@code aof-rewrite-incremental-fsync}.
 */
public final class AofProvider implements PersistenceProvider {
    private static final Logger LOG = LoggerFactory.getLogger(AofProvider.class);

    /** The provider's name. */
    public static final String NAME = "aof";

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
        return create(context, null);
    }

    /**
     * An AOF engine whose rewrites write bases in {@code baseFormat} (null for RESP commands):
     * how the hybrid module makes an AOF with an RDB preamble.
     */
    public static PersistenceEngine create(PersistenceContext context, AofBaseFormat baseFormat) {
        return new AofEngine(context, AofIo.FILES, baseFormat, discoverFormats());
    }

    /** The base formats on the class path or module path; a broken one is reported and skipped. */
    static List<AofBaseFormat> discoverFormats() {
        List<AofBaseFormat> found = new ArrayList<>();
        var it = ServiceLoader.load(AofBaseFormat.class, AofProvider.class.getClassLoader()).iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                found.add(it.next());
            } catch (ServiceConfigurationError e) {
                LOG.warn("an AOF base format could not be loaded: {}", e.getMessage());
            }
        }
        return found;
    }
}
