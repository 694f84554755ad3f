package dev.cellar.core.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.core.testing.Differential;
import dev.cellar.core.testing.Differential.Cmd;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The GEO commands against the real Redis: thousands of seeded random GEOADDs (near a few cities,
 * near the poles' limits and the antimeridian) and every search form, with every option, compared
 * reply for reply, in order (unsorted searches come in the order Redis's cells are scanned), with
 * stored results compared through ZRANGE WITHSCORES and the final data set. Distances stored as
 * scores (STOREDIST) are compared by member only: their 17th digit comes from the platform's sine
 * and cosine, which differ from the C library's in the last bit now and then.
 */
class GeoDifferentialTest {
    private static final double[][] CENTRES = {{13.361389, 38.115556}, {15.087269, 37.502669}, {-0.1278, 51.5074},
        {179.99, 0.5}, {-179.99, -0.5}, {2.35, 85.0}, {0, -84.9}, {139.69, 35.69}};

    private static String coordinate(double v) {
        return String.format(Locale.ROOT, "%.6f", v);
    }

    /** A position near one of the centres, within about {@code spread} degrees, kept in range. */
    private static double[] near(Random r, double spread) {
        double[] c = CENTRES[r.nextInt(CENTRES.length)];
        double lon = Math.max(-180, Math.min(180, c[0] + (r.nextDouble() - 0.5) * spread));
        double lat = Math.max(-85.05, Math.min(85.05, c[1] + (r.nextDouble() - 0.5) * spread));
        return new double[] {lon, lat};
    }

    private static String unit(Random r) {
        return List.of("m", "km", "mi", "ft", "KM", "yd").get(r.nextInt(r.nextInt(20) == 0 ? 6 : 5));
    }

    private static String radius(Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> "0";
            case 1 -> Integer.toString(r.nextInt(2000));
            case 2 -> Integer.toString(r.nextInt(5_000_000));
            default -> Integer.toString(r.nextInt(300_000));
        };
    }

    private static void options(Random r, List<String> argv, boolean store) {
        if (!store) {
            for (String with : List.of("WITHDIST", "WITHCOORD", "WITHHASH")) {
                if (r.nextInt(3) == 0) {
                    argv.add(with);
                }
            }
        }
        if (r.nextInt(3) == 0) {
            argv.addAll(List.of("COUNT", Integer.toString(1 + r.nextInt(6))));
            if (r.nextInt(4) == 0) {
                argv.add("ANY");
            }
        }
        if (r.nextInt(2) == 0) {
            argv.add(r.nextBoolean() ? "ASC" : "DESC");
        }
    }

    private static Cmd command(Random r, int[] added) {
        String key = r.nextInt(10) == 0 ? "nokey" : "g";
        switch (r.nextInt(14)) {
            case 0, 1, 2, 3 -> {
                List<String> argv = new ArrayList<>(List.of("GEOADD", "g"));
                if (r.nextInt(8) == 0) {
                    argv.add(List.of("NX", "XX", "CH").get(r.nextInt(3)));
                }
                int n = 1 + r.nextInt(4);
                for (int i = 0; i < n; i++) {
                    double[] p = near(r, r.nextInt(4) == 0 ? 20 : 2);
                    argv.addAll(List.of(coordinate(p[0]), coordinate(p[1]), "m" + (added[0]++)));
                }
                if (r.nextInt(40) == 0) {
                    argv.set(argv.size() - 2, "86"); // latitude out of range
                }
                return Cmd.exact(argv.toArray(new String[0]));
            }
            case 4 -> {
                return Cmd.exact("GEOPOS", key, "m" + r.nextInt(added[0] + 1), "m" + r.nextInt(added[0] + 1), "none");
            }
            case 5 -> {
                return Cmd.exact("GEODIST", key, "m" + r.nextInt(added[0] + 1), "m" + r.nextInt(added[0] + 1),
                        unit(r));
            }
            case 6 -> {
                return Cmd.exact("GEOHASH", key, "m" + r.nextInt(added[0] + 1), "none");
            }
            case 7, 8 -> {
                boolean ro = r.nextInt(4) == 0;
                boolean store = !ro && r.nextInt(4) == 0;
                double[] p = near(r, 4);
                List<String> argv = new ArrayList<>(List.of(ro ? "GEORADIUS_RO" : "GEORADIUS", key,
                        coordinate(p[0]), coordinate(p[1]), radius(r), unit(r)));
                options(r, argv, store);
                if (store) {
                    argv.addAll(r.nextBoolean() ? List.of("STORE", "dst") : List.of("STOREDIST", "dstd"));
                }
                return Cmd.exact(argv.toArray(new String[0]));
            }
            case 9 -> {
                boolean ro = r.nextInt(4) == 0;
                boolean store = !ro && r.nextInt(4) == 0;
                List<String> argv = new ArrayList<>(List.of(ro ? "GEORADIUSBYMEMBER_RO" : "GEORADIUSBYMEMBER", key,
                        "m" + r.nextInt(added[0] + 1), radius(r), unit(r)));
                options(r, argv, store);
                if (store) {
                    argv.addAll(r.nextBoolean() ? List.of("STORE", "dst") : List.of("STOREDIST", "dstd"));
                }
                return Cmd.exact(argv.toArray(new String[0]));
            }
            case 10, 11 -> {
                boolean store = r.nextInt(3) == 0;
                boolean storeDist = store && r.nextBoolean();
                List<String> argv = new ArrayList<>(store ? List.of("GEOSEARCHSTORE", storeDist ? "dstd" : "dst", key)
                        : List.of("GEOSEARCH", key));
                if (r.nextBoolean()) {
                    argv.addAll(List.of("FROMMEMBER", "m" + r.nextInt(added[0] + 1)));
                } else {
                    double[] p = near(r, 4);
                    argv.addAll(List.of("FROMLONLAT", coordinate(p[0]), coordinate(p[1])));
                }
                if (r.nextBoolean()) {
                    argv.addAll(List.of("BYRADIUS", radius(r), unit(r)));
                } else {
                    argv.addAll(List.of("BYBOX", radius(r), radius(r), unit(r)));
                }
                options(r, argv, store);
                if (storeDist) {
                    argv.add("STOREDIST");
                }
                return Cmd.exact(argv.toArray(new String[0]));
            }
            case 12 -> {
                // distances are compared to their 4th decimal (GEODIST, WITHDIST): a stored one as a
                // score has all 17 digits, and the last may differ from the C library's sin and cos
                return r.nextBoolean() ? Cmd.exact("ZRANGE", "dst", "0", "-1", "WITHSCORES")
                        : Cmd.exact("ZRANGE", "dstd", "0", "-1");
            }
            default -> {
                return switch (r.nextInt(5)) {
                    case 0 -> Cmd.exact("GEOSEARCH", "g", "FROMLONLAT", "0", "0");
                    case 1 -> Cmd.exact("GEOSEARCH", "g", "BYRADIUS", "1", "km");
                    case 2 -> Cmd.exact("GEORADIUS", "g", "0", "0", "-1", "km");
                    case 3 -> Cmd.exact("GEOSEARCH", "g", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "km", "ANY");
                    default -> Cmd.exact("GEORADIUS", "g", "0", "0", "10", "km", "STORE", "dst", "WITHDIST");
                };
            }
        }
    }

    @Test
    void geoCommandsAgreeWithRedis() throws Exception {
        int[] added = {0};
        int[] issued = {0};
        int count = 4000;
        // the last command removes the distances stored (see case 12), so the final data sets compare exactly
        List<String> mismatches = Differential.run(31, count,
                r -> issued[0]++ == count - 1 ? Cmd.exact("DEL", "dstd") : command(r, added));
        assertThat(mismatches).as(Differential.report(mismatches)).isEmpty();
    }
}
