package dev.cellar.server;

import dev.cellar.api.Reply;
import dev.cellar.core.engine.CommandTable;
import dev.cellar.core.engine.Ctx;
import dev.cellar.core.engine.KeyspaceListener;
import dev.cellar.core.values.RValue;
import dev.cellar.core.values.ValueType;
import dev.cellar.spi.persistence.DataValue;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Consumer;

/**
 * Test-only commands registered through the server's extra-commands hook: a one-key "list" and a
 * blocking pop over it, so the server's blocking wiring (late replies, held pipelines, timeouts,
 * disconnects) is tested before the list family lands. Shaped like LPUSH/BLPOP.
 */
final class TestCommands {
    private TestCommands() {}

    /** TPUSH key value [value ...] / TBLPOP key timeout-seconds. */
    static void register(CommandTable t) {
        t.add("tpush", -3, "write denyoom fast", 1, 1, 1, "list", TestCommands::tpush);
        t.add("tblpop", 3, "write blocking", 1, 1, 1, "list", TestCommands::tblpop);
    }

    static Reply tpush(Ctx ctx) {
        TestList list = ctx.lookupWrite(ctx.arg(1), TestList.class);
        boolean created = list == null;
        if (created) {
            list = new TestList();
        }
        for (int i = 2; i < ctx.argc(); i++) {
            list.items.addLast(ctx.arg(i));
        }
        if (created) {
            ctx.db().add(ctx.arg(1), list);
        }
        ctx.signalModified(ctx.arg(1));
        ctx.notify(KeyspaceListener.LIST, "lpush", ctx.arg(1));
        ctx.dirty(ctx.argc() - 2);
        return Reply.of(list.items.size());
    }

    static Reply tblpop(Ctx ctx) {
        byte[] key = ctx.arg(1);
        TestList list = ctx.lookupWrite(key, TestList.class);
        if (list != null) {
            byte[] v = list.items.pollFirst();
            if (list.items.isEmpty()) {
                ctx.db().delete(key);
            }
            ctx.dirty(1);
            return Reply.array(List.of(Reply.bulk(key), Reply.bulk(v)));
        }
        if (!ctx.mayBlock()) {
            return Reply.NULL_ARRAY;
        }
        long timeoutMillis = (long) (ctx.doubleArg(2) * 1000);
        return ctx.block(ValueType.LIST, List.of(key), timeoutMillis, Reply.NULL_ARRAY);
    }

    /** A minimal list value. */
    static final class TestList implements RValue, DataValue.ListData {
        final ArrayDeque<byte[]> items = new ArrayDeque<>();

        @Override
        public ValueType type() {
            return ValueType.LIST;
        }

        @Override
        public String encoding() {
            return "quicklist";
        }

        @Override
        public long size() {
            return items.size();
        }

        @Override
        public long memoryUsage() {
            return 64 + items.size() * 32L;
        }

        @Override
        public RValue copy() {
            TestList c = new TestList();
            c.items.addAll(items);
            return c;
        }

        @Override
        public DataValue view() {
            return this;
        }

        @Override
        public void forEach(Consumer<byte[]> element) {
            items.forEach(element);
        }
    }
}
