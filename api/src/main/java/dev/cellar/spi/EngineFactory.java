package dev.cellar.spi;

import dev.cellar.api.Cellar;
import dev.cellar.api.CellarConfig;

/** The engine behind {@link Cellar#open}; implemented by {@code dev.cellar.core}. */
public interface EngineFactory {

    /** Opens a store. */
    Cellar open(CellarConfig config);
}
