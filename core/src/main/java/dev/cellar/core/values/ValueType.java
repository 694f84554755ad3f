package dev.cellar.core.values;

/** The five value types, with the names {@code TYPE} and {@code SCAN ... TYPE} use. */
public enum ValueType {
    STRING("string"),
    LIST("list"),
    SET("set"),
    ZSET("zset"),
    HASH("hash");

    private final String redisName;

    ValueType(String redisName) {
        this.redisName = redisName;
    }

    /** The name Redis uses. */
    public String redisName() {
        return redisName;
    }

    /** The type of a keyspace value ({@code byte[]} and {@code Long} are strings). */
    public static ValueType of(Object value) {
        if (value instanceof RValue r) {
            return r.type();
        }
        return STRING;
    }
}
