package dev.cellar.persistence.rdb;

/**
 * The numbers of the RDB format: versions, value types, opcodes and the encodings of lengths and
 * strings, as Redis 7.x reads and writes them. Checked against files written by Redis 7.0.15 and the
 * Redis test assets (see the test resources' README).
 */
public final class RdbConstants {
    private RdbConstants() {}

    // ---------------------------------------------------------------- versions

    /** The magic that starts every RDB file, followed by four ASCII digits of version. */
    public static final String MAGIC = "REDIS";
    /** The version Cellar writes: Redis 7.0's, so Redis 7.0 and later load Cellar's files. */
    public static final int VERSION_WRITTEN = 10;
    /** The oldest version the reader accepts. */
    public static final int VERSION_MIN = 1;
    /** The newest version the reader accepts (Redis 7.4 writes 12; 7.2 writes 11). */
    public static final int VERSION_MAX = 12;
    /** The first version whose files end with a CRC64 after the EOF opcode. */
    public static final int VERSION_CHECKSUM = 5;

    // ---------------------------------------------------------------- value types

    public static final int TYPE_STRING = 0;
    public static final int TYPE_LIST = 1;
    public static final int TYPE_SET = 2;
    public static final int TYPE_ZSET = 3;
    public static final int TYPE_HASH = 4;
    public static final int TYPE_ZSET_2 = 5;
    public static final int TYPE_MODULE_PRE_GA = 6;
    public static final int TYPE_MODULE_2 = 7;
    public static final int TYPE_HASH_ZIPMAP = 9;
    public static final int TYPE_LIST_ZIPLIST = 10;
    public static final int TYPE_SET_INTSET = 11;
    public static final int TYPE_ZSET_ZIPLIST = 12;
    public static final int TYPE_HASH_ZIPLIST = 13;
    public static final int TYPE_LIST_QUICKLIST = 14;
    public static final int TYPE_STREAM_LISTPACKS = 15;
    public static final int TYPE_HASH_LISTPACK = 16;
    public static final int TYPE_ZSET_LISTPACK = 17;
    public static final int TYPE_LIST_QUICKLIST_2 = 18;
    public static final int TYPE_STREAM_LISTPACKS_2 = 19;
    public static final int TYPE_SET_LISTPACK = 20;
    public static final int TYPE_STREAM_LISTPACKS_3 = 21;

    /** Quicklist v2 node containers. */
    public static final int QUICKLIST_NODE_PLAIN = 1;
    public static final int QUICKLIST_NODE_PACKED = 2;

    // ---------------------------------------------------------------- opcodes

    /** Cluster slot sizes (Redis 7.4, version 12): three lengths, skipped. */
    public static final int OPCODE_SLOT_INFO = 244;
    public static final int OPCODE_FUNCTION2 = 245;
    /** The pre-release (7.0 RC) function format, which Redis 7.0 GA refuses too. */
    public static final int OPCODE_FUNCTION_PRE_GA = 246;
    public static final int OPCODE_MODULE_AUX = 247;
    public static final int OPCODE_IDLE = 248;
    public static final int OPCODE_FREQ = 249;
    public static final int OPCODE_AUX = 250;
    public static final int OPCODE_RESIZEDB = 251;
    public static final int OPCODE_EXPIRETIME_MS = 252;
    public static final int OPCODE_EXPIRETIME = 253;
    public static final int OPCODE_SELECTDB = 254;
    public static final int OPCODE_EOF = 255;

    // ---------------------------------------------------------------- lengths and strings

    /** The two top bits of a length's first byte. */
    public static final int LEN_6BIT = 0;
    public static final int LEN_14BIT = 1;
    /** Top bits 10: the rest of the first byte says 32 or 64 bits follow, big-endian. */
    public static final int LEN_32OR64 = 2;
    public static final int LEN_32BIT = 0x80;
    public static final int LEN_64BIT = 0x81;
    /** Top bits 11: not a length but a special string encoding in the low six bits. */
    public static final int LEN_ENCVAL = 3;

    public static final int ENC_INT8 = 0;
    public static final int ENC_INT16 = 1;
    public static final int ENC_INT32 = 2;
    public static final int ENC_LZF = 3;

    /** Strings are LZF-compressed when longer than this (and compression is on). */
    public static final int LZF_MIN_LENGTH = 20;

    /** Old-style (type 3) zset scores: one length byte, or one of these markers. */
    public static final int DOUBLE_NAN = 253;
    public static final int DOUBLE_POS_INF = 254;
    public static final int DOUBLE_NEG_INF = 255;

    /** The name redis-check-rdb and error messages use for a value type, or null when unknown. */
    public static String typeName(int type) {
        return switch (type) {
            case TYPE_STRING -> "string";
            case TYPE_LIST -> "list-linked";
            case TYPE_SET -> "set-hashtable";
            case TYPE_ZSET -> "zset-v1";
            case TYPE_HASH -> "hash-hashtable";
            case TYPE_ZSET_2 -> "zset-v2";
            case TYPE_MODULE_PRE_GA -> "module-pre-release";
            case TYPE_MODULE_2 -> "module-value";
            case TYPE_HASH_ZIPMAP -> "hash-zipmap";
            case TYPE_LIST_ZIPLIST -> "list-ziplist";
            case TYPE_SET_INTSET -> "set-intset";
            case TYPE_ZSET_ZIPLIST -> "zset-ziplist";
            case TYPE_HASH_ZIPLIST -> "hash-ziplist";
            case TYPE_LIST_QUICKLIST -> "quicklist";
            case TYPE_STREAM_LISTPACKS -> "stream";
            case TYPE_HASH_LISTPACK -> "hash-listpack";
            case TYPE_ZSET_LISTPACK -> "zset-listpack";
            case TYPE_LIST_QUICKLIST_2 -> "quicklist-v2";
            case TYPE_STREAM_LISTPACKS_2 -> "stream-v2";
            case TYPE_SET_LISTPACK -> "set-listpack";
            case TYPE_STREAM_LISTPACKS_3 -> "stream-v3";
            default -> null;
        };
    }

    /** Whether {@code type} is a value type byte (rather than an opcode or garbage). */
    public static boolean isValueType(int type) {
        return typeName(type) != null;
    }
}
