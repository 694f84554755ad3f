package dev.cellar.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link LatencyHistogram}: HdrHistogram's bucket bounds at two significant digits, as Redis's
 * INFO latencystats and LATENCY HISTOGRAM print them (the figures below are Redis's own: a 3 µs
 * SET reads {@code p50=3.007}, a 1 ms call lands in the level Redis labels 1056).
 */
class LatencyHistogramTest {

    @Test
    void percentilesFallOnTheUpperBoundOfTheirBucket() {
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 0; i < 99; i++) {
            h.recordMicros(3);
        }
        h.recordMicros(1000);
        assertThat(h.count()).isEqualTo(100);
        assertThat(h.valueAtPercentile(50)).isEqualTo(3007);
        assertThat(h.valueAtPercentile(99)).isEqualTo(3007);
        assertThat(h.valueAtPercentile(99.9)).isEqualTo(1_003_519);
        assertThat(h.valueAtPercentile(100)).isEqualTo(1_003_519);
        // percentile 0 is the lower bound of the first bucket, as Redis's p0=1.000 for 1 µs calls
        assertThat(h.valueAtPercentile(0)).isEqualTo(2992); // 3000 ns shares the bucket 2992-3007
    }

    @Test
    void aCallUnderAMicrosecondCountsAsOneNanosecondAndLongOnesAreCutAtOneSecond() {
        LatencyHistogram h = new LatencyHistogram();
        h.recordMicros(0);
        assertThat(h.valueAtPercentile(50)).isEqualTo(1);
        LatencyHistogram slow = new LatencyHistogram();
        slow.recordMicros(5_000_000);
        assertThat(slow.valueAtPercentile(50)).isBetween(1_000_000_000L, 1_004_000_000L);
    }

    @Test
    void theCumulativeDistributionHasRedisLevels() {
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 0; i < 100; i++) {
            h.recordMicros(3);
        }
        h.recordMicros(1000);
        List<long[]> cdf = h.cumulative();
        assertThat(cdf).hasSize(2);
        assertThat(cdf.get(0)).containsExactly(4, 100); // the 4096 ns level
        assertThat(cdf.get(1)).containsExactly(1056, 101); // the 2^20 ns level, as Redis labels it
        LatencyHistogram fast = new LatencyHistogram();
        fast.recordMicros(0);
        fast.recordMicros(0);
        assertThat(fast.cumulative()).hasSize(1);
        assertThat(fast.cumulative().get(0)).containsExactly(1, 2);
        assertThat(new LatencyHistogram().cumulative()).isEmpty();
    }

    @Test
    void percentilesSettingIsShownAsRedisShowsIt() {
        assertThat(LatencyHistogram.canonicalPercentiles("50.0 99  99.90")).isEqualTo("50 99 99.9");
        assertThat(LatencyHistogram.canonicalPercentiles("0 100 33.333333")).isEqualTo("0 100 33.333333");
        assertThat(LatencyHistogram.canonicalPercentiles("")).isEmpty();
        assertThatThrownBy(() -> LatencyHistogram.canonicalPercentiles("101"))
                .hasMessage("latency-tracking-info-percentiles parameters should sit between [0.0,100.0]");
        assertThatThrownBy(() -> LatencyHistogram.canonicalPercentiles("abc"))
                .hasMessage("Invalid latency-tracking-info-percentiles parameters");
    }
}
