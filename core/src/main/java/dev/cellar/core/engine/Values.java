package dev.cellar.core.engine;

import dev.cellar.core.values.RValue;
import dev.cellar.spi.persistence.DataValue;

/** Views of keyspace values as persistence engines see them. */
public final class Values {
    private Values() {}

    /** The {@link DataValue} of a keyspace value: strings are {@code byte[]} or {@link Long}, collections are {@link RValue}s. */
    public static DataValue view(Object value) {
        if (value instanceof RValue r) {
            return r.view();
        }
        if (value instanceof Long l) {
            return new StringView(Args.bytes(l), "int");
        }
        byte[] b = (byte[]) value;
        return new StringView(b, b.length <= Dict.EMBSTR_MAX ? "embstr" : "raw");
    }

    private record StringView(byte[] bytes, String encoding) implements DataValue.StringData {}
}
