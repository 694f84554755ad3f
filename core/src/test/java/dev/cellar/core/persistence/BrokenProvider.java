package dev.cellar.core.persistence;

import dev.cellar.spi.persistence.PersistenceContext;
import dev.cellar.spi.persistence.PersistenceEngine;
import dev.cellar.spi.persistence.PersistenceProvider;

/** A provider that cannot even be constructed: discovery must report it and go on. */
public final class BrokenProvider implements PersistenceProvider {
    public BrokenProvider() {
        throw new IllegalStateException("this provider is broken on purpose");
    }

    @Override
    public String name() {
        return "broken";
    }

    @Override
    public PersistenceEngine create(PersistenceContext context) {
        throw new UnsupportedOperationException();
    }
}
