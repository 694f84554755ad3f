package dev.cellar.core.engine;

/** Redis 7.0's error strings that clients match on, in one place. */
public final class Errors {
    public static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
    public static final String SYNTAX = "ERR syntax error";
    public static final String NOT_INTEGER = "ERR value is not an integer or out of range";
    public static final String NOT_FLOAT = "ERR value is not a valid float";
    public static final String OVERFLOW = "ERR increment or decrement would overflow";
    public static final String NO_SUCH_KEY = "ERR no such key";
    public static final String OUT_OF_RANGE = "ERR index out of range";
    public static final String DB_INDEX = "ERR DB index is out of range";
    public static final String OOM = "OOM command not allowed when used memory > 'maxmemory'.";
    public static final String EXECABORT = "EXECABORT Transaction discarded because of previous errors.";
    public static final String NESTED_MULTI = "ERR MULTI calls can not be nested";
    public static final String EXEC_WITHOUT_MULTI = "ERR EXEC without MULTI";
    public static final String DISCARD_WITHOUT_MULTI = "ERR DISCARD without MULTI";
    public static final String WATCH_IN_MULTI = "ERR WATCH inside MULTI is not allowed";
    public static final String NOT_POSITIVE = "ERR value is out of range, must be positive";
    public static final String TIMEOUT_NOT_FLOAT = "ERR timeout is not a float or out of range";
    public static final String TIMEOUT_NEGATIVE = "ERR timeout is negative";
    public static final String INVALID_CURSOR = "ERR invalid cursor";
    public static final String SAME_OBJECT = "ERR source and destination objects are the same";

    private Errors() {}

    /** {@code ERR unknown command '<name>', with args beginning with: '<a>' '<b>' }, as Redis 7.0 words it. */
    public static String unknownCommand(byte[][] argv) {
        StringBuilder sb = new StringBuilder("ERR unknown command '")
                .append(Args.printable(argv[0], 128)).append("', with args beginning with: ");
        for (int i = 1; i < argv.length && sb.length() < 128; i++) {
            sb.append('\'').append(Args.printable(argv[i], 128 - sb.length())).append("' ");
        }
        return sb.toString();
    }

    /** {@code ERR wrong number of arguments for '<name>' command}. */
    public static String arity(String name) {
        return "ERR wrong number of arguments for '" + name + "' command";
    }

    /** {@code ERR unknown subcommand '<sub>'. Try <CMD> HELP.} */
    public static String unknownSubcommand(String command, byte[] sub) {
        return "ERR unknown subcommand '" + Args.printable(sub, 128) + "'. Try " + command.toUpperCase() + " HELP.";
    }

    /** {@code ERR invalid expire time in '<cmd>' command}. */
    public static String invalidExpire(String command) {
        return "ERR invalid expire time in '" + command + "' command";
    }
}
