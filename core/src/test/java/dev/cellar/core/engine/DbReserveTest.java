package dev.cellar.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.core.testing.TestEngine;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link Db#reserve}: a loader's RESIZEDB hint grows both tables once, before the keys arrive. */
class DbReserveTest {

    private static int capacityFor(long keys) {
        Dict d = new Dict();
        d.reserve(keys);
        return d.capacity();
    }

    @Test
    @DisplayName("reserving grows the key and expiry tables once, and the reserved keys then fit without growing them")
    void reserveGrowsOnce() {
        try (TestEngine t = TestEngine.create()) {
            Db db = t.cellar.engine().db(0);
            db.reserve(5000, 1200);
            int keys = db.dict().capacity();
            int expires = db.expires().capacity();
            assertThat(keys).isEqualTo(capacityFor(5000)).isGreaterThanOrEqualTo(5000 * 4 / 3);
            assertThat(expires).isEqualTo(capacityFor(1200)).isGreaterThanOrEqualTo(1200 * 4 / 3);
            for (int i = 0; i < 5000; i++) {
                byte[] key = ("key:" + i).getBytes();
                assertThat(db.loadString(key, "v".getBytes(), i < 1200 ? 4102444800000L : -1, -1)).isTrue();
            }
            assertThat(db.size()).isEqualTo(5000);
            assertThat(db.expiresSize()).isEqualTo(1200);
            assertThat(db.dict().capacity()).as("no resize while loading").isEqualTo(keys);
            assertThat(db.expires().capacity()).isEqualTo(expires);
        }
    }

    @Test
    @DisplayName("a hint of 2^40 keys is cut to a 128th of the heap, so the tables reserved stay under a quarter of it")
    void hugeHintBoundedByHeap() {
        assertThat(Db.reserveBound(4L << 30)).isEqualTo(32L << 20);
        long bound = Db.reserveBound(Runtime.getRuntime().maxMemory());
        int capacity = capacityFor(bound);
        assertThat((long) capacity * 12).as("table bytes").isLessThanOrEqualTo(Runtime.getRuntime().maxMemory() / 4);
        try (TestEngine t = TestEngine.create()) {
            Db db = t.cellar.engine().db(0);
            db.reserve(1L << 40, 0);
            assertThat(db.dict().capacity()).isEqualTo(capacity);
        }
    }

    @Test
    @DisplayName("a reservation counts the keys already there, and zero or negative hints change nothing")
    void reserveAddsToWhatIsThere() {
        try (TestEngine t = TestEngine.create()) {
            Db db = t.cellar.engine().db(0);
            int empty = db.dict().capacity();
            db.reserve(0, 0);
            db.reserve(-5, -1);
            assertThat(db.dict().capacity()).isEqualTo(empty);
            assertThat(db.expires().capacity()).isEqualTo(empty);
            for (int i = 0; i < 100; i++) {
                db.loadString(("k" + i).getBytes(), "v".getBytes(), -1, -1);
            }
            db.reserve(100, 0);
            assertThat(db.dict().capacity()).isEqualTo(capacityFor(200));
        }
    }
}
