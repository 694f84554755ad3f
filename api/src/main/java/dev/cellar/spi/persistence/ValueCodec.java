package dev.cellar.spi.persistence;

/**
 * Serializes single values in a format's own encoding: what {@code DUMP} produces and
 * {@code RESTORE} accepts (for Redis compatibility, the RDB value encoding followed by the 2-byte
 * RDB version and a CRC64). Discovered with {@link java.util.ServiceLoader}; the engine uses the one
 * named {@code rdb}.
 */
public interface ValueCodec {

    /** The codec's name ({@code rdb}). */
    String name();

    /** The payload for one value. */
    byte[] dump(DataValue value);

    /**
     * The value in a payload.
     *
     * @throws IllegalArgumentException when the payload is malformed, of a newer version, or its
     *                                  checksum does not match; the message says which
     */
    DataValue restore(byte[] payload);
}
