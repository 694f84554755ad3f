package dev.cellar.spi.persistence;

/**
 * A persistence strategy, discovered with {@link java.util.ServiceLoader}. A provider module
 * declares {@code provides dev.cellar.spi.persistence.PersistenceProvider with ...} and ships
 * {@code META-INF/services} so that it works on the class path too. When several are present the
 * setting {@code cellar-persistence} chooses by {@link #name()}.
 */
public interface PersistenceProvider {

    /** The provider's name ({@code rdb}, {@code aof}, {@code hybrid}, ...). */
    String name();

    /** Creates the engine for one store. */
    PersistenceEngine create(PersistenceContext context);

    /**
     * Whether this provider keeps Redis's append-only file: its engine is then the store's log,
     * open while {@code appendonly} is {@code yes} (and opened at run time by
     * {@code CONFIG SET appendonly yes}, which calls {@link PersistenceEngine#begin()}); otherwise
     * it is the store's snapshot engine (SAVE, BGSAVE, save points), which may run beside a log.
     */
    default boolean keepsLog() {
        return false;
    }
}
