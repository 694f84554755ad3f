package dev.cellar.persistence.aof;

import dev.cellar.spi.persistence.DataValue;
import dev.cellar.spi.persistence.SnapshotView;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Writes a point-in-time view as the commands that rebuild it, the RESP base file of a rewrite
 * ({@code rewriteAppendOnlyFileRio}): per database a {@code SELECT}, then per key {@code SET},
 * or {@code RPUSH}/{@code SADD}/{@code ZADD}/{@code HMSET} in chunks of 64 elements, and
 * {@code PEXPIREAT} for a key with an expiry. Redis 7.0 writes {@code HMSET} for hashes; so do we.
 */
final class RespBase implements AofBaseFormat {
    /** Elements per command, {@code AOF_REWRITE_ITEMS_PER_CMD}. */
    static final int ITEMS_PER_CMD = 64;
    /** Buffered bytes handed to the stream at once. */
    private static final int FLUSH_AT = 1 << 16;

    @Override
    public String name() {
        return "aof";
    }

    @Override
    public String extension() {
        return "aof";
    }

    @Override
    public boolean recognizes(byte[] head) {
        return head.length == 0 || head[0] == '*' || head[0] == '#';
    }

    @Override
    public long load(java.nio.file.Path file, dev.cellar.spi.persistence.LoadSink sink, int databases) {
        return 0; // the AOF loader reads RESP itself
    }

    @Override
    public void write(SnapshotView view, OutputStream out) throws IOException {
        Resp buf = new Resp(FLUSH_AT + 1024);
        try {
            for (int db = 0; db < view.databases(); db++) {
                if (view.size(db) == 0) {
                    continue;
                }
                buf.command(Resp.bytes("SELECT"), Resp.bytes(db));
                view.forEach(db, (key, value, expireAt, idle, freq) -> {
                    entry(buf, key, value, expireAt);
                    if (buf.size() >= FLUSH_AT) {
                        drain(buf, out);
                    }
                });
            }
            drain(buf, out);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static void drain(Resp buf, OutputStream out) {
        try {
            out.write(buf.view().array(), 0, buf.size());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        buf.clear();
    }

    /** Appends the commands that rebuild one key. */
    static void entry(Resp buf, byte[] key, DataValue value, long expireAt) {
        if (value instanceof DataValue.StringData s) {
            buf.command(Resp.bytes("SET"), key, s.bytes());
        } else if (value instanceof DataValue.ListData l) {
            new Chunker(buf, "RPUSH", key, l.size(), 1).run(c -> l.forEach(c::add));
        } else if (value instanceof DataValue.SetData s) {
            new Chunker(buf, "SADD", key, s.size(), 1).run(c -> s.forEach(c::add));
        } else if (value instanceof DataValue.ZSetData z) {
            new Chunker(buf, "ZADD", key, z.size(), 2).run(c -> z.forEach((m, score) -> c.add(formatScore(score), m)));
        } else if (value instanceof DataValue.HashData h) {
            new Chunker(buf, "HMSET", key, h.size(), 2).run(c -> h.forEach(c::add));
        }
        if (expireAt >= 0) {
            buf.command(Resp.bytes("PEXPIREAT"), key, Resp.bytes(expireAt));
        }
    }

    /**
     * A score as text that parses back to the same double with C's {@code strtod} (Redis) and
     * Java alike: integers plainly, infinities as {@code inf}, the rest in the shortest exact form.
     */
    static byte[] formatScore(double d) {
        if (Double.isInfinite(d)) {
            return Resp.bytes(d > 0 ? "inf" : "-inf");
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e17) {
            return Resp.bytes(d == 0 && 1 / d < 0 ? "-0" : Long.toString((long) d));
        }
        return Resp.bytes(Double.toString(d));
    }

    /** Emits a collection in commands of at most {@link #ITEMS_PER_CMD} elements. */
    private static final class Chunker {
        private final Resp buf;
        private final byte[] command;
        private final byte[] key;
        private final int width;
        private long remaining;
        private int inCommand;

        Chunker(Resp buf, String command, byte[] key, long size, int width) {
            this.buf = buf;
            this.command = Resp.bytes(command);
            this.key = key;
            this.remaining = size;
            this.width = width;
        }

        void run(java.util.function.Consumer<Chunker> visit) {
            visit.accept(this);
        }

        void add(byte[]... parts) {
            if (remaining <= 0) {
                return; // the view changed its mind about the size; never write past the header
            }
            if (inCommand == 0) {
                long n = Math.min(ITEMS_PER_CMD, remaining);
                buf.header('*', 2 + n * width);
                buf.bulk(command);
                buf.bulk(key);
            }
            for (byte[] p : parts) {
                buf.bulk(p);
            }
            remaining--;
            inCommand++;
            if (inCommand == ITEMS_PER_CMD) {
                inCommand = 0;
            }
        }
    }
}
