package dev.cellar.core.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.api.CellarConfig;
import dev.cellar.api.Reply;
import dev.cellar.core.CellarEngine;
import dev.cellar.core.engine.Ctx;
import dev.cellar.core.engine.Session;
import dev.cellar.core.engine.Settings;
import dev.cellar.core.testing.ManualClock;
import dev.cellar.core.values.ValueType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SWAPDB wakes clients blocked on keys that the swap gave a list or sorted set, as Redis does. */
class KeySwapdbBlockingTest {
    private final CellarEngine cellar = new CellarEngine(
            CellarConfig.builder().clock(new ManualClock()).set("hz", "1").build(), Settings.engineDefaults(),
            table -> table.add("testblock", 2, "write", 1, 1, 1, "list", KeySwapdbBlockingTest::testBlock));

    /** Serves when the key holds a list or sorted set; blocks otherwise (a stand-in for BLPOP). */
    private static Reply testBlock(Ctx ctx) {
        ValueType type = ctx.db().typeOf(ctx.arg(1));
        if (type == ValueType.LIST || type == ValueType.ZSET) {
            return Reply.bulk("served " + type.redisName());
        }
        return ctx.block(ValueType.LIST, List.of(ctx.arg(1)), 0, Reply.NULL_ARRAY);
    }

    @AfterEach
    void close() {
        cellar.close();
    }

    private static byte[][] argv(String... a) {
        byte[][] out = new byte[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i].getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }

    @Test
    void swapdbServesAClientBlockedOnAKeyThatNowHoldsAList() {
        Session blocked = cellar.newSession();
        List<Reply> late = new ArrayList<>();
        blocked.setReplyListener(late::add);
        assertThat(cellar.execute(blocked, argv("testblock", "q"))).isSameAs(Session.BLOCKED);
        cellar.withLock(() -> {
            cellar.engine().db(1).add("q".getBytes(), new KeyTestValue(ValueType.LIST, "x"));
            return null;
        });
        assertThat(late).isEmpty();
        Session other = cellar.newSession();
        assertThat(cellar.execute(other, argv("SWAPDB", "0", "1"))).isEqualTo(Reply.OK);
        assertThat(late).containsExactly(Reply.bulk("served list"));
    }

    @Test
    void swapdbLeavesAClientBlockedWhenTheKeyNowHoldsAString() {
        Session blocked = cellar.newSession();
        List<Reply> late = new ArrayList<>();
        blocked.setReplyListener(late::add);
        cellar.execute(blocked, argv("testblock", "q"));
        Session other = cellar.newSession();
        cellar.execute(other, argv("SELECT", "1"));
        cellar.execute(other, argv("SET", "q", "str"));
        cellar.execute(other, argv("SWAPDB", "0", "1"));
        assertThat(late).isEmpty();
        assertThat(cellar.withLock(() -> cellar.engine().blockedClients())).isEqualTo(1);
    }
}
