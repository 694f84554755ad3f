package dev.cellar.persistence.hybrid;

import dev.cellar.persistence.aof.AofProvider;
import dev.cellar.persistence.rdb.RdbWriter;
import dev.cellar.spi.persistence.PersistenceContext;
import dev.cellar.spi.persistence.PersistenceEngine;
import dev.cellar.spi.persistence.PersistenceProvider;

/**
 * The {@code hybrid} persistence provider: Redis 7's multi-part append-only file whose base is an
 * RDB snapshot ({@code aof-use-rdb-preamble yes}, Redis's default). Chosen with
 * {@code cellar-persistence hybrid}.
 *
 * <p>It is the {@code aof} engine with a different base writer: with {@code aof-use-rdb-preamble yes}
 * the base written on first start and by every rewrite is {@code <appendfilename>.<n>.base.rdb}, an
 * RDB with {@code aof-base 1}; with {@code no} it is {@code .base.aof}, RESP commands, exactly as the
 * {@code aof} provider writes. Either way both kinds of base load, as do a legacy single-file AOF
 * with an RDB preamble (moved into the AOF directory as Redis 7 does) and incremental files.
 * Every other setting is the AOF's ({@code appendonly}, {@code appendfsync}, {@code auto-aof-rewrite-*},
 * {@code aof-load-truncated}, {@code aof-timestamp-enabled}, ...); the RDB base also reads
 * {@code rdbcompression}, {@code rdbchecksum} and {@code list-max-listpack-size}.
 */
public final class HybridProvider implements PersistenceProvider {

    /** The provider's name. */
    public static final String NAME = "hybrid";

    @Override
    public String name() {
        return NAME;
    }

    /** The append-only file: open while {@code appendonly} is {@code yes}. */
    @Override
    public boolean keepsLog() {
        return true;
    }

    /**
     * The AOF engine with the RDB base writer. Whether a base is RDB or RESP is the engine's choice
     * when it starts writing one ({@code aof-use-rdb-preamble} then, which CONFIG SET may change),
     * and an RDB base takes {@code rdbcompression} and the list node size as they are then.
     */
    @Override
    public PersistenceEngine create(PersistenceContext context) {
        RdbWriter.Options.from(context.config(), context.clock()); // a bad setting fails here, not at the first base
        RdbBaseFormat base = new RdbBaseFormat(() -> RdbWriter.Options.from(context.config(), context.clock()));
        return AofProvider.create(context, base);
    }
}
