/**
 * Redis-compatible RDB snapshots: the reader (every version Redis 7.x loads), the writer
 * (version 10, loadable by Redis 7.0 and later), the DUMP/RESTORE payload codec and check-rdb.
 */
module dev.cellar.persistence.rdb {
    requires transitive dev.cellar.api;
    requires org.slf4j;

    exports dev.cellar.persistence.rdb;

    provides dev.cellar.spi.persistence.ValueCodec with dev.cellar.persistence.rdb.RdbValueCodec;
    provides dev.cellar.spi.persistence.PersistenceProvider with dev.cellar.persistence.rdb.RdbPersistenceProvider;
}
