package dev.cellar.core.commands;

import dev.cellar.api.Reply;
import dev.cellar.core.Numbers;
import dev.cellar.core.engine.Args;
import dev.cellar.core.engine.CommandError;
import dev.cellar.core.engine.CommandTable;
import dev.cellar.core.engine.Ctx;
import dev.cellar.core.engine.Db;
import dev.cellar.core.engine.Errors;
import dev.cellar.core.engine.KeyspaceListener;
import dev.cellar.core.values.ZRange;
import dev.cellar.core.values.ZSetValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The GEO commands (Redis's {@code geo.c}) over sorted sets whose scores are {@link GeoHash} cells:
 * GEOADD (which runs, and is logged as, the ZADD it amounts to), GEOPOS, GEODIST, GEOHASH, and the
 * searches GEORADIUS, GEORADIUSBYMEMBER (with their _RO forms), GEOSEARCH and GEOSEARCHSTORE, which
 * find members in Redis's order (see {@link GeoHash#searchCells}), sort them by distance when asked
 * (or when COUNT is given without ANY), and reply or store as Redis does.
 */
final class GeoCommands {
    private static final int RADIUS_COORDS = 1;
    private static final int RADIUS_MEMBER = 2;
    private static final int NOSTORE = 4;
    private static final int SEARCH = 8;
    private static final int SEARCHSTORE = 16;

    private GeoCommands() {}

    static void register(CommandTable t) {
        t.add("geoadd", -5, "write denyoom", 1, 1, 1, "geo", GeoCommands::geoadd);
        t.add("geopos", -2, "readonly", 1, 1, 1, "geo", GeoCommands::geopos);
        t.add("geodist", -4, "readonly", 1, 1, 1, "geo", GeoCommands::geodist);
        t.add("geohash", -2, "readonly", 1, 1, 1, "geo", GeoCommands::geohash);
        t.add("georadius", -6, "write denyoom movablekeys", 1, 1, 1, "geo",
                ctx -> search(ctx, 1, RADIUS_COORDS)).keys(argv -> radiusKeys(argv, 6));
        t.add("georadius_ro", -6, "readonly", 1, 1, 1, "geo",
                ctx -> search(ctx, 1, RADIUS_COORDS | NOSTORE));
        t.add("georadiusbymember", -5, "write denyoom movablekeys", 1, 1, 1, "geo",
                ctx -> search(ctx, 1, RADIUS_MEMBER)).keys(argv -> radiusKeys(argv, 5));
        t.add("georadiusbymember_ro", -5, "readonly", 1, 1, 1, "geo",
                ctx -> search(ctx, 1, RADIUS_MEMBER | NOSTORE));
        t.add("geosearch", -7, "readonly", 1, 1, 1, "geo", ctx -> search(ctx, 1, SEARCH));
        t.add("geosearchstore", -8, "write denyoom", 1, 2, 1, "geo", ctx -> search(ctx, 2, SEARCH | SEARCHSTORE));
    }

    /**
     * The keys of a GEORADIUS[BYMEMBER] call as Redis's key specs find them: the key searched, then
     * the argument after the first STORE and the one after the first STOREDIST, each looked for
     * from where the options start.
     */
    private static int[] radiusKeys(byte[][] argv, int optionsFrom) {
        int[] found = new int[3];
        int n = 0;
        found[n++] = 1;
        for (String keyword : List.of("store", "storedist")) {
            for (int i = optionsFrom; i < argv.length - 1; i++) {
                if (Args.lower(argv[i]).equals(keyword)) {
                    found[n++] = i + 1;
                    break;
                }
            }
        }
        return Arrays.copyOf(found, n);
    }

    /** Longitude and latitude from two arguments, checked against the Mercator square. */
    private static double[] lonLat(Ctx ctx, int at) {
        double lon = ctx.doubleArg(at);
        double lat = ctx.doubleArg(at + 1);
        if (lon < GeoHash.LONG_MIN || lon > GeoHash.LONG_MAX || lat < GeoHash.LAT_MIN || lat > GeoHash.LAT_MAX) {
            throw new CommandError(String.format(Locale.ROOT, "ERR invalid longitude,latitude pair %f,%f", lon, lat));
        }
        return new double[] {lon, lat};
    }

    private static double unit(byte[] arg) {
        return switch (Args.lower(arg)) {
            case "m" -> 1;
            case "km" -> 1000;
            case "ft" -> 0.3048;
            case "mi" -> 1609.34;
            default -> throw new CommandError("ERR unsupported unit provided. please use M, KM, FT, MI");
        };
    }

    private static double number(byte[] arg, String error) {
        try {
            return Numbers.parseDouble(arg);
        } catch (NumberFormatException e) {
            throw new CommandError("ERR " + error);
        }
    }

    // GEOADD key [NX|XX] [CH] longitude latitude member [longitude latitude member ...]
    static Reply geoadd(Ctx ctx) {
        boolean nx = false;
        boolean xx = false;
        int at = 2;
        for (; at < ctx.argc(); at++) {
            if (ctx.is(at, "nx")) {
                nx = true;
            } else if (ctx.is(at, "xx")) {
                xx = true;
            } else if (!ctx.is(at, "ch")) {
                break;
            }
        }
        if ((ctx.argc() - at) % 3 != 0 || (xx && nx)) {
            throw new CommandError(Errors.SYNTAX);
        }
        int elements = (ctx.argc() - at) / 3;
        byte[][] zadd = new byte[at + elements * 2][];
        zadd[0] = Args.bytes("zadd");
        for (int i = 1; i < at; i++) {
            zadd[i] = ctx.arg(i);
        }
        for (int i = 0; i < elements; i++) {
            double[] xy = lonLat(ctx, at + i * 3);
            long score = GeoHash.align52(GeoHash.encodeWgs84(xy[0], xy[1], GeoHash.STEP_MAX));
            zadd[at + i * 2] = Args.bytes(Long.toString(score));
            zadd[at + i * 2 + 1] = ctx.arg(at + i * 3 + 2);
        }
        // Redis rewrites the command into this ZADD, runs it, and logs it
        ctx.propagateAs(zadd);
        return ZSetCommands.zadd(ctx.withArgv(zadd));
    }

    private static ZSetValue zset(Ctx ctx, byte[] key) {
        return ctx.lookupRead(key, ZSetValue.class);
    }

    // GEOPOS key [member ...]
    static Reply geopos(Ctx ctx) {
        ZSetValue z = zset(ctx, ctx.arg(1));
        List<Reply> out = new ArrayList<>();
        for (int i = 2; i < ctx.argc(); i++) {
            double score = z == null ? Double.NaN : z.score(ctx.arg(i));
            if (Double.isNaN(score)) {
                out.add(Reply.NULL_ARRAY);
                continue;
            }
            out.add(coordinates(GeoHash.decodeScore(score)));
        }
        return Reply.array(out);
    }

    private static Reply coordinates(double[] xy) {
        return Reply.array(List.of(Reply.bulk(GeoHash.human(xy[0])), Reply.bulk(GeoHash.human(xy[1]))));
    }

    // GEODIST key member1 member2 [M|KM|FT|MI]
    static Reply geodist(Ctx ctx) {
        double toMeter = 1;
        if (ctx.argc() == 5) {
            toMeter = unit(ctx.arg(4));
        } else if (ctx.argc() > 5) {
            throw new CommandError(Errors.SYNTAX);
        }
        ZSetValue z = zset(ctx, ctx.arg(1));
        if (z == null) {
            return Reply.NULL;
        }
        double s1 = z.score(ctx.arg(2));
        double s2 = z.score(ctx.arg(3));
        if (Double.isNaN(s1) || Double.isNaN(s2)) {
            return Reply.NULL;
        }
        double[] a = GeoHash.decodeScore(s1);
        double[] b = GeoHash.decodeScore(s2);
        return Reply.bulk(GeoHash.distanceText(GeoHash.distance(a[0], a[1], b[0], b[1]) / toMeter));
    }

    // GEOHASH key [member ...]
    static Reply geohash(Ctx ctx) {
        ZSetValue z = zset(ctx, ctx.arg(1));
        List<Reply> out = new ArrayList<>();
        for (int i = 2; i < ctx.argc(); i++) {
            double score = z == null ? Double.NaN : z.score(ctx.arg(i));
            out.add(Double.isNaN(score) ? Reply.NULL : Reply.bulk(GeoHash.standardHash(score)));
        }
        return Reply.array(out);
    }

    /** A member found by a search. */
    private record Point(byte[] member, double score, double lon, double lat, double dist) {}

    /** Redis's georadiusGeneric: parse, find in Redis's order, sort if asked, reply or store. */
    private static Reply search(Ctx ctx, int srcIndex, int flags) {
        Db db = ctx.db();
        ZSetValue z = zset(ctx, ctx.arg(srcIndex));
        int base;
        double lon = 0;
        double lat = 0;
        boolean box = false;
        double radius = 0;
        double width = 0;
        double height = 0;
        double conversion = 1;
        byte[] storeKey = null;
        boolean storeDist = false;
        if ((flags & RADIUS_COORDS) != 0) {
            base = 6;
            double[] xy = lonLat(ctx, 2);
            lon = xy[0];
            lat = xy[1];
            radius = distanceArg(ctx.arg(4));
            conversion = unit(ctx.arg(5));
        } else if ((flags & RADIUS_MEMBER) != 0) {
            base = 5;
            if (z != null) {
                double[] xy = memberPosition(z, ctx.arg(2));
                lon = xy[0];
                lat = xy[1];
                radius = distanceArg(ctx.arg(3));
                conversion = unit(ctx.arg(4));
            }
        } else {
            base = (flags & SEARCHSTORE) != 0 ? 3 : 2;
            if ((flags & SEARCHSTORE) != 0) {
                storeKey = ctx.arg(1);
            }
        }
        boolean withDist = false;
        boolean withHash = false;
        boolean withCoord = false;
        boolean fromMember = false;
        boolean fromLoc = false;
        boolean byRadius = false;
        boolean byBox = false;
        int sort = 0; // 0 none, 1 asc, -1 desc
        boolean any = false;
        long count = 0;
        boolean search = (flags & SEARCH) != 0;
        int remaining = ctx.argc() - base;
        for (int i = 0; i < remaining; i++) {
            int at = base + i;
            String arg = Args.lower(ctx.arg(at));
            if (arg.equals("withdist")) {
                withDist = true;
            } else if (arg.equals("withhash")) {
                withHash = true;
            } else if (arg.equals("withcoord")) {
                withCoord = true;
            } else if (arg.equals("any")) {
                any = true;
            } else if (arg.equals("asc")) {
                sort = 1;
            } else if (arg.equals("desc")) {
                sort = -1;
            } else if (arg.equals("count") && i + 1 < remaining) {
                count = Args.parseLong(ctx.arg(at + 1), Errors.NOT_INTEGER);
                if (count <= 0) {
                    throw new CommandError("ERR COUNT must be > 0");
                }
                i++;
            } else if ((arg.equals("store") || arg.equals("storedist")) && i + 1 < remaining
                    && (flags & NOSTORE) == 0 && !search) {
                storeKey = ctx.arg(at + 1);
                storeDist = arg.equals("storedist");
                i++;
            } else if (arg.equals("storedist") && search && (flags & SEARCHSTORE) != 0) {
                storeDist = true;
            } else if (arg.equals("frommember") && i + 1 < remaining && search && !fromLoc) {
                if (z != null) {
                    double[] xy = memberPosition(z, ctx.arg(at + 1));
                    lon = xy[0];
                    lat = xy[1];
                }
                fromMember = true;
                i++;
            } else if (arg.equals("fromlonlat") && i + 2 < remaining && search && !fromMember) {
                double[] xy = lonLat(ctx, at + 1);
                lon = xy[0];
                lat = xy[1];
                fromLoc = true;
                i += 2;
            } else if (arg.equals("byradius") && i + 2 < remaining && search && !byBox) {
                radius = distanceArg(ctx.arg(at + 1));
                conversion = unit(ctx.arg(at + 2));
                box = false;
                byRadius = true;
                i += 2;
            } else if (arg.equals("bybox") && i + 3 < remaining && search && !byRadius) {
                width = number(ctx.arg(at + 1), "need numeric width");
                height = number(ctx.arg(at + 2), "need numeric height");
                if (height < 0 || width < 0) {
                    throw new CommandError("ERR height or width cannot be negative");
                }
                conversion = unit(ctx.arg(at + 3));
                box = true;
                byBox = true;
                i += 3;
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        if (storeKey != null && (withDist || withHash || withCoord)) {
            throw new CommandError("ERR " + ((flags & SEARCHSTORE) != 0 ? "GEOSEARCHSTORE"
                    : "STORE option in GEORADIUS") + " is not compatible with WITHDIST, WITHHASH and WITHCOORD options");
        }
        String name = Args.text(ctx.arg(0));
        if (search && !(fromMember || fromLoc)) {
            throw new CommandError("ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for " + name);
        }
        if (search && !(byRadius || byBox)) {
            throw new CommandError("ERR exactly one of BYRADIUS and BYBOX can be specified for " + name);
        }
        if (any && count == 0) {
            throw new CommandError("ERR the ANY argument requires COUNT argument");
        }
        if (z == null) {
            if (storeKey != null) {
                if (db.delete(storeKey)) {
                    ctx.signalModified(storeKey);
                    ctx.notify(KeyspaceListener.GENERIC, "del", storeKey);
                    ctx.dirty(1);
                }
                return Reply.ZERO;
            }
            return Reply.EMPTY_ARRAY;
        }
        if (count != 0 && sort == 0 && !any) {
            sort = 1;
        }
        GeoHash.Shape shape = new GeoHash.Shape(lon, lat, box, radius, width, height, conversion);
        List<Point> found = find(z, shape, any ? count : 0);
        if (found.isEmpty() && storeKey == null) {
            return Reply.EMPTY_ARRAY;
        }
        long returned = count == 0 || found.size() < count ? found.size() : count;
        if (sort != 0) {
            Comparator<Point> byDistance = Comparator.comparingDouble(Point::dist);
            found.sort(sort > 0 ? byDistance : byDistance.reversed());
        }
        if (storeKey == null) {
            List<Reply> out = new ArrayList<>();
            for (int i = 0; i < returned; i++) {
                Point p = found.get(i);
                if (!withDist && !withHash && !withCoord) {
                    out.add(Reply.bulk(p.member()));
                    continue;
                }
                List<Reply> item = new ArrayList<>(List.of(Reply.bulk(p.member())));
                if (withDist) {
                    item.add(Reply.bulk(GeoHash.distanceText(p.dist() / conversion)));
                }
                if (withHash) {
                    item.add(Reply.of((long) p.score()));
                }
                if (withCoord) {
                    item.add(coordinates(new double[] {p.lon(), p.lat()}));
                }
                out.add(Reply.array(item));
            }
            return Reply.array(out);
        }
        if (returned > 0) {
            List<ZSetValue.Entry> entries = new ArrayList<>();
            for (int i = 0; i < returned; i++) {
                Point p = found.get(i);
                entries.add(new ZSetValue.Entry(p.member(), storeDist ? p.dist() / conversion : p.score()));
            }
            db.setKey(storeKey, ZSetValue.fromEntries(entries, ZSetCommands.limits(ctx)), false);
            ctx.notify(KeyspaceListener.ZSET, search ? "geosearchstore" : "georadiusstore", storeKey);
            ctx.dirty(returned);
        } else if (db.delete(storeKey)) {
            ctx.signalModified(storeKey);
            ctx.notify(KeyspaceListener.GENERIC, "del", storeKey);
            ctx.dirty(1);
        }
        return Reply.of(returned);
    }

    private static double distanceArg(byte[] arg) {
        double d = number(arg, "need numeric radius");
        if (d < 0) {
            throw new CommandError("ERR radius cannot be negative");
        }
        return d;
    }

    private static double[] memberPosition(ZSetValue z, byte[] member) {
        double score = z.score(member);
        if (Double.isNaN(score)) {
            throw new CommandError("ERR could not decode requested zset member");
        }
        return GeoHash.decodeScore(score);
    }

    /** Redis's membersOfAllNeighbors: each cell's score range in ascending order, filtered by the shape. */
    private static List<Point> find(ZSetValue z, GeoHash.Shape shape, long limit) {
        GeoHash.Bits[] cells = GeoHash.searchCells(shape);
        List<Point> out = new ArrayList<>();
        int lastProcessed = 0;
        for (int i = 0; i < cells.length; i++) {
            GeoHash.Bits cell = cells[i];
            if (cell.isZero()) {
                continue;
            }
            if (lastProcessed != 0 && cell.bits() == cells[lastProcessed].bits()
                    && cell.step() == cells[lastProcessed].step()) {
                continue;
            }
            if (!out.isEmpty() && limit != 0 && out.size() >= limit) {
                break;
            }
            long min = GeoHash.align52(cell);
            long max = GeoHash.align52(new GeoHash.Bits(cell.bits() + 1, cell.step()));
            ZRange.Score range = new ZRange.Score(min, max, false, true);
            long rank = z.firstInRange(range);
            if (rank >= 0) {
                ZSetValue.Cursor c = z.cursor(rank, false);
                while (c.next()) {
                    double score = c.score();
                    if (!range.lteMax(score)) {
                        break;
                    }
                    double[] xy = GeoHash.decodeScore(score);
                    double dist = GeoHash.distanceIfInside(shape, xy[0], xy[1]);
                    if (!Double.isNaN(dist)) {
                        out.add(new Point(c.member(), score, xy[0], xy[1], dist));
                    }
                    if (!out.isEmpty() && limit != 0 && out.size() >= limit) {
                        break;
                    }
                }
            }
            lastProcessed = i;
        }
        return out;
    }
}
