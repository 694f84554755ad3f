package dev.cellar.core.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cellar.api.Cellar;
import dev.cellar.api.CellarConfig;
import dev.cellar.api.Reply;
import dev.cellar.core.engine.Providers;
import dev.cellar.spi.persistence.PersistenceProvider;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PersistenceHostTest {

    @Test
    void discoveryReportsABrokenProviderAndKeepsTheOthers() {
        Providers.Found<PersistenceProvider> found = Providers.discover(PersistenceProvider.class,
                PersistenceProvider::name);
        assertThat(found.byName()).containsKey("recording").doesNotContainKey("broken");
        assertThat(found.problems()).anySatisfy(p -> assertThat(p).contains("failed to load"));
    }

    @Test
    void withoutASettingNoProviderIsUsed() {
        try (Cellar cellar = Cellar.open(CellarConfig.defaults())) {
            cellar.database(0).set("a", "1");
        }
        assertThat(RecordingProvider.WRITES).noneMatch(w -> w.argv().length > 1
                && new String(w.argv()[1], StandardCharsets.UTF_8).equals("a") && !RecordingProvider.closed);
    }

    @Test
    void anUnknownProviderNameStopsTheStoreWithWhatWasFound() {
        assertThatThrownBy(() -> Cellar.open(CellarConfig.builder().persistence("nope").build()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no persistence provider named 'nope'")
                .hasMessageContaining("recording")
                .hasMessageContaining("broken on purpose");
    }

    @Test
    void theChosenProviderLoadsFirstThenReceivesTheWriteStreamInOrder() {
        RecordingProvider.toLoad = sink -> {
            sink.put(0, "loaded".getBytes(StandardCharsets.UTF_8), RecordingProvider.string("yes"), -1);
            sink.replay(3, new byte[][] {"SET".getBytes(), "replayed".getBytes(), "1".getBytes()});
        };
        try (Cellar cellar = Cellar.open(CellarConfig.builder().persistence("recording").build())) {
            assertThat(cellar.execute(0, "GET", "loaded")).isEqualTo(Reply.bulk("yes"));
            assertThat(cellar.execute(3, "GET", "replayed")).isEqualTo(Reply.bulk("1"));
            assertThat(RecordingProvider.WRITES).isEmpty();
            cellar.execute(2, "SET", "k", "v");
            cellar.execute(2, "DEL", "k");
            assertThat(RecordingProvider.WRITES).extracting(w -> w.db() + " " + new String(w.argv()[0]))
                    .containsExactly("2 SET", "2 DEL");
            assertThat(RecordingProvider.flushes).isGreaterThanOrEqualTo(2);
        } finally {
            RecordingProvider.toLoad = sink -> {};
        }
        assertThat(RecordingProvider.closed).isTrue();
    }

    /** Counts the clock's wall-time reads. */
    private static final class CountingClock implements dev.cellar.api.CellarClock {
        final dev.cellar.core.testing.ManualClock time = new dev.cellar.core.testing.ManualClock();
        final java.util.concurrent.atomic.AtomicLong reads = new java.util.concurrent.atomic.AtomicLong();

        @Override
        public long currentTimeMillis() {
            reads.incrementAndGet();
            return time.currentTimeMillis();
        }

        @Override
        public long nanoTime() {
            return time.nanoTime();
        }
    }

    @Test
    void aLoadReadsTheClockEveryThousandKeysNotForEachAndLoadedKeysAreFresh() {
        int keys = 20_000;
        CountingClock clock = new CountingClock();
        long[] readsDuringLoad = {0};
        RecordingProvider.toLoad = sink -> {
            long before = clock.reads.get();
            for (int i = 0; i < keys; i++) {
                sink.put(0, ("k" + i).getBytes(StandardCharsets.UTF_8), RecordingProvider.string("v"), -1);
                sink.replay(1, new byte[][] {"SET".getBytes(), ("r" + i).getBytes(), "1".getBytes()});
            }
            readsDuringLoad[0] = clock.reads.get() - before;
        };
        try (Cellar cellar = Cellar.open(CellarConfig.builder().persistence("recording").clock(clock).build())) {
            // 40,000 keys and commands: a read every 1,024 of each, not one each
            assertThat(readsDuringLoad[0]).isBetween(1L, 200L);
            clock.time.advance(10_000);
            assertThat(cellar.execute(0, "OBJECT", "IDLETIME", "k19999")).isEqualTo(Reply.of(10));
            assertThat(cellar.execute(1, "OBJECT", "IDLETIME", "r0")).isEqualTo(Reply.of(10));
            assertThat(cellar.execute(1, "DBSIZE")).isEqualTo(Reply.of(keys));
        } finally {
            RecordingProvider.toLoad = sink -> {};
        }
    }
}
