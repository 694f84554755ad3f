/**
 * The append-only file persistence strategy: Redis 7's multi-part layout (manifest, base and
 * incremental files), the legacy single file, rewrite without fork, and the check-aof tool.
 *
 * <p>The exported package holds only the provider, the base-format extension point (for an RDB
 * preamble base, supplied by the hybrid module) and the check-aof main class.
 */
module dev.cellar.persistence.aof {
    requires transitive dev.cellar.api;
    requires org.slf4j;

    exports dev.cellar.persistence.aof;

    uses dev.cellar.persistence.aof.AofBaseFormat;

    provides dev.cellar.spi.persistence.PersistenceProvider with dev.cellar.persistence.aof.AofProvider;
}
