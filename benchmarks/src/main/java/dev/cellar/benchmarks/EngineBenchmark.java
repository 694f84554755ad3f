package dev.cellar.benchmarks;

import dev.cellar.api.CellarConfig;
import dev.cellar.api.Reply;
import dev.cellar.core.CellarEngine;
import dev.cellar.core.engine.Session;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * In-process GET and SET throughput through the same path the server uses
 * ({@link CellarEngine#execute(Session, byte[][])}: lock, dispatcher, command), over 100,000 keys.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class EngineBenchmark {
    private static final int KEYS = 100_000;
    private CellarEngine engine;
    private byte[][] keys;
    private byte[][] values;

    /** Per-thread client session and key cursor. */
    @State(Scope.Thread)
    public static class Client {
        Session session;
        int next;

        @Setup(Level.Trial)
        public void setup(EngineBenchmark b) {
            session = b.engine.newSession();
            next = (int) (Thread.currentThread().getId() * 7919) % KEYS;
        }
    }

    @Setup(Level.Trial)
    public void setup() {
        engine = new CellarEngine(CellarConfig.defaults());
        keys = new byte[KEYS][];
        values = new byte[KEYS][];
        Session s = engine.newSession();
        for (int i = 0; i < KEYS; i++) {
            keys[i] = ("key:" + i).getBytes(StandardCharsets.US_ASCII);
            values[i] = ("value:" + i).getBytes(StandardCharsets.US_ASCII);
            engine.execute(s, new byte[][] {"SET".getBytes(StandardCharsets.US_ASCII), keys[i], values[i]});
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        engine.close();
    }

    private static final byte[] GET = "GET".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SET = "SET".getBytes(StandardCharsets.US_ASCII);

    @Benchmark
    public Reply get(Client c) {
        int i = c.next = (c.next + 1) % KEYS;
        return engine.execute(c.session, new byte[][] {GET, keys[i]});
    }

    @Benchmark
    public Reply set(Client c) {
        int i = c.next = (c.next + 1) % KEYS;
        return engine.execute(c.session, new byte[][] {SET, keys[i], values[i]});
    }
}
