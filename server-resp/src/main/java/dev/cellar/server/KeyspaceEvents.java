package dev.cellar.server;

/**
 * {@code notify-keyspace-events} flags, as Redis's {@code keyspaceEventsStringToFlags}: K and E
 * choose the channels ({@code __keyspace@db__:key}, {@code __keyevent@db__:event}), the other
 * letters the classes of event.
 */
final class KeyspaceEvents {
    static final int KEYSPACE = 1;
    static final int KEYEVENT = 1 << 1;
    static final int GENERIC = 1 << 2;
    static final int STRING = 1 << 3;
    static final int LIST = 1 << 4;
    static final int SET = 1 << 5;
    static final int HASH = 1 << 6;
    static final int ZSET = 1 << 7;
    static final int EXPIRED = 1 << 8;
    static final int EVICTED = 1 << 9;
    static final int STREAM = 1 << 10;
    static final int KEY_MISS = 1 << 11;
    static final int MODULE = 1 << 12;
    static final int NEW = 1 << 13;
    static final int ALL = GENERIC | STRING | LIST | SET | HASH | ZSET | EXPIRED | EVICTED | STREAM | MODULE;

    private KeyspaceEvents() {}

    /** The flags of a setting; IllegalArgumentException for an unknown letter. */
    static int parse(String text) {
        int flags = 0;
        for (char c : text.toCharArray()) {
            flags |= switch (c) {
                case 'A' -> ALL;
                case 'g' -> GENERIC;
                case '$' -> STRING;
                case 'l' -> LIST;
                case 's' -> SET;
                case 'h' -> HASH;
                case 'z' -> ZSET;
                case 'x' -> EXPIRED;
                case 'e' -> EVICTED;
                case 'K' -> KEYSPACE;
                case 'E' -> KEYEVENT;
                case 't' -> STREAM;
                case 'm' -> KEY_MISS;
                case 'd' -> MODULE;
                case 'n' -> NEW;
                default -> throw new IllegalArgumentException("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
            };
        }
        return flags;
    }

    /** The flag of an event class character as the engine reports it, or 0. */
    static int ofType(char type) {
        return switch (type) {
            case 'g' -> GENERIC;
            case '$' -> STRING;
            case 'l' -> LIST;
            case 's' -> SET;
            case 'h' -> HASH;
            case 'z' -> ZSET;
            case 'x' -> EXPIRED;
            case 'e' -> EVICTED;
            case 'n' -> NEW;
            case 't' -> STREAM;
            case 'm' -> KEY_MISS;
            default -> 0;
        };
    }
}
