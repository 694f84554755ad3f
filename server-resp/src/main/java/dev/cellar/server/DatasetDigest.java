package dev.cellar.server;

import dev.cellar.spi.persistence.DataValue;
import dev.cellar.spi.persistence.SnapshotView;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Redis's DEBUG DIGEST: a SHA-1 based digest of the data set that does not depend on the order
 * keys, set members or hash fields are stored in, so that two servers holding the same data (Cellar
 * and redis-server after loading the same files, say) print the same 40 hex digits. The same
 * construction as Redis's {@code computeDatasetDigest} and {@code xorObjectDigest} (7.0): per key a
 * digest mixing its name, its type, its value and a mark for an expiry; xor-ed into the database's
 * part, which is mixed with the database's number.
 */
final class DatasetDigest {
    private static final int STRING = 0;
    private static final int LIST = 1;
    private static final int SET = 2;
    private static final int ZSET = 3;
    private static final int HASH = 4;
    private static final byte[] EXPIRE = "!!expire!!".getBytes(StandardCharsets.US_ASCII);

    private final MessageDigest sha1;

    DatasetDigest() {
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-1", e);
        }
    }

    /** The digest of every database of {@code view}, as 40 hex digits (all zeros when empty). */
    String of(SnapshotView view) {
        byte[] result = new byte[20];
        for (int db = 0; db < view.databases(); db++) {
            if (view.size(db) == 0) {
                continue;
            }
            mix(result, int32(db));
            view.forEach(db, (key, value, expireAt, idle, freq) -> {
                byte[] d = new byte[20];
                mix(d, key);
                value(d, value, expireAt >= 0);
                xor(result, sha(d));
            });
        }
        return HexFormat.of().formatHex(result);
    }

    /** DEBUG DIGEST-VALUE's digest of one value (no key, no database): 40 hex digits. */
    String ofValue(DataValue value, boolean expires) {
        byte[] d = new byte[20];
        value(d, value, expires);
        return HexFormat.of().formatHex(d);
    }

    private void value(byte[] digest, DataValue value, boolean expires) {
        if (value instanceof DataValue.StringData s) {
            mix(digest, int32(STRING));
            mix(digest, s.bytes());
        } else if (value instanceof DataValue.ListData l) {
            mix(digest, int32(LIST));
            l.forEach(e -> mix(digest, e));
        } else if (value instanceof DataValue.SetData s) {
            mix(digest, int32(SET));
            s.forEach(m -> xor(digest, sha(m)));
        } else if (value instanceof DataValue.ZSetData z) {
            mix(digest, int32(ZSET));
            z.forEach((member, score) -> {
                byte[] e = new byte[20];
                mix(e, member);
                mix(e, score(score).getBytes(StandardCharsets.US_ASCII));
                xor(digest, sha(e));
            });
        } else if (value instanceof DataValue.HashData h) {
            mix(digest, int32(HASH));
            h.forEach((field, v) -> {
                byte[] e = new byte[20];
                mix(e, field);
                mix(e, v);
                xor(digest, sha(e));
            });
        }
        if (expires) {
            xor(digest, sha(EXPIRE));
        }
    }

    /** A score as Redis 7.0 writes it for the digest ({@code %.17g}). */
    static String score(double score) {
        return dev.cellar.core.Numbers.formatDouble(score);
    }

    private byte[] sha(byte[] data) {
        sha1.reset();
        return sha1.digest(data);
    }

    /** Xors {@code sha} (a SHA-1) in: Redis's {@code xorDigest} is {@code xor(digest, sha(data))}. */
    private static void xor(byte[] digest, byte[] sha) {
        for (int i = 0; i < 20; i++) {
            digest[i] ^= sha[i];
        }
    }

    /** Redis's {@code mixDigest}: xors the data's SHA-1 in, then replaces the digest by its own SHA-1. */
    private void mix(byte[] digest, byte[] data) {
        xor(digest, sha(data));
        System.arraycopy(sha(digest), 0, digest, 0, 20);
    }

    private static byte[] int32(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }
}
