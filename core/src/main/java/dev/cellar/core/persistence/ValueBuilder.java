package dev.cellar.core.persistence;

import dev.cellar.api.Reply;
import dev.cellar.core.Numbers;
import dev.cellar.core.engine.CommandSpec;
import dev.cellar.core.engine.Engine;
import dev.cellar.core.engine.Session;
import dev.cellar.spi.persistence.DataValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Builds a keyspace value from a {@link DataValue} by running the commands that create it (SET,
 * RPUSH, SADD, HSET, ZADD in chunks), so that every value gets exactly the encoding the engine
 * would give it under the current thresholds.
 */
final class ValueBuilder {
    private static final int CHUNK = 512;

    private ValueBuilder() {}

    /** Creates {@code key} (absent) in {@code db} of {@code engine} holding {@code value}. */
    static void build(Engine engine, Session session, int db, byte[] key, DataValue value) {
        if (value instanceof DataValue.StringData s) {
            run(engine, session, db, b("SET"), key, s.bytes());
        } else if (value instanceof DataValue.ListData l) {
            chunked(engine, session, db, b("RPUSH"), key, l::forEach);
        } else if (value instanceof DataValue.SetData s) {
            chunked(engine, session, db, b("SADD"), key, s::forEach);
        } else if (value instanceof DataValue.HashData h) {
            List<byte[]> args = new ArrayList<>();
            h.forEach((f, v) -> {
                args.add(f);
                args.add(v);
                if (args.size() >= 2 * CHUNK) {
                    flush(engine, session, db, b("HSET"), key, args);
                }
            });
            flush(engine, session, db, b("HSET"), key, args);
        } else if (value instanceof DataValue.ZSetData z) {
            List<byte[]> args = new ArrayList<>();
            z.forEach((m, score) -> {
                args.add(Numbers.formatDouble(score).getBytes(StandardCharsets.US_ASCII));
                args.add(m);
                if (args.size() >= 2 * CHUNK) {
                    flush(engine, session, db, b("ZADD"), key, args);
                }
            });
            flush(engine, session, db, b("ZADD"), key, args);
        }
    }

    private static void chunked(Engine engine, Session session, int db, byte[] command, byte[] key,
            Consumer<Consumer<byte[]>> source) {
        List<byte[]> args = new ArrayList<>();
        source.accept(e -> {
            args.add(e);
            if (args.size() >= CHUNK) {
                flush(engine, session, db, command, key, args);
            }
        });
        flush(engine, session, db, command, key, args);
    }

    private static void flush(Engine engine, Session session, int db, byte[] command, byte[] key, List<byte[]> args) {
        if (args.isEmpty()) {
            return;
        }
        byte[][] argv = new byte[args.size() + 2][];
        argv[0] = command;
        argv[1] = key;
        for (int i = 0; i < args.size(); i++) {
            argv[i + 2] = args.get(i);
        }
        args.clear();
        run(engine, session, db, argv);
    }

    static void run(Engine engine, Session session, int db, byte[]... argv) {
        CommandSpec spec = engine.commands().lookup(argv[0]);
        session.selectDb(db);
        Reply r = engine.callTopLevel(session, spec, argv);
        if (r instanceof Reply.Error e) {
            throw new IllegalStateException("building " + new String(argv[0], StandardCharsets.UTF_8)
                    + " value for key '" + new String(argv[1], StandardCharsets.UTF_8) + "' failed: " + e.message());
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
