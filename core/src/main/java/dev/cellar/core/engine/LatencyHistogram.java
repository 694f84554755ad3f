package dev.cellar.core.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * A command's latency distribution, as Redis 7 keeps one per command for INFO latencystats and
 * LATENCY HISTOGRAM: a high-dynamic-range histogram of 1 ns to 1 s with two significant digits
 * (HdrHistogram's layout, which Redis uses: 256 sub-buckets per power of two, so a value is kept
 * within 1/128 of itself), so that the percentiles it reports fall on the same bucket bounds as
 * Redis's (a 3 µs call reads back as {@code 3.007}).
 *
 * <p>Like Redis, it is given microseconds (the command's measured run time) and stores them as
 * nanoseconds, so a call under a microsecond counts as 1 ns. Not thread-safe: the command thread
 * records and reads it.
 */
public final class LatencyHistogram {
    private static final long LOWEST = 1;
    private static final long HIGHEST = 1_000_000_000L;
    /** log2 of half the sub-buckets per bucket (128). */
    private static final int HALF_MAGNITUDE = 7;
    private static final int HALF_COUNT = 1 << HALF_MAGNITUDE;
    private static final long SUB_BUCKET_MASK = (2L << HALF_MAGNITUDE) - 1;
    /** Buckets to cover 1 s: 256 << 22 is the first power past it. */
    private static final int BUCKETS = 23;

    private final long[] counts = new long[(BUCKETS + 1) * HALF_COUNT];
    private long total;

    /**
     * {@code latency-tracking-info-percentiles} as Redis shows it: each percentile as {@code %f}
     * without trailing zeros, space-separated; an empty list is allowed.
     *
     * @throws IllegalArgumentException with Redis's words, for a word that is no number or a
     *                                  number outside 0 to 100
     */
    public static String canonicalPercentiles(String raw) {
        StringBuilder out = new StringBuilder();
        for (double p : percentiles(raw)) {
            if (out.length() > 0) {
                out.append(' ');
            }
            out.append(formatPercentile(p));
        }
        return out.toString();
    }

    /** The percentiles of a {@code latency-tracking-info-percentiles} value. */
    public static double[] percentiles(String raw) {
        String trimmed = raw.trim();
        if (trimmed.isEmpty()) {
            return new double[0];
        }
        String[] words = trimmed.split("\\s+");
        double[] out = new double[words.length];
        for (int i = 0; i < words.length; i++) {
            double p;
            try {
                p = Double.parseDouble(words[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Invalid latency-tracking-info-percentiles parameters");
            }
            if (!(p >= 0.0 && p <= 100.0)) {
                throw new IllegalArgumentException(
                        "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]");
            }
            out[i] = p;
        }
        return out;
    }

    /** A percentile as Redis prints it in a label or a setting: {@code %f}, trailing zeros cut. */
    public static String formatPercentile(double p) {
        String s = String.format(java.util.Locale.ROOT, "%f", p);
        if (s.indexOf('.') >= 0) {
            s = s.replaceAll("0+$", "");
            if (s.endsWith(".")) {
                s = s.substring(0, s.length() - 1);
            }
        }
        return s;
    }

    /** Records one call that took {@code micros} microseconds. */
    public void recordMicros(long micros) {
        long nanos = micros > HIGHEST / 1000 ? HIGHEST : Math.max(LOWEST, micros * 1000);
        counts[index(nanos)]++;
        total++;
    }

    /** The number of calls recorded. */
    public long count() {
        return total;
    }

    private static int bucketIndex(long value) {
        return 64 - Long.numberOfLeadingZeros(value | SUB_BUCKET_MASK) - (HALF_MAGNITUDE + 1);
    }

    private static int index(long value) {
        int bucket = bucketIndex(value);
        int sub = (int) (value >>> bucket);
        return ((bucket + 1) << HALF_MAGNITUDE) + (sub - HALF_COUNT);
    }

    private static long valueAtIndex(int index) {
        int bucket = (index >> HALF_MAGNITUDE) - 1;
        int sub = (index & (HALF_COUNT - 1)) + HALF_COUNT;
        if (bucket < 0) {
            sub -= HALF_COUNT;
            bucket = 0;
        }
        return (long) sub << bucket;
    }

    private static long lowestEquivalent(long value) {
        int bucket = bucketIndex(value);
        return (value >>> bucket) << bucket;
    }

    private static long highestEquivalent(long value) {
        int bucket = bucketIndex(value);
        long sub = value >>> bucket;
        int adjusted = sub >= 2 * HALF_COUNT ? bucket + 1 : bucket;
        return lowestEquivalent(value) + (1L << adjusted) - 1;
    }

    /**
     * The value in nanoseconds at {@code percentile} (0 to 100): the highest value of the bucket
     * where the count reaches that share of the calls, the lowest for percentile 0; 0 when empty.
     */
    public long valueAtPercentile(double percentile) {
        double requested = Math.min(percentile, 100.0);
        long countAt = Math.max(1, (long) ((requested / 100) * total + 0.5));
        long cumulative = 0;
        for (int i = 0; i < counts.length; i++) {
            cumulative += counts[i];
            if (cumulative >= countAt) {
                long v = valueAtIndex(i);
                return percentile == 0.0 ? lowestEquivalent(v) : highestEquivalent(v);
            }
        }
        return 0;
    }

    /**
     * LATENCY HISTOGRAM's cumulative distribution: for reporting levels of 1024 ns, doubling, the
     * upper bound of the level's bucket in microseconds and the calls at or under it, a level
     * given only when it adds calls, up to the first that holds them all ({@code {µs, count}} pairs).
     */
    public List<long[]> cumulative() {
        List<long[]> out = new ArrayList<>();
        long cumulative = 0;
        long previous = 0;
        int i = -1;
        for (long level = 1024; previous < total; level <<= 1) {
            int levelIndex = index(Math.min(level, HIGHEST));
            while (i < levelIndex && i + 1 < counts.length) {
                cumulative += counts[++i];
            }
            if (cumulative > previous) {
                out.add(new long[] {highestEquivalent(valueAtIndex(i)) / 1000, cumulative});
            }
            previous = cumulative;
            if (level >= HIGHEST) {
                break;
            }
        }
        return out;
    }
}
