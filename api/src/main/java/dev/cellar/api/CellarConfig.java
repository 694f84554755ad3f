package dev.cellar.api;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The configuration a store is opened with: settings under Redis's directive names
 * ({@code maxmemory}, {@code maxmemory-policy}, {@code databases}, {@code dir}, {@code hz}, ...)
 * plus the few things only an embedding program can give (the clock).
 *
 * <p>Names are case-insensitive and values are the strings {@code redis.conf} would hold, so a
 * server reading a config file and a program building one in code go through the same validation.
 * Unknown names are rejected when the store opens, with the name in the message.
 */
public final class CellarConfig {
    /** Setting that picks a persistence provider by name when several are present. */
    public static final String PERSISTENCE = "cellar-persistence";
    /** Setting that picks an expiry strategy by name. */
    public static final String EXPIRY_STRATEGY = "cellar-expiry-strategy";

    private final Map<String, String> settings;
    private final CellarClock clock;

    private CellarConfig(Map<String, String> settings, CellarClock clock) {
        this.settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        this.clock = clock;
    }

    /** A configuration with every setting at its default. */
    public static CellarConfig defaults() {
        return builder().build();
    }

    /** A builder for a configuration. */
    public static Builder builder() {
        return new Builder();
    }

    /** The explicit settings, lower-case name to value, in the order they were given. */
    public Map<String, String> settings() {
        return settings;
    }

    /** The explicit value of a setting, or {@code null} when it was not given. */
    public String get(String name) {
        return settings.get(name.toLowerCase(Locale.ROOT));
    }

    /**
     * A yes/no setting (any case, surrounding blanks ignored), or {@code defaultValue} when it was
     * not given.
     *
     * @throws IllegalArgumentException naming the setting and its value, for anything but yes or no
     */
    public boolean getBoolean(String name, boolean defaultValue) {
        String v = get(name);
        if (v == null) {
            return defaultValue;
        }
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "yes" -> true;
            case "no" -> false;
            default -> throw new IllegalArgumentException(
                    "invalid '" + name + "' value '" + v + "' (expected: yes or no)");
        };
    }

    /** The clock the store reads time from. */
    public CellarClock clock() {
        return clock;
    }

    /** A builder for {@link CellarConfig}. */
    public static final class Builder {
        private final Map<String, String> settings = new LinkedHashMap<>();
        private CellarClock clock = CellarClock.SYSTEM;

        private Builder() {}

        /** Sets a setting by its Redis name; a later call for the same name wins. */
        public Builder set(String name, String value) {
            settings.put(name.toLowerCase(Locale.ROOT), Objects.requireNonNull(value, name));
            return this;
        }

        /** The working directory for persistence files ({@code dir}). */
        public Builder dir(Path dir) {
            return set("dir", dir.toString());
        }

        /** The number of databases ({@code databases}, 16 by default). */
        public Builder databases(int count) {
            return set("databases", Integer.toString(count));
        }

        /** The memory limit in bytes ({@code maxmemory}, 0 for none). */
        public Builder maxmemory(long bytes) {
            return set("maxmemory", Long.toString(bytes));
        }

        /** The eviction policy ({@code maxmemory-policy}). */
        public Builder maxmemoryPolicy(String policy) {
            return set("maxmemory-policy", policy);
        }

        /** The persistence provider to use, by its name, when several are present. */
        public Builder persistence(String providerName) {
            return set(PERSISTENCE, providerName);
        }

        /** The clock for expiry and eviction; tests pass a manual one. */
        public Builder clock(CellarClock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /** The configuration. */
        public CellarConfig build() {
            return new CellarConfig(settings, clock);
        }
    }
}
