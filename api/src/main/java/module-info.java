/**
 * Cellar's public surface: the embedding API, the reply model and the service provider interfaces.
 */
module dev.cellar.api {
    exports dev.cellar.api;
    exports dev.cellar.spi;
    exports dev.cellar.spi.persistence;
    exports dev.cellar.spi.expiry;
    exports dev.cellar.spi.eviction;

    uses dev.cellar.spi.EngineFactory;
}
