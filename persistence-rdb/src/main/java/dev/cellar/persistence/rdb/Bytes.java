package dev.cellar.persistence.rdb;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Fixed-width integers in byte arrays, both byte orders. */
final class Bytes {
    private Bytes() {}

    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    static int intLE(byte[] b, int i) {
        return (int) INT_LE.get(b, i);
    }

    static int intBE(byte[] b, int i) {
        return (int) INT_BE.get(b, i);
    }

    static long longLE(byte[] b, int i) {
        return (long) LONG_LE.get(b, i);
    }

    static long longBE(byte[] b, int i) {
        return (long) LONG_BE.get(b, i);
    }

    static int shortLE(byte[] b, int i) {
        return (short) ((b[i] & 0xff) | (b[i + 1] << 8));
    }

    static void putIntLE(byte[] b, int i, int v) {
        INT_LE.set(b, i, v);
    }

    static void putIntBE(byte[] b, int i, int v) {
        INT_BE.set(b, i, v);
    }

    static void putLongLE(byte[] b, int i, long v) {
        LONG_LE.set(b, i, v);
    }

    static void putLongBE(byte[] b, int i, long v) {
        LONG_BE.set(b, i, v);
    }
}
