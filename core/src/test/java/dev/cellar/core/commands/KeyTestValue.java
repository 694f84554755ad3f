package dev.cellar.core.commands;

import dev.cellar.core.engine.MemoryLayout;
import dev.cellar.core.testing.TestEngine;
import dev.cellar.core.values.RValue;
import dev.cellar.core.values.ValueType;
import dev.cellar.spi.persistence.DataValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A test-only collection value of any type, so the keyspace commands' type-dependent behaviour
 * (TYPE, SCAN TYPE, COPY's deep copy, SWAPDB's wake-ups) can be tested before the real types exist.
 */
final class KeyTestValue implements RValue {
    final ValueType type;
    final List<byte[]> elements = new ArrayList<>();

    KeyTestValue(ValueType type, String... elements) {
        this.type = type;
        for (String e : elements) {
            this.elements.add(e.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Adds {@code key} holding a value of {@code type} to database {@code db} of the engine. */
    static KeyTestValue insert(TestEngine t, int db, String key, ValueType type, String... elements) {
        KeyTestValue v = new KeyTestValue(type, elements);
        t.cellar.withLock(() -> {
            t.cellar.engine().db(db).add(key.getBytes(StandardCharsets.UTF_8), v);
            t.cellar.engine().settleMemory();
            return null;
        });
        return v;
    }

    @Override
    public ValueType type() {
        return type;
    }

    @Override
    public String encoding() {
        return "testenc";
    }

    @Override
    public long size() {
        return elements.size();
    }

    @Override
    public long memoryUsage() {
        long bytes = MemoryLayout.object(8) + MemoryLayout.array(elements.size(), MemoryLayout.REF);
        for (byte[] e : elements) {
            bytes += MemoryLayout.array(e.length, 1);
        }
        return bytes;
    }

    @Override
    public RValue copy() {
        KeyTestValue c = new KeyTestValue(type);
        for (byte[] e : elements) {
            c.elements.add(e.clone());
        }
        return c;
    }

    @Override
    public DataValue view() {
        return new DataValue.ListData() {
            @Override
            public String encoding() {
                return "testenc";
            }

            @Override
            public long size() {
                return elements.size();
            }

            @Override
            public void forEach(Consumer<byte[]> element) {
                elements.forEach(element);
            }
        };
    }
}
