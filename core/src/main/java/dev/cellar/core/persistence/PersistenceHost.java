package dev.cellar.core.persistence;

import dev.cellar.api.CellarClock;
import dev.cellar.api.CellarConfig;
import dev.cellar.api.Reply;
import dev.cellar.core.Numbers;
import dev.cellar.core.engine.CommandSpec;
import dev.cellar.core.engine.Engine;
import dev.cellar.core.engine.Providers;
import dev.cellar.core.engine.Session;
import dev.cellar.spi.persistence.DataValue;
import dev.cellar.spi.persistence.LoadSink;
import dev.cellar.spi.persistence.PersistenceContext;
import dev.cellar.spi.persistence.PersistenceEngine;
import dev.cellar.spi.persistence.PersistenceProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Persistence orchestration: finds the providers, creates the chosen one's engine, loads the
 * persisted data set before any client command, and connects the engine's propagated write
 * stream to it.
 *
 * <p>Choice: the setting {@code cellar-persistence} names the provider. Empty means no
 * persistence for an embedded store; the server derives it from Redis's own directives. A name
 * that no provider has, or that two providers claim, stops the store from opening with a message
 * listing what was found and what failed to load.
 */
public final class PersistenceHost implements PersistenceContext, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PersistenceHost.class);

    private final Engine engine;
    private final CellarConfig config;
    private final PersistenceEngine persistence;
    private final String providerName;
    private final java.util.concurrent.locks.Lock lock;

    private PersistenceHost(Engine engine, java.util.concurrent.locks.Lock lock, CellarConfig config,
            PersistenceProvider provider) {
        this.engine = engine;
        this.lock = lock;
        this.config = config;
        this.providerName = provider == null ? null : provider.name();
        this.persistence = provider == null ? null : provider.create(this);
    }

    /** Discovers providers and creates the configured one (or none). */
    public static PersistenceHost open(Engine engine, java.util.concurrent.locks.Lock lock, CellarConfig config) {
        Providers.Found<PersistenceProvider> found = Providers.discover(PersistenceProvider.class,
                PersistenceProvider::name);
        String name = engine.settings().get("cellar-persistence");
        if (name == null || name.isBlank() || name.equals("none")) {
            return new PersistenceHost(engine, lock, config, null);
        }
        PersistenceProvider provider = found.byName().get(name);
        if (provider == null) {
            String why = found.ambiguous().contains(name) ? "two providers are named '" + name + "'"
                    : "no persistence provider named '" + name + "' was found";
            throw new IllegalStateException(why + "; available: " + found.byName().keySet()
                    + (found.problems().isEmpty() ? "" : "; problems: " + found.problems()));
        }
        LOG.info("persistence provider '{}' ({})", name, provider.getClass().getName());
        return new PersistenceHost(engine, lock, config, provider);
    }

    /** The names of the persistence providers that can be found, for the start-up log. */
    public static List<String> available() {
        return new ArrayList<>(Providers.discover(PersistenceProvider.class, PersistenceProvider::name)
                .byName().keySet());
    }

    /** The provider in use, or null. */
    public String providerName() {
        return providerName;
    }

    /** Loads the persisted data set and connects the write stream; the caller holds the engine lock. */
    public void start() {
        if (persistence == null) {
            return;
        }
        engine.setLoading(true);
        try {
            persistence.load(new Sink());
        } catch (IOException | RuntimeException e) {
            try {
                persistence.close();
            } catch (IOException | RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof IOException io) {
                throw new UncheckedIOException("loading persisted data with provider '" + providerName
                        + "' failed: " + e.getMessage(), io);
            }
            throw (RuntimeException) e;
        } finally {
            engine.setLoading(false);
        }
        engine.addWriteListener(persistence::write);
    }

    /** Ends a batch of writes (group commit for logs that sync on every write). */
    public void flushBatch() {
        if (persistence != null) {
            try {
                persistence.flushBatch();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The provider's INFO persistence fields. */
    public Map<String, String> info() {
        return persistence == null ? Map.of() : persistence.info();
    }

    @Override
    public void close() throws IOException {
        if (persistence != null) {
            persistence.close();
        }
    }

    // ------------------------------------------------------------------ PersistenceContext

    @Override
    public CellarConfig config() {
        return config;
    }

    @Override
    public Path dir() {
        return Path.of(engine.settings().get("dir"));
    }

    @Override
    public int databases() {
        return engine.databases();
    }

    @Override
    public CellarClock clock() {
        return engine.clock();
    }

    @Override
    public SnapshotHandle snapshot() {
        lock.lock();
        try {
            return engine.openSnapshot(lock);
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ loading

    /**
     * Loads values by running the commands that build them, so every value gets the encoding the
     * engine would give it; while loading nothing expires and nothing is propagated to the engine
     * being loaded from.
     */
    private final class Sink implements LoadSink {
        private final Session session = new Session();
        private static final int CHUNK = 512;

        @Override
        public void put(int db, byte[] key, DataValue value, long expireAtMillis) {
            replay(db, new byte[][] {b("DEL"), key});
            if (value instanceof DataValue.StringData s) {
                run(db, b("SET"), key, s.bytes());
            } else if (value instanceof DataValue.ListData l) {
                chunked(db, b("RPUSH"), key, l::forEach);
            } else if (value instanceof DataValue.SetData s) {
                chunked(db, b("SADD"), key, s::forEach);
            } else if (value instanceof DataValue.HashData h) {
                List<byte[]> args = new ArrayList<>();
                h.forEach((f, v) -> {
                    args.add(f);
                    args.add(v);
                    if (args.size() >= 2 * CHUNK) {
                        flush(db, b("HSET"), key, args);
                    }
                });
                flush(db, b("HSET"), key, args);
            } else if (value instanceof DataValue.ZSetData z) {
                List<byte[]> args = new ArrayList<>();
                z.forEach((m, score) -> {
                    args.add(Numbers.formatDouble(score).getBytes(StandardCharsets.US_ASCII));
                    args.add(m);
                    if (args.size() >= 2 * CHUNK) {
                        flush(db, b("ZADD"), key, args);
                    }
                });
                flush(db, b("ZADD"), key, args);
            }
            if (expireAtMillis >= 0) {
                run(db, b("PEXPIREAT"), key, Long.toString(expireAtMillis).getBytes(StandardCharsets.US_ASCII));
            }
        }

        private void chunked(int db, byte[] command, byte[] key, java.util.function.Consumer<java.util.function.Consumer<byte[]>> source) {
            List<byte[]> args = new ArrayList<>();
            source.accept(e -> {
                args.add(e);
                if (args.size() >= CHUNK) {
                    flush(db, command, key, args);
                }
            });
            flush(db, command, key, args);
        }

        private void flush(int db, byte[] command, byte[] key, List<byte[]> args) {
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
            run(db, argv);
        }

        private void run(int db, byte[]... argv) {
            String error = replay(db, argv);
            if (error != null) {
                throw new IllegalStateException("loading failed at " + new String(argv[0], StandardCharsets.UTF_8)
                        + " for key '" + new String(argv[1], StandardCharsets.UTF_8) + "': " + error);
            }
        }

        @Override
        public String replay(int db, byte[][] argv) {
            CommandSpec spec = engine.commands().get(new String(argv[0], StandardCharsets.ISO_8859_1).toLowerCase());
            if (spec == null) {
                return "unknown command '" + new String(argv[0], StandardCharsets.UTF_8) + "'";
            }
            if (spec.handler() == null && argv.length > 1) {
                spec = spec.subcommands().get(new String(argv[1], StandardCharsets.ISO_8859_1).toLowerCase());
                if (spec == null) {
                    return "unknown subcommand";
                }
            }
            if (!spec.arityAccepts(argv.length)) {
                return "wrong number of arguments for '" + spec.name() + "'";
            }
            session.selectDb(db);
            Reply r = engine.callTopLevel(session, spec, argv);
            return r instanceof Reply.Error e ? e.message() : null;
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
