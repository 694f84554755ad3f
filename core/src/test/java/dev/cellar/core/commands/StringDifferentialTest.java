package dev.cellar.core.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.core.testing.Differential;
import dev.cellar.core.testing.Differential.Cmd;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The string family against the real Redis: thousands of seeded random commands over a few keys.
 *
 * <p>Deliberate limits: WRONGTYPE is not exercised here (this branch has no collection commands to
 * create such keys; StringCommandsTest covers it); relative expiries are compared within a
 * tolerance, and the run ends by giving every key the same absolute expiry so that the final data
 * sets, which compare expiry times exactly, do not depend on the milliseconds between the servers.
 */
class StringDifferentialTest {
    private static final String[] KEYS = {"a", "b", "c", "d", "e"};
    private static final String FAR_FUTURE_MS = "4102444800000";

    @Test
    void mixedStringCommandsAgreeWithRedis() throws Exception {
        assertAgrees(1, 6000, StringDifferentialTest::anyCommand);
    }

    @Test
    void counterAndFloatCommandsAgreeWithRedis() throws Exception {
        assertAgrees(2, 4000, StringDifferentialTest::counterCommand);
    }

    @Test
    void bitmapCommandsAgreeWithRedis() throws Exception {
        assertAgrees(3, 4000, StringDifferentialTest::bitmapCommand);
    }

    @Test
    void bitfieldCommandsAgreeWithRedis() throws Exception {
        assertAgrees(4, 5000, StringDifferentialTest::bitfieldCommand);
    }

    @Test
    void lcsAgreesWithRedis() throws Exception {
        assertAgrees(5, 3000, StringDifferentialTest::lcsCommand);
    }

    private static void assertAgrees(long seed, int count, Function<Random, Cmd> generator) throws Exception {
        int[] issued = {0};
        List<String> mismatches = Differential.run(seed, count, r -> {
            int i = issued[0]++;
            if (i >= count - KEYS.length) {
                return Cmd.exact("GETEX", KEYS[i - (count - KEYS.length)], "PXAT", FAR_FUTURE_MS);
            }
            return generator.apply(r);
        });
        assertThat(mismatches).as(Differential.report(mismatches)).isEmpty();
    }

    // ------------------------------------------------------------------ generators

    private static String key(Random r) {
        return KEYS[r.nextInt(KEYS.length)];
    }

    private static String value(Random r) {
        return switch (r.nextInt(8)) {
            case 0 -> Integer.toString(r.nextInt(2000) - 1000);
            case 1 -> Long.toString(r.nextLong());
            case 2 -> "";
            case 3 -> "x".repeat(r.nextInt(60));
            case 4 -> decimal(r);
            case 5 -> "007";
            default -> "v" + r.nextInt(100);
        };
    }

    /** A number as text in the many forms INCRBYFLOAT accepts (and a few it refuses). */
    static String decimal(Random r) {
        return switch (r.nextInt(12)) {
            case 0 -> Integer.toString(r.nextInt(200) - 100);
            case 1 -> (r.nextBoolean() ? "-" : "") + r.nextInt(1000) + "." + r.nextInt(1000);
            case 2 -> (r.nextInt(20) - 10) + "e" + (r.nextInt(20) - 5);
            case 3 -> Double.toString((r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(40) - 20));
            case 4 -> List.of("0.1", "0.2", "0.3", "-0.1", "1e5", "1E-5", ".5", "5.", "+1.5", "-0", "0x1p-3",
                    "0X1.8P3", "1e", "abc", " 1", "1 ", "inf", "-inf", "nan", "1e-4940", "1e4932", "1e-5000",
                    "3.0000000000000000001", "9223372036854775807", "-9223372036854775808")
                    .get(r.nextInt(25));
            case 5 -> "0." + Long.toString(Math.abs(r.nextLong()));
            case 6 -> String.format("%.20f", (r.nextDouble() - 0.5) * 1000);
            case 7 -> r.nextInt(10) + "." + r.nextInt(1_000_000) + "e" + (r.nextInt(600) - 300);
            case 8 -> Long.toString(r.nextLong());
            case 9 -> "1e" + (4920 + r.nextInt(20));
            case 10 -> "0.0000000000000000" + r.nextInt(100);
            default -> Double.toString(r.nextGaussian());
        };
    }

    private static String index(Random r) {
        return Integer.toString(r.nextInt(30) - 15);
    }

    private static Cmd anyCommand(Random r) {
        String k = key(r);
        return switch (r.nextInt(30)) {
            case 0, 1 -> Cmd.exact("SET", k, value(r));
            case 2 -> Cmd.exact("GET", k);
            case 3 -> getex(r, k);
            case 4 -> Cmd.exact("GETDEL", k);
            case 5 -> Cmd.exact("GETSET", k, value(r));
            case 6 -> Cmd.exact("MGET", k, key(r), "nokey", key(r));
            case 7 -> Cmd.exact("MSET", k, value(r), key(r), value(r));
            case 8 -> Cmd.exact("MSETNX", k, value(r), key(r), value(r));
            case 9 -> r.nextInt(10) == 0 ? Cmd.exact("MSET", k, "1", key(r)) : Cmd.exact("APPEND", k, value(r));
            case 10 -> Cmd.exact("STRLEN", k);
            case 11 -> Cmd.exact("GETRANGE", k, index(r), index(r));
            case 12 -> Cmd.exact("SUBSTR", k, index(r), r.nextBoolean() ? "-1" : "abc");
            case 13 -> Cmd.exact("SETRANGE", k, Integer.toString(r.nextInt(40) - 2), r.nextBoolean() ? "" : value(r));
            case 14, 15 -> counterCommand(r);
            case 16, 17 -> bitmapCommand(r);
            case 18 -> Cmd.exact("DEL", k);
            case 19 -> Cmd.exact("EXISTS", k);
            case 20 -> Cmd.approx(200, "PEXPIRETIME", k);
            case 21 -> Cmd.exact("SET", k, value(r), "PXAT", Long.toString(r.nextBoolean() ? 1 : 4_000_000_000_000L));
            case 22 -> Cmd.exact("SET", k, value(r), "KEEPTTL");
            case 23 -> Cmd.exact("GETEX", k, "PERSIST");
            default -> Cmd.exact("GET", k);
        };
    }

    private static Cmd getex(Random r, String k) {
        return switch (r.nextInt(12)) {
            case 0 -> Cmd.exact("GETEX", k);
            case 1 -> Cmd.exact("GETEX", k, "EX", Integer.toString(r.nextInt(4) * 100 - 1));
            case 2 -> Cmd.exact("GETEX", k, "PX", Integer.toString(r.nextInt(4) * 100_000 - 1));
            case 3 -> Cmd.exact("GETEX", k, "EXAT", r.nextBoolean() ? "1" : "4000000000");
            case 4 -> Cmd.exact("GETEX", k, "PXAT", r.nextBoolean() ? Integer.toString(r.nextInt(1000)) : "4000000000001");
            case 5 -> Cmd.exact("GETEX", k, "PERSIST");
            case 6 -> Cmd.exact("GETEX", k, "EX", "100", "PX", "100");
            case 7 -> Cmd.exact("GETEX", k, "PERSIST", "EX", "10");
            case 8 -> Cmd.exact("GETEX", k, "EX");
            case 9 -> Cmd.exact("GETEX", k, "EX", "abc");
            case 10 -> Cmd.exact("GETEX", k, "EX", "9223372036854775807");
            default -> Cmd.exact("GETEX", k, "FOO");
        };
    }

    private static Cmd counterCommand(Random r) {
        String k = key(r);
        return switch (r.nextInt(14)) {
            case 0 -> Cmd.exact("INCR", k);
            case 1 -> Cmd.exact("DECR", k);
            case 2 -> Cmd.exact("INCRBY", k, Integer.toString(r.nextInt(2000) - 1000));
            case 3 -> Cmd.exact("DECRBY", k, Integer.toString(r.nextInt(2000) - 1000));
            case 4 -> Cmd.exact("INCRBY", k, r.nextBoolean() ? "9223372036854775807" : "-9223372036854775808");
            case 5 -> Cmd.exact("DECRBY", k, r.nextBoolean() ? "9223372036854775807" : "-9223372036854775808");
            case 6 -> Cmd.exact("INCRBY", k, List.of("1.5", "abc", "", "+1", "01", " 1").get(r.nextInt(6)));
            case 7 -> Cmd.exact("SET", k, List.of("9223372036854775806", "-9223372036854775807", "10", "1.5",
                    "abc", "007", "-0", "").get(r.nextInt(8)));
            case 8, 9, 10 -> Cmd.exact("INCRBYFLOAT", k, decimal(r));
            case 11 -> Cmd.exact("SET", k, decimal(r));
            case 12 -> Cmd.exact("GET", k);
            default -> Cmd.exact("SET", k, Long.toString(r.nextLong()), "PXAT", "4000000000000");
        };
    }

    private static Cmd bitmapCommand(Random r) {
        String k = key(r);
        return switch (r.nextInt(16)) {
            case 0, 1 -> Cmd.exact("SETBIT", k, Integer.toString(r.nextInt(120)), Integer.toString(r.nextInt(2)));
            case 2 -> Cmd.exact("SETBIT", k, List.of("-1", "abc", "4294967296", "1.5").get(r.nextInt(4)),
                    r.nextInt(6) == 0 ? "2" : "1");
            case 3 -> Cmd.exact("GETBIT", k, Integer.toString(r.nextInt(140) - (r.nextInt(20) == 0 ? 150 : 0)));
            case 4 -> Cmd.exact("BITCOUNT", k);
            case 5 -> Cmd.exact("BITCOUNT", k, index(r), index(r));
            case 6 -> Cmd.exact("BITCOUNT", k, Integer.toString(r.nextInt(160) - 80), Integer.toString(r.nextInt(160) - 80),
                    r.nextInt(5) == 0 ? "BYTE" : r.nextInt(8) == 0 ? "bits" : "BIT");
            case 7 -> Cmd.exact("BITCOUNT", k, index(r));
            case 8 -> Cmd.exact("BITPOS", k, Integer.toString(r.nextInt(2)));
            case 9 -> Cmd.exact("BITPOS", k, Integer.toString(r.nextInt(2)), index(r));
            case 10 -> Cmd.exact("BITPOS", k, Integer.toString(r.nextInt(2)), index(r), index(r));
            case 11 -> Cmd.exact("BITPOS", k, Integer.toString(r.nextInt(r.nextInt(10) == 0 ? 3 : 2)),
                    Integer.toString(r.nextInt(160) - 80), Integer.toString(r.nextInt(160) - 80),
                    r.nextInt(5) == 0 ? "BYTE" : "BIT");
            case 12 -> Cmd.exact("BITOP", List.of("AND", "OR", "XOR", "and", "nand").get(r.nextInt(5)), k, key(r),
                    key(r), r.nextBoolean() ? key(r) : "nokey");
            case 13 -> Cmd.exact("BITOP", "NOT", k, r.nextInt(8) == 0 ? "nokey" : key(r));
            case 14 -> Cmd.exact("SET", k, List.of("\u00ff\u00f0", "foobar", "", "123", "\u0001").get(r.nextInt(5)));
            default -> Cmd.exact("GET", k);
        };
    }

    private static String bitfieldType(Random r) {
        return switch (r.nextInt(12)) {
            case 0 -> "i64";
            case 1 -> "u63";
            case 2 -> List.of("u64", "i65", "i0", "x8", "u", "i-1", "I8", "u8.5").get(r.nextInt(8));
            case 3 -> "i1";
            case 4 -> "u1";
            default -> (r.nextBoolean() ? "i" : "u") + (1 + r.nextInt(40));
        };
    }

    private static String bitfieldOffset(Random r) {
        return switch (r.nextInt(10)) {
            case 0 -> "#" + r.nextInt(6);
            case 1 -> List.of("-1", "abc", "#-1", "#", "4294967296", "1.5").get(r.nextInt(6));
            default -> Integer.toString(r.nextInt(100));
        };
    }

    private static String bitfieldValue(Random r) {
        return switch (r.nextInt(8)) {
            case 0 -> Long.toString(r.nextLong());
            case 1 -> List.of("9223372036854775807", "-9223372036854775808", "abc", "1.5", "").get(r.nextInt(5));
            case 2 -> Integer.toString(r.nextInt(2000) - 1000);
            default -> Integer.toString(r.nextInt(300) - 150);
        };
    }

    /** BITFIELD and BITFIELD_RO with every subcommand, overflow mode and type, valid or not. */
    private static Cmd bitfieldCommand(Random r) {
        String k = key(r);
        if (r.nextInt(12) == 0) {
            return Cmd.exact("SET", k, List.of("\u00ff\u00f0", "foobar", "", "123", "\u0001").get(r.nextInt(5)));
        }
        if (r.nextInt(12) == 0) {
            return Cmd.exact("GET", k);
        }
        boolean ro = r.nextInt(5) == 0;
        List<String> argv = new java.util.ArrayList<>(List.of(ro ? "BITFIELD_RO" : "BITFIELD", k));
        int ops = r.nextInt(4);
        for (int i = 0; i < ops; i++) {
            switch (r.nextInt(ro ? 2 : 5)) {
                case 0 -> argv.addAll(List.of(r.nextBoolean() ? "GET" : "get", bitfieldType(r), bitfieldOffset(r)));
                case 1 -> argv.addAll(List.of("OVERFLOW", List.of("WRAP", "SAT", "FAIL", "fail", "nope").get(r.nextInt(5))));
                case 2 -> argv.addAll(List.of("SET", bitfieldType(r), bitfieldOffset(r), bitfieldValue(r)));
                default -> argv.addAll(List.of("INCRBY", bitfieldType(r), bitfieldOffset(r), bitfieldValue(r)));
            }
        }
        if (r.nextInt(30) == 0) {
            argv.add(List.of("GET", "SET", "bogus").get(r.nextInt(3))); // too few arguments
        }
        if (ro && r.nextInt(6) == 0) {
            argv.addAll(List.of("SET", "u8", "0", "1"));
        }
        return Cmd.exact(argv.toArray(new String[0]));
    }

    /** LCS over short strings of a small alphabet (many long common runs), with every option. */
    private static Cmd lcsCommand(Random r) {
        if (r.nextInt(3) == 0) {
            StringBuilder sb = new StringBuilder();
            int n = r.nextInt(r.nextInt(8) == 0 ? 200 : 30);
            for (int i = 0; i < n; i++) {
                sb.append("abcd".charAt(r.nextInt(r.nextBoolean() ? 2 : 4)));
            }
            return r.nextInt(15) == 0 ? Cmd.exact("SET", key(r), Integer.toString(r.nextInt(100000)))
                    : Cmd.exact("SET", key(r), sb.toString());
        }
        if (r.nextInt(20) == 0) {
            return Cmd.exact("RPUSH", "list", "x");
        }
        List<String> argv = new java.util.ArrayList<>(List.of("LCS", r.nextInt(15) == 0 ? "list" : key(r),
                r.nextInt(10) == 0 ? "nokey" : key(r)));
        int options = r.nextInt(4);
        for (int i = 0; i < options; i++) {
            switch (r.nextInt(r.nextInt(20) == 0 ? 6 : 5)) {
                case 0 -> argv.add("IDX");
                case 1 -> argv.add(r.nextInt(6) == 0 ? "LEN" : "idx");
                case 2 -> argv.add("WITHMATCHLEN");
                case 3, 4 -> argv.addAll(List.of("MINMATCHLEN",
                        List.of("0", "1", "2", "3", "4", "-5", "x").get(r.nextInt(7))));
                default -> argv.add(List.of("BOGUS", "MINMATCHLEN").get(r.nextInt(2)));
            }
        }
        return Cmd.exact(argv.toArray(new String[0]));
    }
}
