package dev.cellar.conformance;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.CopyOption;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The kit's fault-injection seam: file operations a backend routes through it fail on demand, as a
 * full disk or a failing device would make them fail. Tests run as root in CI, so permission tricks
 * cannot stand in for this.
 *
 * <p>Until the api module offers the seam itself (see {@code docs/conformance.md}, "Fault
 * injection"), a backend that declares {@link Capability#FAULT_INJECTION} connects an instance of
 * this class to the engine it opens through {@link PersistenceBackend.Builder#faultInjection}. With
 * nothing injected every operation is passed to the file system unchanged.
 *
 * <p>Faults: {@link Fault#DISK_FULL} lets writes through until a byte budget is spent, writes the
 * part that fits (as the kernel does) and then fails every write with {@code No space left on
 * device}; fsync and rename still work, since they need no new blocks. {@link Fault#WRITE_ERROR}
 * fails every write, fsync and rename with {@code Input/output error}. Reads always work.
 */
public final class FileFaults {

    /** A failure mode. */
    public enum Fault {
        /** Writes fail once a byte budget is spent, with {@code ENOSPC}'s message. */
        DISK_FULL,
        /** Writes, fsyncs and renames fail with {@code EIO}'s message. */
        WRITE_ERROR
    }

    private volatile Fault fault;
    private final AtomicLong budget = new AtomicLong();
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicInteger fsyncs = new AtomicInteger();

    /** Makes writes fail from now on as {@code fault} would; a full disk accepts no byte. */
    public FileFaults inject(Fault fault) {
        return inject(fault, 0);
    }

    /** Makes writes fail once {@code bytesLeft} more bytes have been written (for {@link Fault#DISK_FULL}). */
    public FileFaults inject(Fault fault, long bytesLeft) {
        budget.set(bytesLeft);
        this.fault = fault;
        return this;
    }

    /** Stops injecting: the disk has room again. */
    public FileFaults clear() {
        fault = null;
        return this;
    }

    /** The fault being injected, or null. */
    public Fault injected() {
        return fault;
    }

    /** How many operations have failed because of an injected fault. */
    public int failures() {
        return failures.get();
    }

    /** How many fsyncs of files opened here were asked for (failed ones included). */
    public int fsyncs() {
        return fsyncs.get();
    }

    /** Opens a file as {@link FileChannel#open(Path, OpenOption...)} does, with faults applied. */
    public FileChannel open(Path file, OpenOption... options) throws IOException {
        return new FaultyChannel(FileChannel.open(file, options), file);
    }

    /** Renames as {@link Files#move} does; fails under {@link Fault#WRITE_ERROR}. */
    public void move(Path source, Path target, CopyOption... options) throws IOException {
        if (fault == Fault.WRITE_ERROR) {
            throw failure(source, "rename to " + target.getFileName(), "Input/output error");
        }
        Files.move(source, target, options);
    }

    private IOException failure(Path file, String operation, String reason) {
        failures.incrementAndGet();
        return new IOException(file + ": " + operation + ": " + reason + " (injected by the conformance kit)");
    }

    /** How many of {@code wanted} bytes may be written now; throws when none may. */
    private int admit(Path file, int wanted) throws IOException {
        Fault f = fault;
        if (f == null || wanted == 0) {
            return wanted;
        }
        if (f == Fault.WRITE_ERROR) {
            throw failure(file, "write", "Input/output error");
        }
        while (true) {
            long left = budget.get();
            if (left <= 0) {
                throw failure(file, "write", "No space left on device");
            }
            int granted = (int) Math.min(left, wanted);
            if (budget.compareAndSet(left, left - granted)) {
                return granted;
            }
        }
    }

    /** A channel whose writes, fsyncs and transfers pass the fault check first. */
    private final class FaultyChannel extends FileChannel {
        private final FileChannel delegate;
        private final Path file;

        FaultyChannel(FileChannel delegate, Path file) {
            this.delegate = delegate;
            this.file = file;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return delegate.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return delegate.read(dsts, offset, length);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return delegate.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return writeAt(src, -1);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            return writeAt(src, position);
        }

        private int writeAt(ByteBuffer src, long position) throws IOException {
            int granted = admit(file, src.remaining());
            ByteBuffer part = src.slice().limit(granted);
            int written = position < 0 ? delegate.write(part) : delegate.write(part, position);
            src.position(src.position() + written);
            return written;
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            long total = 0;
            for (int i = offset; i < offset + length; i++) {
                int wanted = srcs[i].remaining();
                int written = write(srcs[i]);
                total += written;
                if (written < wanted) {
                    break;
                }
            }
            return total;
        }

        @Override
        public long position() throws IOException {
            return delegate.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            delegate.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return delegate.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            delegate.truncate(size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            fsyncs.incrementAndGet();
            if (fault == Fault.WRITE_ERROR) {
                throw failure(file, "fsync", "Input/output error");
            }
            delegate.force(metaData);
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return delegate.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(count, 64 * 1024));
            long done = 0;
            while (done < count) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), count - done));
                int n = src.read(buffer);
                if (n <= 0) {
                    break;
                }
                buffer.flip();
                while (buffer.hasRemaining()) {
                    done += write(buffer, position + done);
                }
            }
            return done;
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            if (mode != MapMode.READ_ONLY) {
                // Writes through a mapping cannot be intercepted; a backend that maps files for
                // writing cannot declare FAULT_INJECTION.
                throw new UnsupportedOperationException("the conformance kit's fault seam maps files read-only");
            }
            return delegate.map(mode, position, size);
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return delegate.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return delegate.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            delegate.close();
        }
    }
}
