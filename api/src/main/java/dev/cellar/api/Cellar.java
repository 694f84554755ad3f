package dev.cellar.api;

import dev.cellar.spi.EngineFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * An open Cellar store: the engine the server runs, embedded in-process.
 *
 * <p>Every method is thread-safe; commands from all threads run one at a time in a single total
 * order, exactly as they would arrive at a server. {@link #close()} flushes persistence and
 * releases threads and files.
 */
public interface Cellar extends AutoCloseable {

    /**
     * Opens a store with the engine found on the class path or module path ({@code dev.cellar.core}).
     *
     * @throws IllegalStateException when no engine or more than one is present
     */
    static Cellar open(CellarConfig config) {
        List<EngineFactory> found = new ArrayList<>();
        ServiceLoader.load(EngineFactory.class, Cellar.class.getClassLoader()).forEach(found::add);
        if (found.isEmpty()) {
            ServiceLoader.load(EngineFactory.class).forEach(found::add);
        }
        if (found.isEmpty()) {
            throw new IllegalStateException(
                    "no Cellar engine found: expected dev.cellar.core (artifact cellar-core) on the class path or module path");
        }
        if (found.size() > 1) {
            throw new IllegalStateException("more than one Cellar engine found: " + found);
        }
        return found.get(0).open(config);
    }

    /** The database with this index (0 to {@code databases - 1}). */
    Database database(int index);

    /** The number of databases. */
    int databases();

    /**
     * Runs any command, as the server would, against database {@code db}; errors are returned as
     * {@link Reply.Error}, not thrown. Blocking commands block the calling thread. A write that
     * the persistence log could not make durable (with {@code appendfsync always}) is answered
     * with {@code MISCONF Errors writing to the AOF file: <reason>}, as the server answers it: not
     * acknowledged; the change stays in memory and reaches the log when the disk recovers.
     */
    Reply execute(int db, byte[]... argv);

    /** Runs a command given as text arguments (UTF-8). */
    default Reply execute(int db, String... argv) {
        byte[][] bytes = new byte[argv.length][];
        for (int i = 0; i < argv.length; i++) {
            bytes[i] = argv[i].getBytes(StandardCharsets.UTF_8);
        }
        return execute(db, bytes);
    }

    /**
     * Runs several commands in order as one client would, in one session, so that SELECT, WATCH
     * and MULTI/EXEC apply across them; returns one reply per command (the writes' replies become
     * the MISCONF error when the batch could not be made durable, as for {@link #execute}).
     */
    java.util.List<Reply> pipeline(int db, java.util.List<byte[][]> commands);

    /** Flushes persistence and releases every resource; later calls fail. */
    @Override
    void close();
}
