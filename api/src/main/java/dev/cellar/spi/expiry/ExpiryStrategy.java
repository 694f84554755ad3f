package dev.cellar.spi.expiry;

/**
 * How keys with a time to live are removed in the background (keys are also expired lazily when
 * accessed, whatever the strategy). Discovered with {@link java.util.ServiceLoader}; the setting
 * {@code cellar-expiry-strategy} chooses by {@link #name()}, {@code default} being Redis's cycle.
 */
public interface ExpiryStrategy {

    /** The strategy's name. */
    String name();

    /**
     * Runs one active expire cycle; called {@code hz} times per second on the command thread, which
     * is held for the duration, so the cycle must keep to {@link ExpiryContext#timeBudgetNanos()}.
     *
     * @return the number of keys expired
     */
    long cycle(ExpiryContext context);
}
