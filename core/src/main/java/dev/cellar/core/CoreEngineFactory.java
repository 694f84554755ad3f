package dev.cellar.core;

import dev.cellar.api.Cellar;
import dev.cellar.api.CellarConfig;
import dev.cellar.spi.EngineFactory;

/** Makes {@link CellarEngine} the engine that {@link Cellar#open} finds. */
public final class CoreEngineFactory implements EngineFactory {
    @Override
    public Cellar open(CellarConfig config) {
        return new CellarEngine(config);
    }
}
