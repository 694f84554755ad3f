package dev.cellar.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

/** Design invariant 2: replaying the propagated stream on an empty engine gives the same data set. */
public final class ReplayCheck {
    private ReplayCheck() {}

    /** Replays {@code t}'s propagated writes into a fresh engine and compares the two data sets. */
    public static void assertReplayMatches(TestEngine t) {
        try (TestEngine copy = t.replayPropagated()) {
            Map<String, String> original = dump(t);
            Map<String, String> replayed = dump(copy);
            assertThat(replayed).as("data set rebuilt from the propagated stream").isEqualTo(original);
        }
    }

    /** A canonical dump of an engine's 16 databases. */
    public static Map<String, String> dump(TestEngine t) {
        dev.cellar.core.engine.Session s = t.cellar.newSession();
        return DatasetDump.of(t.cellar.databases(), (db, argv) -> {
            t.execOther(s, "SELECT", Integer.toString(db));
            return t.execOther(s, argv);
        });
    }
}
