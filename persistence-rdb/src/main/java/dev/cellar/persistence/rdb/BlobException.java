package dev.cellar.persistence.rdb;

/** A malformed listpack, ziplist, zipmap or intset; the offset is within the blob. */
final class BlobException extends Exception {
    private static final long serialVersionUID = 1L;

    final int blobOffset;

    BlobException(int blobOffset, String message) {
        super(message + " at blob byte " + blobOffset);
        this.blobOffset = blobOffset;
    }
}
