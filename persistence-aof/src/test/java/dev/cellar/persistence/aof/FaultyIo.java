package dev.cellar.persistence.aof;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real file system with switchable faults: a full disk after some bytes of a write
 * (a partial write), a failing fsync, or an fsync held until the test lets it go.
 */
final class FaultyIo implements AofIo {
    volatile boolean diskFull;
    /** With {@link #diskFull}, how many bytes of a write still land before ENOSPC. */
    volatile int partialBytes = 7;
    volatile boolean fsyncFails;
    /** When both are set, an fsync counts {@code fsyncEntered} down, then waits for {@code fsyncRelease}. */
    volatile CountDownLatch fsyncEntered;
    volatile CountDownLatch fsyncRelease;
    /** Fsyncs of log files asked for so far (failed ones included). */
    final AtomicInteger fsyncs = new AtomicInteger();

    @Override
    public LogChannel openAppend(Path file) throws IOException {
        return wrap(FILES.openAppend(file));
    }

    @Override
    public LogChannel create(Path file) throws IOException {
        return wrap(FILES.create(file));
    }

    @Override
    public void fsyncDirectory(Path dir) throws IOException {
        FILES.fsyncDirectory(dir);
    }

    private LogChannel wrap(LogChannel real) {
        return new LogChannel() {
            @Override
            public int write(ByteBuffer src) throws IOException {
                if (diskFull) {
                    int n = Math.min(partialBytes, src.remaining());
                    ByteBuffer part = src.duplicate();
                    part.limit(part.position() + n);
                    real.writeFully(part);
                    throw new IOException("No space left on device");
                }
                return real.write(src);
            }

            @Override
            public void force() throws IOException {
                fsyncs.incrementAndGet();
                CountDownLatch entered = fsyncEntered;
                CountDownLatch release = fsyncRelease;
                if (entered != null && release != null) {
                    entered.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                if (fsyncFails) {
                    throw new IOException("Input/output error");
                }
                real.force();
            }

            @Override
            public void truncate(long size) throws IOException {
                real.truncate(size);
            }

            @Override
            public long size() throws IOException {
                return real.size();
            }

            @Override
            public void close() throws IOException {
                real.close();
            }
        };
    }
}
