package dev.cellar.core.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.core.testing.Differential;
import dev.cellar.core.testing.Differential.Cmd;
import dev.cellar.core.testing.Differential.Compare;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The hash family against the real Redis: seeded random commands over a small key set.
 *
 * <p>Keys: {@code s0..s3} only ever receive short fields (16 names) and short values, so under the
 * default thresholds they stay listpacks and every ordered reply (HGETALL, HKEYS, HVALS, HSCAN) is
 * compared exactly, which checks that Cellar's listpack keeps Redis's insertion order. Keys
 * {@code l0..l2} get up to 200 field names and values or fields over 64 bytes, so they cross both
 * thresholds; their ordered replies are compared as unordered collections (hash-table order is an
 * implementation detail). {@code str} is a string, for WRONGTYPE. Random picks (HRANDFIELD) and
 * hashtable HSCAN pages are compared by shape; {@code HashEncodingDifferentialTest} checks full
 * HSCAN iterations and OBJECT ENCODING.
 */
class HashDifferentialTest {

    /** Generates hash commands; {@code allUnordered} when thresholds are changed during the run. */
    static final class Generator implements java.util.function.Function<Random, Cmd> {
        private final boolean allUnordered;
        private final boolean configChanges;

        Generator(boolean allUnordered, boolean configChanges) {
            this.allUnordered = allUnordered;
            this.configChanges = configChanges;
        }

        @Override
        public Cmd apply(Random r) {
            int kind = r.nextInt(20);
            boolean large = kind < 8;
            String key;
            if (r.nextInt(25) == 0) {
                key = "str";
            } else {
                key = large ? "l" + r.nextInt(3) : "s" + r.nextInt(4);
            }
            boolean ordered = !large && !allUnordered;
            String f = field(r, large);
            int op = r.nextInt(30);
            return switch (op) {
                case 0, 1, 2, 3 -> {
                    int pairs = 1 + r.nextInt(large ? 6 : 3);
                    String[] argv = new String[2 + pairs * 2];
                    argv[0] = r.nextInt(4) == 0 ? "HMSET" : "HSET";
                    argv[1] = key;
                    for (int i = 0; i < pairs; i++) {
                        argv[2 + 2 * i] = field(r, large);
                        argv[3 + 2 * i] = value(r, large);
                    }
                    if (r.nextInt(40) == 0) {
                        argv = java.util.Arrays.copyOf(argv, argv.length - 1); // odd count: arity error
                    }
                    yield Cmd.exact(argv);
                }
                case 4 -> Cmd.exact("HSETNX", key, f, value(r, large));
                case 5, 6 -> Cmd.exact("HGET", key, f);
                case 7 -> Cmd.exact("HMGET", key, f, field(r, large), field(r, large));
                case 8, 9 -> {
                    int n = 1 + r.nextInt(3);
                    String[] argv = new String[2 + n];
                    argv[0] = "HDEL";
                    argv[1] = key;
                    for (int i = 0; i < n; i++) {
                        argv[2 + i] = field(r, large);
                    }
                    yield Cmd.exact(argv);
                }
                case 10 -> Cmd.exact("HLEN", key);
                case 11 -> Cmd.exact("HSTRLEN", key, f);
                case 12 -> Cmd.exact("HEXISTS", key, f);
                case 13 -> ordered ? Cmd.exact("HKEYS", key) : Cmd.unordered("HKEYS", key);
                case 14 -> ordered ? Cmd.exact("HVALS", key) : Cmd.unordered("HVALS", key);
                case 15, 16 -> ordered ? Cmd.exact("HGETALL", key) : Cmd.of(Compare.UNORDERED_PAIRS, "HGETALL", key);
                case 17, 18 -> Cmd.exact("HINCRBY", key, f, pick(r, "1", "-1", "100", "-5000", "x", "1.5",
                        "9223372036854775807", "-9223372036854775808", "9223372036854775000"));
                case 19, 20 -> Cmd.exact("HINCRBYFLOAT", key, f, pick(r, "0.1", "0.2", "-0.3", "1.5", "1e3",
                        "2.5e-3", "0x1p-2", "-1e17", "3.14159", "1e-20", "abc", "inf", "", " 1", "1e5000",
                        // results longer than 64 bytes convert the hash: large keys only
                        large ? "1e70" : "7", large ? "-1e300" : "8", large ? "1e4932" : "9"));
                case 21, 22 -> randfield(r, key);
                case 23, 24 -> hscan(r, key, ordered);
                case 25 -> Cmd.exact("DEL", key);
                case 26 -> Cmd.exact("SET", "str", "v" + r.nextInt(3));
                case 27 -> Cmd.exact("TYPE", key);
                case 28 -> configChanges
                        ? Cmd.exact("CONFIG", "SET", pick(r, "hash-max-listpack-entries", "hash-max-ziplist-entries"),
                                pick(r, "0", "2", "4", "128"))
                        : Cmd.exact("HLEN", key);
                default -> configChanges
                        ? Cmd.exact("CONFIG", "SET", pick(r, "hash-max-listpack-value", "hash-max-ziplist-value"),
                                pick(r, "3", "8", "64"))
                        : Cmd.exact("EXISTS", key);
            };
        }

        private static Cmd randfield(Random r, String key) {
            return switch (r.nextInt(8)) {
                case 0 -> Cmd.of(Compare.SHAPE, "HRANDFIELD", key);
                case 1 -> Cmd.of(Compare.SHAPE, "HRANDFIELD", key, Integer.toString(r.nextInt(11) - 5));
                case 2 -> Cmd.of(Compare.SHAPE, "HRANDFIELD", key, Integer.toString(r.nextInt(11) - 5), "WITHVALUES");
                case 3 -> Cmd.of(Compare.SHAPE, "HRANDFIELD", key, Integer.toString(r.nextInt(300)), "withvalues");
                case 4 -> Cmd.of(Compare.SHAPE, "HRANDFIELD", key, Integer.toString(-r.nextInt(300)));
                case 5 -> Cmd.exact("HRANDFIELD", key, pick(r, "x", "-9223372036854775808", "1.0"));
                case 6 -> Cmd.exact("HRANDFIELD", key, "1", pick(r, "WITHVALUE", "x"));
                default -> Cmd.exact("HRANDFIELD", key, pick(r, "4611686018427387904", "-4611686018427387904"),
                        "WITHVALUES");
            };
        }

        private static Cmd hscan(Random r, String key, boolean ordered) {
            Compare ok = ordered ? Compare.EXACT : Compare.SHAPE;
            return switch (r.nextInt(8)) {
                case 0 -> Cmd.of(ok, "HSCAN", key, "0");
                case 1 -> Cmd.of(ok, "HSCAN", key, "0", "MATCH", pick(r, "f1*", "*", "f?", "F*", "*[0-4]"));
                case 2 -> Cmd.of(ok, "HSCAN", key, "0", "COUNT", Integer.toString(1 + r.nextInt(5)));
                case 3 -> Cmd.of(ok, "HSCAN", key, "0", "MATCH", "f*", "COUNT", "3");
                case 4 -> Cmd.exact("HSCAN", key, pick(r, "x", " 0", "-", "18446744073709551616"));
                case 5 -> Cmd.exact("HSCAN", key, "0", "COUNT", pick(r, "0", "-1", "x"));
                case 6 -> Cmd.exact("HSCAN", key, "0", pick(r, "TYPE", "MATCH", "COUNT", "NOPE"));
                default -> Cmd.of(ok, "HSCAN", key, pick(r, "", "-1", "+0", "00"));
            };
        }

        private static String field(Random r, boolean large) {
            if (large) {
                if (r.nextInt(60) == 0) {
                    return "F" + "x".repeat(64) + r.nextInt(3);
                }
                return "f" + r.nextInt(200);
            }
            return "f" + r.nextInt(16);
        }

        private static String value(Random r, boolean large) {
            return switch (r.nextInt(large ? 8 : 6)) {
                case 0 -> Integer.toString(r.nextInt(2000) - 1000);
                case 1 -> "v" + r.nextInt(100);
                case 2 -> pick(r, "0.5", "1e10", "abc", "-0", "9223372036854775807", "inf", "1 ", "");
                case 3 -> "x".repeat(r.nextInt(60));
                case 4, 5 -> Integer.toString(r.nextInt(10));
                case 6 -> "V".repeat(65 + r.nextInt(40));
                default -> "w" + r.nextInt(1000);
            };
        }

        private static String pick(Random r, String... options) {
            return options[r.nextInt(options.length)];
        }
    }

    @Test
    void defaultThresholdsAgreeWithRedis() throws Exception {
        List<String> mismatches = Differential.run(20240601, 6000, new Generator(false, false));
        assertThat(mismatches).as(Differential.report(mismatches)).isEmpty();
    }

    @Test
    void anotherSeedAgreesWithRedis() throws Exception {
        List<String> mismatches = Differential.run(777, 6000, new Generator(false, false));
        assertThat(mismatches).as(Differential.report(mismatches)).isEmpty();
    }

    @Test
    void smallAndChangingThresholdsAgreeWithRedis() throws Exception {
        List<String> mismatches = Differential.run(99, 6000, new Generator(true, true),
                "hash-max-listpack-entries", "4", "hash-max-listpack-value", "16");
        assertThat(mismatches).as(Differential.report(mismatches)).isEmpty();
    }

    /** Random decimal and hexadecimal numbers of every size, to hold the long double emulation to Redis. */
    static String randomNumber(Random r) {
        StringBuilder sb = new StringBuilder();
        if (r.nextInt(3) == 0) {
            sb.append(r.nextBoolean() ? '-' : '+');
        }
        if (r.nextInt(10) == 0) {
            sb.append("0x");
            int n = 1 + r.nextInt(20);
            for (int i = 0; i < n; i++) {
                sb.append(Character.forDigit(r.nextInt(16), 16));
                if (i == 0 && r.nextBoolean()) {
                    sb.append('.');
                }
            }
            return sb.append('p').append(r.nextInt(200) - 100).toString();
        }
        int digits = 1 + r.nextInt(r.nextBoolean() ? 6 : 30);
        int point = r.nextInt(digits + 1);
        for (int i = 0; i < digits; i++) {
            if (i == point) {
                sb.append('.');
            }
            sb.append((char) ('0' + r.nextInt(10)));
        }
        switch (r.nextInt(6)) {
            case 0 -> sb.append('e').append(r.nextInt(60) - 30);
            case 1 -> sb.append('E').append(r.nextInt(9900) - 4950);
            default -> { }
        }
        return sb.toString();
    }

    @Test
    void floatArithmeticAgreesWithRedis() throws Exception {
        List<String> mismatches = Differential.run(2718, 5000, r -> {
            String key = "fl" + r.nextInt(2);
            String field = "f" + r.nextInt(6);
            return switch (r.nextInt(6)) {
                case 0 -> Cmd.exact("HSET", key, field, randomNumber(r));
                case 1 -> Cmd.exact("HGET", key, field);
                default -> Cmd.exact("HINCRBYFLOAT", key, field, randomNumber(r));
            };
        });
        assertThat(mismatches).as(Differential.report(mismatches)).isEmpty();
    }
}
