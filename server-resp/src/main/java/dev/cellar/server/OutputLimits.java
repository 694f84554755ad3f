package dev.cellar.server;

import dev.cellar.core.engine.Settings;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code client-output-buffer-limit}: per client class, a hard limit and a soft limit that may be
 * exceeded for some seconds. A change names only the classes it changes, as in Redis.
 */
final class OutputLimits {
    /** One class's limits in bytes; 0 means none. */
    record Limit(long hard, long soft, long softSeconds) {}

    static final String DEFAULT = "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60";

    private final Map<String, Limit> limits = new LinkedHashMap<>();
    /** The two classes a connection asks for on every reply, kept out of the map. */
    private volatile Limit normal;
    private volatile Limit pubsub;

    OutputLimits() {
        apply(DEFAULT);
    }

    /** Applies a setting's text; throws IllegalArgumentException with Redis's reason when invalid. */
    void apply(String text) {
        String[] parts = text.trim().split("\\s+");
        if (text.isBlank() || parts.length % 4 != 0) {
            throw new IllegalArgumentException("Wrong number of arguments in buffer limit configuration.");
        }
        Map<String, Limit> changed = new LinkedHashMap<>();
        for (int i = 0; i < parts.length; i += 4) {
            String cls = parts[i].toLowerCase(Locale.ROOT);
            if (cls.equals("replica")) {
                cls = "slave";
            }
            if (!cls.equals("normal") && !cls.equals("slave") && !cls.equals("pubsub")) {
                throw new IllegalArgumentException("Invalid client class specified in buffer limit configuration.");
            }
            try {
                long hard = Settings.parseMemory(parts[i + 1]);
                long soft = Settings.parseMemory(parts[i + 2]);
                long seconds = Long.parseLong(parts[i + 3]);
                if (seconds < 0) {
                    throw new NumberFormatException();
                }
                changed.put(cls, new Limit(hard, soft, seconds));
            } catch (NumberFormatException | ArithmeticException e) {
                throw new IllegalArgumentException("Error in hard, soft or soft_seconds setting in buffer limit "
                        + "configuration.");
            }
        }
        limits.putAll(changed);
        normal = limits.get("normal");
        pubsub = limits.get("pubsub");
    }

    /** The limits of a normal or a Pub/Sub client. */
    Limit forClient(boolean pubsub) {
        return pubsub ? this.pubsub : normal;
    }

    /** Whether any class of client has a limit (else the check is skipped). */
    boolean any() {
        return limits.entrySet().stream().anyMatch(e -> !e.getKey().equals("slave")
                && (e.getValue().hard() > 0 || e.getValue().soft() > 0));
    }

    /** The setting's text as CONFIG GET shows it. */
    String text() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Limit> e : limits.entrySet()) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            Limit l = e.getValue();
            sb.append(e.getKey()).append(' ').append(l.hard()).append(' ').append(l.soft()).append(' ')
                    .append(l.softSeconds());
        }
        return sb.toString();
    }
}
