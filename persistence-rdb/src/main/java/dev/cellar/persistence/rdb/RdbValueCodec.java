package dev.cellar.persistence.rdb;

import dev.cellar.spi.persistence.DataValue;
import dev.cellar.spi.persistence.ValueCodec;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * DUMP and RESTORE payloads as Redis makes them: the value's RDB type byte and encoding, the RDB
 * version (2 bytes, little-endian; Cellar writes 10 like Redis 7.0), and the CRC64 of all of that
 * (8 bytes, little-endian). Restore accepts versions up to 12 (Redis 7.4) for the types Cellar
 * knows, including the set listpacks Redis 7.2 dumps.
 */
public final class RdbValueCodec implements ValueCodec {
    /** Redis's reply when the version or checksum is wrong. */
    public static final String BAD_VERSION_OR_CHECKSUM = "ERR DUMP payload version or checksum are wrong";
    /** Redis's reply when the payload does not parse. */
    public static final String BAD_DATA_FORMAT = "ERR Bad data format";

    private final boolean compression;

    /** With LZF compression on, Redis's default ({@code rdbcompression yes}). */
    public RdbValueCodec() {
        this(true);
    }

    /** With compression on or off. */
    public RdbValueCodec(boolean compression) {
        this.compression = compression;
    }

    @Override
    public String name() {
        return "rdb";
    }

    @Override
    public byte[] dump(DataValue value) {
        try {
            RdbOutput out = RdbOutput.buffer();
            ValueWriter w = new ValueWriter(compression, -2);
            int type = ValueWriter.typeOf(value);
            out.writeByte(type);
            w.writeValue(out, type, value);
            out.writeShortLE(RdbConstants.VERSION_WRITTEN);
            out.writeLongLE(out.crc());
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in-memory output: cannot happen
        }
    }

    @Override
    public DataValue restore(byte[] payload) {
        int n = payload.length;
        if (n < 10) {
            throw new IllegalArgumentException(BAD_VERSION_OR_CHECKSUM);
        }
        int version = (payload[n - 10] & 0xff) | (payload[n - 9] & 0xff) << 8;
        if (version > RdbConstants.VERSION_MAX) {
            throw new IllegalArgumentException(BAD_VERSION_OR_CHECKSUM);
        }
        long crc = Crc64.update(0, payload, 0, n - 8);
        if (crc != Bytes.longLE(payload, n - 8)) {
            throw new IllegalArgumentException(BAD_VERSION_OR_CHECKSUM);
        }
        RdbInput in = RdbInput.of(payload, 0, n - 10);
        try {
            int type = in.readUnsignedByte("value type");
            if (!RdbConstants.isValueType(type)) {
                throw new RdbFormatException(0, "unknown value type " + type);
            }
            DataValue v = ValueReader.readValue(type, in);
            if (v == null) {
                throw new RdbFormatException(in.offset(), "empty collection");
            }
            return v;
        } catch (IOException e) {
            throw new IllegalArgumentException(BAD_DATA_FORMAT, e);
        }
    }
}
