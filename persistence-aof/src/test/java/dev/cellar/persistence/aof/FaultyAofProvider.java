package dev.cellar.persistence.aof;

import dev.cellar.spi.persistence.PersistenceContext;
import dev.cellar.spi.persistence.PersistenceEngine;
import dev.cellar.spi.persistence.PersistenceProvider;
import java.util.concurrent.CountDownLatch;

/**
 * Test only, for other modules' tests: the real AOF engine ({@code cellar-persistence aof-faulty})
 * over the real file system with faults switched on demand ({@link FaultyIo}), so a server test can
 * show what clients get when the disk fills up or an fsync fails. It is not registered here: a
 * test that wants it lists it in its own {@code META-INF/services}. The faults are static because
 * the server creates the engine itself; tests that use them must not run in parallel.
 */
public final class FaultyAofProvider implements PersistenceProvider {
    /** The provider's name. */
    public static final String NAME = "aof-faulty";

    private static final FaultyIo IO = new FaultyIo();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean keepsLog() {
        return true;
    }

    @Override
    public PersistenceEngine create(PersistenceContext context) {
        return new AofEngine(context, IO, null, AofProvider.discoverFormats());
    }

    /** Writes land a few bytes, then fail with ENOSPC's message ("No space left on device"). */
    public static void diskFull(boolean on) {
        IO.diskFull = on;
    }

    /** Fsyncs fail with EIO's message ("Input/output error"). */
    public static void fsyncFails(boolean on) {
        IO.fsyncFails = on;
    }

    /** The next fsyncs count {@code entered} down, then wait for {@code release}. */
    public static void holdFsync(CountDownLatch entered, CountDownLatch release) {
        IO.fsyncRelease = release;
        IO.fsyncEntered = entered;
    }

    /** How many times a log file has been fsynced since the JVM started. */
    public static int fsyncs() {
        return IO.fsyncs.get();
    }

    /** Clears every fault and lets a held fsync go. */
    public static void reset() {
        IO.diskFull = false;
        IO.fsyncFails = false;
        IO.fsyncEntered = null;
        CountDownLatch release = IO.fsyncRelease;
        IO.fsyncRelease = null;
        if (release != null) {
            release.countDown();
        }
    }
}
