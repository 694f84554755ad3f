package dev.cellar.server;

/**
 * INFO's {@code instantaneous_*} figures, computed as Redis computes them: every 100 ms the server
 * samples a running total (commands processed, bytes read, bytes written) and stores its rate per
 * second since the previous sample in a ring of 16; the figure shown is the mean of the ring, a
 * rate over the last 1.6 seconds.
 *
 * <p>{@link #sample} runs on one thread (the server's cron); {@link #rate} may be read from any.
 */
final class InstantaneousMetrics {
    /** Redis's {@code STATS_METRIC_SAMPLES}. */
    static final int SAMPLES = 16;
    /** How often the server samples, in milliseconds (Redis's {@code run_with_period(100)}). */
    static final long PERIOD_MILLIS = 100;

    static final int COMMANDS = 0;
    static final int NET_INPUT = 1;
    static final int NET_OUTPUT = 2;
    private static final int METRICS = 3;

    private final long[][] samples = new long[METRICS][SAMPLES];
    private final int[] next = new int[METRICS];
    private final long[] lastTotal = new long[METRICS];
    private final long[] lastMillis = new long[METRICS];

    /** Records the running total of one metric at {@code nowMillis}. */
    synchronized void sample(int metric, long total, long nowMillis) {
        long elapsed = nowMillis - lastMillis[metric];
        long delta = total - lastTotal[metric];
        long perSecond = lastMillis[metric] == 0 || elapsed <= 0 ? 0 : delta * 1000 / elapsed;
        samples[metric][next[metric]] = perSecond;
        next[metric] = (next[metric] + 1) % SAMPLES;
        lastTotal[metric] = total;
        lastMillis[metric] = nowMillis;
    }

    /** The mean rate per second over the ring. */
    synchronized long rate(int metric) {
        long sum = 0;
        for (long s : samples[metric]) {
            sum += s;
        }
        return sum / SAMPLES;
    }

    /** A rate in bytes per second as Redis's {@code instantaneous_*_kbps} prints it. */
    static String kbps(long bytesPerSecond) {
        long hundredths = Math.round(bytesPerSecond * 100.0 / 1024);
        return hundredths / 100 + "." + (hundredths % 100 < 10 ? "0" : "") + hundredths % 100;
    }
}
