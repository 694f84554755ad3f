/**
 * The hybrid persistence strategy: an append-only file whose base is an RDB snapshot, Redis's
 * {@code aof-use-rdb-preamble}. It supplies the RDB base format to the AOF module (for loading,
 * rewriting and check-aof) and the {@code hybrid} provider. Nothing is exported: both are found
 * with {@link java.util.ServiceLoader}.
 */
module dev.cellar.persistence.hybrid {
    requires dev.cellar.api;
    requires dev.cellar.persistence.rdb;
    requires dev.cellar.persistence.aof;

    provides dev.cellar.persistence.aof.AofBaseFormat with dev.cellar.persistence.hybrid.RdbBaseFormat;
    provides dev.cellar.spi.persistence.PersistenceProvider with dev.cellar.persistence.hybrid.HybridProvider;
}
