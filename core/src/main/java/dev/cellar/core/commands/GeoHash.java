package dev.cellar.core.commands;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Redis's geohash arithmetic ({@code geohash.c}, {@code geohash_helper.c}): a position is a 52-bit
 * interleaving of its latitude (even bits) and longitude (odd bits) at 26 steps over the Mercator
 * square (latitude within ±85.05112878), stored as a sorted-set score; a search covers the cell of
 * the centre at a step fitted to the radius and its eight neighbours, scanned as score ranges in
 * Redis's order, so that results come in the order Redis finds them.
 */
final class GeoHash {
    static final int STEP_MAX = 26;
    static final double LAT_MIN = -85.05112878;
    static final double LAT_MAX = 85.05112878;
    static final double LONG_MIN = -180;
    static final double LONG_MAX = 180;
    private static final double D_R = Math.PI / 180.0;
    static final double EARTH_RADIUS_IN_METERS = 6372797.560856;
    private static final double MERCATOR_MAX = 20037726.37;

    private GeoHash() {}

    /** A cell: its bits and step; step 0 is the "zero" cell that searches skip. */
    record Bits(long bits, int step) {
        boolean isZero() {
            return bits == 0 && step == 0;
        }
    }

    record Area(double longMin, double longMax, double latMin, double latMax) {}

    static double degRad(double ang) {
        return ang * D_R;
    }

    static double radDeg(double ang) {
        return ang / D_R;
    }

    // ------------------------------------------------------------------ bit interleaving

    private static long spread(long x) {
        x &= 0xffffffffL;
        x = (x | (x << 16)) & 0x0000FFFF0000FFFFL;
        x = (x | (x << 8)) & 0x00FF00FF00FF00FFL;
        x = (x | (x << 4)) & 0x0F0F0F0F0F0F0F0FL;
        x = (x | (x << 2)) & 0x3333333333333333L;
        x = (x | (x << 1)) & 0x5555555555555555L;
        return x;
    }

    private static long squash(long x) {
        x &= 0x5555555555555555L;
        x = (x | (x >>> 1)) & 0x3333333333333333L;
        x = (x | (x >>> 2)) & 0x0F0F0F0F0F0F0F0FL;
        x = (x | (x >>> 4)) & 0x00FF00FF00FF00FFL;
        x = (x | (x >>> 8)) & 0x0000FFFF0000FFFFL;
        x = (x | (x >>> 16)) & 0x00000000FFFFFFFFL;
        return x;
    }

    /** Latitude bits in the even positions, longitude bits in the odd ones. */
    static long interleave(long lat, long lon) {
        return spread(lat) | (spread(lon) << 1);
    }

    // ------------------------------------------------------------------ encode, decode

    /** The cell of a position at {@code step}, over the given ranges; null when outside them. */
    static Bits encode(double longMin, double longMax, double latMin, double latMax, double longitude,
            double latitude, int step) {
        if (longitude > 180 || longitude < -180 || latitude > LAT_MAX || latitude < LAT_MIN) {
            return null;
        }
        if (latitude < latMin || latitude > latMax || longitude < longMin || longitude > longMax) {
            return null;
        }
        double latOffset = (latitude - latMin) / (latMax - latMin);
        double longOffset = (longitude - longMin) / (longMax - longMin);
        latOffset *= (1L << step);
        longOffset *= (1L << step);
        return new Bits(interleave((long) latOffset, (long) longOffset), step);
    }

    /** The cell of a position over the Mercator square, Redis's geohashEncodeWGS84. */
    static Bits encodeWgs84(double longitude, double latitude, int step) {
        return encode(LONG_MIN, LONG_MAX, LAT_MIN, LAT_MAX, longitude, latitude, step);
    }

    /** The 52-bit score of a cell: its bits shifted to step 26. */
    static long align52(Bits hash) {
        return hash.bits() << (52 - hash.step() * 2);
    }

    static Area decode(Bits hash) {
        long lat = squash(hash.bits());
        long lon = squash(hash.bits() >>> 1);
        double latScale = LAT_MAX - LAT_MIN;
        double longScale = LONG_MAX - LONG_MIN;
        double cells = 1L << hash.step();
        return new Area(LONG_MIN + (lon * 1.0 / cells) * longScale, LONG_MIN + ((lon + 1) * 1.0 / cells) * longScale,
                LAT_MIN + (lat * 1.0 / cells) * latScale, LAT_MIN + ((lat + 1) * 1.0 / cells) * latScale);
    }

    /** The centre of the cell a score names, {@code {longitude, latitude}} (Redis's decodeGeohash). */
    static double[] decodeScore(double score) {
        Area a = decode(new Bits((long) score, STEP_MAX));
        double x = Math.max(LONG_MIN, Math.min(LONG_MAX, (a.longMin() + a.longMax()) / 2));
        double y = Math.max(LAT_MIN, Math.min(LAT_MAX, (a.latMin() + a.latMax()) / 2));
        return new double[] {x, y};
    }

    // ------------------------------------------------------------------ distances

    static double latDistance(double lat1d, double lat2d) {
        return EARTH_RADIUS_IN_METERS * Math.abs(degRad(lat2d) - degRad(lat1d));
    }

    /** The haversine distance in metres, Redis's geohashGetDistance. */
    static double distance(double lon1d, double lat1d, double lon2d, double lat2d) {
        double lon1r = degRad(lon1d);
        double lon2r = degRad(lon2d);
        double v = StrictMath.sin((lon2r - lon1r) / 2);
        if (v == 0.0) {
            return latDistance(lat1d, lat2d);
        }
        double lat1r = degRad(lat1d);
        double lat2r = degRad(lat2d);
        double u = StrictMath.sin((lat2r - lat1r) / 2);
        double a = u * u + StrictMath.cos(lat1r) * StrictMath.cos(lat2r) * v * v;
        return 2.0 * EARTH_RADIUS_IN_METERS * StrictMath.asin(Math.sqrt(a));
    }

    // ------------------------------------------------------------------ searching

    /** A search shape: a circle (radius) or a box (width, height), in its unit, around a centre. */
    record Shape(double lon, double lat, boolean box, double radius, double width, double height,
                 double conversion) {}

    /** Redis's geohashEstimateStepsByRadius. */
    static int estimateSteps(double rangeMeters, double lat) {
        if (rangeMeters == 0) {
            return 26;
        }
        int step = 1;
        while (rangeMeters < MERCATOR_MAX) {
            rangeMeters *= 2;
            step++;
        }
        step -= 2;
        if (lat > 66 || lat < -66) {
            step--;
            if (lat > 80 || lat < -80) {
                step--;
            }
        }
        return Math.max(1, Math.min(26, step));
    }

    /** Longitude bits (odd positions) and latitude bits (even positions) of an interleaved cell. */
    private static final long LONGITUDE_LANE = 0xaaaaaaaaaaaaaaaaL;
    private static final long LATITUDE_LANE = 0x5555555555555555L;

    /**
     * The cell {@code d} (-1, 0 or 1) steps along one coordinate (Redis's geohash_move_x/_y): the
     * lane's bits move as one number, carrying through the other lane's bits set to all ones.
     */
    private static Bits move(Bits h, int d, long lane) {
        if (d == 0) {
            return h;
        }
        int shift = 64 - h.step() * 2;
        long moving = h.bits() & lane;
        long fixed = h.bits() & ~lane;
        long zz = ~lane >>> shift;
        if (d > 0) {
            moving = moving + (zz + 1);
        } else {
            moving = moving | zz;
            moving = moving - (zz + 1);
        }
        moving &= lane >>> shift;
        return new Bits(moving | fixed, h.step());
    }

    private static Bits neighbour(Bits h, int dx, int dy) {
        return move(move(h, dx, LONGITUDE_LANE), dy, LATITUDE_LANE);
    }

    /**
     * The cells a search scans, in Redis's order: the centre's, then north, south, east, west,
     * north-east, north-west, south-east, south-west; a zero cell is skipped (Redis's
     * geohashCalculateAreasByShapeWGS84, which also lowers the step once when a neighbour does not
     * reach the shape's bounding box, and drops neighbours wholly outside it).
     */
    static Bits[] searchCells(Shape s) {
        double height = s.conversion() * (s.box() ? s.height() / 2 : s.radius());
        double width = s.conversion() * (s.box() ? s.width() / 2 : s.radius());
        double latDelta = radDeg(height / EARTH_RADIUS_IN_METERS);
        double longDeltaTop = radDeg(width / EARTH_RADIUS_IN_METERS / Math.cos(degRad(s.lat() + latDelta)));
        double longDeltaBottom = radDeg(width / EARTH_RADIUS_IN_METERS / Math.cos(degRad(s.lat() - latDelta)));
        boolean southern = s.lat() < 0;
        double minLon = southern ? s.lon() - longDeltaBottom : s.lon() - longDeltaTop;
        double maxLon = southern ? s.lon() + longDeltaBottom : s.lon() + longDeltaTop;
        double minLat = s.lat() - latDelta;
        double maxLat = s.lat() + latDelta;

        double radiusMeters = s.box()
                ? Math.sqrt((s.width() / 2) * (s.width() / 2) + (s.height() / 2) * (s.height() / 2)) : s.radius();
        radiusMeters *= s.conversion();
        int steps = estimateSteps(radiusMeters, s.lat());
        Bits hash = encodeWgs84(s.lon(), s.lat(), steps);
        Bits[] n = neighbours(hash);
        Area area = decode(hash);
        boolean decrease = decode(n[1]).latMax() < maxLat || decode(n[2]).latMin() > minLat
                || decode(n[3]).longMax() < maxLon || decode(n[4]).longMin() > minLon;
        if (steps > 1 && decrease) {
            steps--;
            hash = encodeWgs84(s.lon(), s.lat(), steps);
            n = neighbours(hash);
            area = decode(hash);
        }
        if (steps >= 2) {
            Bits zero = new Bits(0, 0);
            if (area.latMin() < minLat) {
                n[2] = zero;
                n[8] = zero;
                n[7] = zero;
            }
            if (area.latMax() > maxLat) {
                n[1] = zero;
                n[5] = zero;
                n[6] = zero;
            }
            if (area.longMin() < minLon) {
                n[4] = zero;
                n[8] = zero;
                n[6] = zero;
            }
            if (area.longMax() > maxLon) {
                n[3] = zero;
                n[7] = zero;
                n[5] = zero;
            }
        }
        return n;
    }

    /** {centre, north, south, east, west, north-east, north-west, south-east, south-west}. */
    private static Bits[] neighbours(Bits h) {
        return new Bits[] {h, neighbour(h, 0, 1), neighbour(h, 0, -1), neighbour(h, 1, 0), neighbour(h, -1, 0),
            neighbour(h, 1, 1), neighbour(h, -1, 1), neighbour(h, 1, -1), neighbour(h, -1, -1)};
    }

    /**
     * The distance from the shape's centre to a point inside the shape, or NaN when outside
     * (geohashGetDistanceIfInRadiusWGS84 / geohashGetDistanceIfInRectangle).
     */
    static double distanceIfInside(Shape s, double lon, double lat) {
        if (!s.box()) {
            double d = distance(s.lon(), s.lat(), lon, lat);
            return d > s.radius() * s.conversion() ? Double.NaN : d;
        }
        double widthM = s.width() * s.conversion();
        double heightM = s.height() * s.conversion();
        if (latDistance(lat, s.lat()) > heightM / 2) {
            return Double.NaN;
        }
        if (distance(lon, lat, s.lon(), lat) > widthM / 2) {
            return Double.NaN;
        }
        return distance(s.lon(), s.lat(), lon, lat);
    }

    // ------------------------------------------------------------------ output

    /** A coordinate as Redis prints a long double for people: {@code %.17Lf} without trailing zeros. */
    static String human(double d) {
        String s = new BigDecimal(d).setScale(17, RoundingMode.HALF_EVEN).toPlainString();
        if (s.indexOf('.') >= 0) {
            s = s.replaceAll("0+$", "");
            if (s.endsWith(".")) {
                s = s.substring(0, s.length() - 1);
            }
        }
        return s.equals("-0") ? "0" : s;
    }

    /** A distance as Redis prints one: {@code %.4f}. */
    static String distanceText(double d) {
        return new BigDecimal(d).setScale(4, RoundingMode.HALF_EVEN).toPlainString();
    }

    private static final char[] ALPHABET = "0123456789bcdefghjkmnpqrstuvwxyz".toCharArray();

    /** The standard 11-character geohash of a score (re-encoded over latitudes ±90), as GEOHASH gives it. */
    static String standardHash(double score) {
        double[] xy = decodeScore(score);
        Bits h = encode(-180, 180, -90, 90, xy[0], xy[1], STEP_MAX);
        long bits = h == null ? 0 : h.bits();
        char[] out = new char[11];
        for (int i = 0; i < 11; i++) {
            int idx = i == 10 ? 0 : (int) ((bits >>> (52 - ((i + 1) * 5))) & 0x1f);
            out[i] = ALPHABET[idx];
        }
        return new String(out);
    }
}
