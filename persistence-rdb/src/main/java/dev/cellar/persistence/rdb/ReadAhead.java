package dev.cellar.persistence.rdb;

import dev.cellar.spi.persistence.DataValue;
import dev.cellar.spi.persistence.LoadSink;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs an {@link RdbReader} on a helper thread while the calling thread puts what it decoded into
 * the sink: reading, checksumming and decoding one part of the file overlap with inserting the keys
 * of the part before, on a second core. The same reader as a one-thread load, with every check; the
 * sink sees the same calls in the same order, all on the calling thread (so a sink that holds a
 * lock, as the engine's does, keeps holding it).
 *
 * <p>Hand-over: the helper fills {@link Batch}es (parallel arrays, no object per key) of up to
 * {@value #BATCH_KEYS} keys or {@value #BATCH_BYTES} bytes of file, whichever comes first, and passes
 * them through a queue of {@value #QUEUE} batches, and the calling thread hands emptied batches back
 * for reuse (no garbage per batch); so at most a few megabytes of file are decoded
 * ahead of the keyspace, whatever the file's size. The helper's last batch carries the result or the
 * exception the reader ended with; the calling thread throws that exception only after putting
 * every key read before the fault, as a one-thread load would have. When the sink throws, or the
 * calling thread is interrupted, the helper is stopped at its next key.
 */
final class ReadAhead {
    static final int BATCH_KEYS = 1024;
    static final int BATCH_BYTES = 1 << 20;
    static final int QUEUE = 4;

    private static final byte PUT = 0;
    private static final byte RESERVE = 1;
    private static final byte PROGRESS = 2;

    /** One run of sink calls, in order; {@code a}, {@code b}, {@code c} hold each call's numbers. */
    private static final class Batch {
        final byte[] kind = new byte[BATCH_KEYS];
        final int[] db = new int[BATCH_KEYS];
        final byte[][] key = new byte[BATCH_KEYS][];
        final DataValue[] value = new DataValue[BATCH_KEYS];
        final long[] a = new long[BATCH_KEYS];
        final long[] b = new long[BATCH_KEYS];
        final int[] c = new int[BATCH_KEYS];
        int size;
        long startOffset;
        boolean last;
        RdbReader.Result result;
        Throwable failure;

        /** Empties a batch for reuse, dropping its references to keys and values. */
        void clear() {
            Arrays.fill(key, 0, size, null);
            Arrays.fill(value, 0, size, null);
            size = 0;
        }
    }

    private ReadAhead() {}

    /** Reads {@code in} with {@code reader} on a helper thread, putting into {@code sink} on this one. */
    static RdbReader.Result read(RdbReader reader, RdbInput in, LoadSink sink, long totalBytes) throws IOException {
        BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(QUEUE);
        BlockingQueue<Batch> free = new ArrayBlockingQueue<>(QUEUE + 2);
        Producer producer = new Producer(in, queue, free);
        Thread helper = new Thread(() -> producer.run(reader, totalBytes), "cellar-rdb-read");
        helper.setDaemon(true);
        helper.start();
        boolean done = false;
        try {
            while (true) {
                Batch batch;
                try {
                    batch = queue.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while loading an RDB file");
                }
                apply(batch, sink);
                if (batch.last) {
                    done = true;
                    return finish(batch);
                }
                batch.clear();
                free.offer(batch);
            }
        } finally {
            if (!done) {
                producer.cancelled = true;
                queue.clear(); // a helper blocked on a full queue sees the cancellation
                helper.interrupt();
            }
        }
    }

    private static void apply(Batch batch, LoadSink sink) {
        for (int i = 0; i < batch.size; i++) {
            switch (batch.kind[i]) {
                case PUT -> sink.put(batch.db[i], batch.key[i], batch.value[i], batch.a[i], batch.b[i], batch.c[i]);
                case RESERVE -> sink.reserve(batch.db[i], batch.a[i], batch.b[i]);
                default -> sink.progress(batch.a[i], batch.b[i]);
            }
        }
    }

    private static RdbReader.Result finish(Batch batch) throws IOException {
        Throwable t = batch.failure;
        if (t == null) {
            return batch.result;
        }
        if (t instanceof IOException e) {
            throw e;
        }
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IOException(t);
    }

    /** The helper's sink: fills batches and queues them. */
    private static final class Producer implements LoadSink {
        private final RdbInput in;
        private final BlockingQueue<Batch> queue;
        private final BlockingQueue<Batch> free;
        volatile boolean cancelled;
        private Batch batch;

        Producer(RdbInput in, BlockingQueue<Batch> queue, BlockingQueue<Batch> free) {
            this.in = in;
            this.queue = queue;
            this.free = free;
            this.batch = fresh();
        }

        void run(RdbReader reader, long totalBytes) {
            RdbReader.Result result = null;
            Throwable failure = null;
            try {
                result = reader.read(in, this, totalBytes);
            } catch (Throwable t) {
                failure = t;
            }
            if (failure instanceof Cancelled) {
                return;
            }
            batch.last = true;
            batch.result = result;
            batch.failure = failure;
            try {
                hand(batch);
            } catch (Cancelled ignored) {
                // the calling thread has given up
            }
        }

        /** An emptied batch handed back by the calling thread, or a new one. */
        private Batch fresh() {
            Batch b = free.poll();
            if (b == null) {
                b = new Batch();
            }
            b.startOffset = in.offset();
            return b;
        }

        private void hand(Batch b) {
            try {
                while (!queue.offer(b, 100, TimeUnit.MILLISECONDS)) {
                    if (cancelled) {
                        throw new Cancelled();
                    }
                }
            } catch (InterruptedException e) {
                throw new Cancelled();
            }
        }

        /** Room for one more call, handing the batch over when it is full. */
        private int slot() {
            if (batch.size == BATCH_KEYS || in.offset() - batch.startOffset >= BATCH_BYTES) {
                if (cancelled) {
                    throw new Cancelled();
                }
                hand(batch);
                batch = fresh();
            }
            return batch.size++;
        }

        @Override
        public void put(int db, byte[] key, DataValue value, long expireAtMillis, long lruIdleMillis, int lfuFrequency) {
            int i = slot();
            Batch b = batch;
            b.kind[i] = PUT;
            b.db[i] = db;
            b.key[i] = key;
            b.value[i] = value;
            b.a[i] = expireAtMillis;
            b.b[i] = lruIdleMillis;
            b.c[i] = lfuFrequency;
        }

        @Override
        public void put(int db, byte[] key, DataValue value, long expireAtMillis) {
            put(db, key, value, expireAtMillis, -1, -1);
        }

        @Override
        public void reserve(int db, long keys, long expires) {
            int i = slot();
            batch.kind[i] = RESERVE;
            batch.db[i] = db;
            batch.a[i] = keys;
            batch.b[i] = expires;
        }

        @Override
        public void progress(long loadedBytes, long totalBytes) {
            int i = slot();
            batch.kind[i] = PROGRESS;
            batch.a[i] = loadedBytes;
            batch.b[i] = totalBytes;
        }

        @Override
        public String replay(int db, byte[][] argv) {
            throw new UnsupportedOperationException("an RDB file replays no commands");
        }
    }

    /** Stops the helper when the calling thread has given up. */
    private static final class Cancelled extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Cancelled() {
            super(null, null, false, false);
        }
    }
}
