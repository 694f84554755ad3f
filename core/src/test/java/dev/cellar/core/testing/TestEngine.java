package dev.cellar.core.testing;

import dev.cellar.api.CellarConfig;
import dev.cellar.api.Reply;
import dev.cellar.core.CellarEngine;
import dev.cellar.core.engine.Session;
import dev.cellar.spi.persistence.PropagatedWrite;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An embedded engine on a manual clock with one client session, recording the propagated write
 * stream, for command tests: {@code t.exec("SET", "k", "v")}.
 */
public final class TestEngine implements AutoCloseable {
    /** The clock; advance it to make keys expire. */
    public final ManualClock clock;
    /** The engine. */
    public final CellarEngine cellar;
    /** The client session commands run in. */
    public final Session session;
    /** Every propagated write, in order. */
    public final List<PropagatedWrite> propagated = Collections.synchronizedList(new ArrayList<>());
    /** Replies delivered late to {@link #session} (blocked commands). */
    public final List<Reply> lateReplies = Collections.synchronizedList(new ArrayList<>());

    private TestEngine(ManualClock clock, CellarConfig config) {
        this.clock = clock;
        this.cellar = new CellarEngine(config);
        this.session = cellar.newSession();
        session.setReplyListener(lateReplies::add);
        cellar.withLock(() -> {
            cellar.engine().addWriteListener(recorder);
            return null;
        });
    }

    private final java.util.function.Consumer<PropagatedWrite> recorder = propagated::add;

    /** An engine with default settings except the given name/value pairs. */
    public static TestEngine create(String... settings) {
        return create(new ManualClock(), settings);
    }

    /** An engine on the given clock with the given name/value pairs. */
    public static TestEngine create(ManualClock clock, String... settings) {
        CellarConfig.Builder b = CellarConfig.builder().clock(clock);
        for (int i = 0; i + 1 < settings.length; i += 2) {
            b.set(settings[i], settings[i + 1]);
        }
        b.set("hz", "1");
        return new TestEngine(clock, b.build());
    }

    /**
     * Stops recording the propagated stream (memory tests: the record itself would be measured).
     */
    public void stopRecording() {
        cellar.withLock(() -> {
            cellar.engine().removeWriteListener(recorder);
            return null;
        });
        propagated.clear();
    }

    /** Runs a command in the test session. */
    public Reply exec(String... argv) {
        byte[][] bytes = new byte[argv.length][];
        for (int i = 0; i < argv.length; i++) {
            bytes[i] = argv[i].getBytes(StandardCharsets.UTF_8);
        }
        return cellar.execute(session, bytes);
    }

    /** Runs a command with binary arguments in the test session. */
    public Reply exec(byte[]... argv) {
        return cellar.execute(session, argv);
    }

    /** Runs a command in a new session (another client). */
    public Reply execOther(Session other, String... argv) {
        byte[][] bytes = new byte[argv.length][];
        for (int i = 0; i < argv.length; i++) {
            bytes[i] = argv[i].getBytes(StandardCharsets.UTF_8);
        }
        return cellar.execute(other, bytes);
    }

    /** Runs the background cycle once (active expiry, blocked timeouts). */
    public void cron() {
        cellar.cron();
    }

    /** The propagated stream as text lines, for assertions: {@code "0 SET k v"}. */
    public List<String> propagatedText() {
        List<String> out = new ArrayList<>();
        synchronized (propagated) {
            for (PropagatedWrite w : propagated) {
                StringBuilder sb = new StringBuilder().append(w.db());
                for (byte[] a : w.argv()) {
                    sb.append(' ').append(new String(a, StandardCharsets.UTF_8));
                }
                out.add(sb.toString());
            }
        }
        return out;
    }

    /**
     * Replays the propagated stream into a fresh engine on a clock at the same time, as a log would
     * be loaded, and returns it.
     */
    public TestEngine replayPropagated() {
        TestEngine copy = create(new ManualClock(clock.currentTimeMillis()));
        Session s = copy.session;
        copy.cellar.withLock(() -> {
            copy.cellar.engine().setLoading(true);
            return null;
        });
        List<PropagatedWrite> writes;
        synchronized (propagated) {
            writes = new ArrayList<>(propagated);
        }
        for (PropagatedWrite w : writes) {
            copy.cellar.withLock(() -> {
                s.selectDb(w.db());
                return null;
            });
            Reply r = copy.cellar.withLock(() -> {
                var engine = copy.cellar.engine();
                var spec = engine.commands().get(new String(w.argv()[0], StandardCharsets.US_ASCII).toLowerCase());
                return engine.callTopLevel(s, spec, w.argv());
            });
            if (r instanceof Reply.Error e) {
                throw new AssertionError("replay of " + new String(w.argv()[0], StandardCharsets.UTF_8)
                        + " failed: " + e.message());
            }
        }
        copy.cellar.withLock(() -> {
            copy.cellar.engine().setLoading(false);
            return null;
        });
        copy.propagated.clear();
        return copy;
    }

    @Override
    public void close() {
        cellar.close();
    }
}
