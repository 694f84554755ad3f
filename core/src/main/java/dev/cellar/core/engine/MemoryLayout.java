package dev.cellar.core.engine;

/**
 * Sizes of JVM objects as a 64-bit HotSpot with compressed references lays them out (12-byte
 * headers, 4-byte references, 8-byte alignment), for estimating what values retain. The estimates
 * are checked against the heap by {@code MemoryAccountingTest}.
 */
public final class MemoryLayout {
    /** A reference field or array element. */
    public static final int REF = 4;
    /** An object header. */
    public static final int HEADER = 12;
    /** An array header (object header plus length). */
    public static final int ARRAY_HEADER = 16;
    /** A {@link Dict} entry object: header and two references. */
    public static final int ENTRY = 24;
    /** A boxed {@code Long}. */
    public static final int BOXED_LONG = 16;

    private MemoryLayout() {}

    /** Rounds up to the 8-byte alignment. */
    public static long align(long bytes) {
        return (bytes + 7) & ~7L;
    }

    /** An array of {@code length} elements of {@code elementSize} bytes. */
    public static long array(long length, int elementSize) {
        return align(ARRAY_HEADER + length * elementSize);
    }

    /** An object with a header and {@code fieldBytes} of fields. */
    public static long object(int fieldBytes) {
        return align(HEADER + fieldBytes);
    }
}
