package dev.cellar.spi.persistence;

import java.io.IOException;
import java.util.Map;

/**
 * A running persistence strategy. The engine calls it from the thread that executes commands,
 * in the one total order of writes; implementations hand slow work to threads of their own.
 */
public interface PersistenceEngine extends AutoCloseable {

    /** Loads the persisted data set into {@code sink}; called once, before any client command. */
    void load(LoadSink sink) throws IOException;

    /** Receives one propagated write, in order. */
    void write(PropagatedWrite write);

    /**
     * Called after a batch of writes (one turn of the server's loop); a log that syncs on every
     * write syncs here, once for the batch (group commit).
     */
    default void flushBatch() throws IOException {}

    /** The fields this engine reports in INFO's persistence section, Redis's names. */
    Map<String, String> info();

    /** Flushes and releases files; called at shutdown. */
    @Override
    void close() throws IOException;
}
