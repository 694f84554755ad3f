package dev.cellar.core.testing;

import java.lang.management.ManagementFactory;

/** Measures heap retained by what a test builds, for checking memory estimates against the JVM. */
public final class HeapMeasure {
    private HeapMeasure() {}

    /** Heap in use after repeated full collections. */
    public static long usedAfterGc() {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 6; i++) {
            System.gc();
            try {
                Thread.sleep(30);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            best = Math.min(best, used);
        }
        return best;
    }
}
