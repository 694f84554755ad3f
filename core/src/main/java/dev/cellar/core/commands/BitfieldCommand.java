package dev.cellar.core.commands;

import dev.cellar.api.Reply;
import dev.cellar.core.engine.Args;
import dev.cellar.core.engine.CommandError;
import dev.cellar.core.engine.CommandTable;
import dev.cellar.core.engine.Ctx;
import dev.cellar.core.engine.KeyspaceListener;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * BITFIELD and BITFIELD_RO (Redis's {@code bitfieldGeneric} in {@code bitops.c}): signed and
 * unsigned integers of 1 to 64 bits (unsigned up to 63) at any bit offset of a string, read, set
 * or incremented, with WRAP, SAT or FAIL on overflow.
 *
 * <p>As in Redis, all arguments are checked before anything runs; a write makes the string long
 * enough for the farthest bit any write reaches (creating it), then the operations run in order. A
 * write counts as a change (and the command is propagated as it is, being deterministic) when it
 * changed the stored value or the string was created or grown; a FAIL that skips its write replies
 * nil and changes nothing.
 */
final class BitfieldCommand {
    private static final String ERR_TYPE =
            "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.";
    private static final String ERR_OVERFLOW = "ERR Invalid OVERFLOW type specified";
    private static final String ERR_RO = "ERR BITFIELD_RO only supports the GET subcommand";

    private enum Op { GET, SET, INCRBY }

    private enum Overflow { WRAP, SAT, FAIL }

    private record Step(Op op, boolean signed, int bits, long offset, long value, Overflow overflow) {}

    private BitfieldCommand() {}

    static void register(CommandTable t) {
        t.add("bitfield", -2, "write denyoom", 1, 1, 1, "bitmap", ctx -> run(ctx, false));
        t.add("bitfield_ro", -2, "readonly fast", 1, 1, 1, "bitmap", ctx -> run(ctx, true));
    }

    private static Reply run(Ctx ctx, boolean readonlyCommand) {
        List<Step> steps = new ArrayList<>();
        Overflow overflow = Overflow.WRAP;
        boolean writes = false;
        long highestWriteBit = 0;
        for (int j = 2; j < ctx.argc(); j++) {
            int remaining = ctx.argc() - j - 1;
            String sub = Args.lower(ctx.arg(j));
            Op op;
            if (sub.equals("get") && remaining >= 2) {
                op = Op.GET;
            } else if (sub.equals("set") && remaining >= 3) {
                op = Op.SET;
            } else if (sub.equals("incrby") && remaining >= 3) {
                op = Op.INCRBY;
            } else if (sub.equals("overflow") && remaining >= 1) {
                overflow = switch (Args.lower(ctx.arg(++j))) {
                    case "wrap" -> Overflow.WRAP;
                    case "sat" -> Overflow.SAT;
                    case "fail" -> Overflow.FAIL;
                    default -> throw new CommandError(ERR_OVERFLOW);
                };
                continue;
            } else {
                throw new CommandError("ERR syntax error");
            }
            String type = Args.text(ctx.arg(j + 1));
            boolean signed = type.startsWith("i");
            if (!signed && !type.startsWith("u")) {
                throw new CommandError(ERR_TYPE);
            }
            long bits = Args.parseLong(type.substring(1).getBytes(java.nio.charset.StandardCharsets.US_ASCII), ERR_TYPE);
            if (bits < 1 || bits > (signed ? 64 : 63)) {
                throw new CommandError(ERR_TYPE);
            }
            long offset = offset(ctx, ctx.arg(j + 2), (int) bits);
            long value = 0;
            if (op != Op.GET) {
                writes = true;
                highestWriteBit = Math.max(highestWriteBit, offset + bits - 1);
                value = Args.parseLong(ctx.arg(j + 3), "ERR value is not an integer or out of range");
            }
            steps.add(new Step(op, signed, (int) bits, offset, value, overflow));
            j += op == Op.GET ? 2 : 3;
        }
        byte[] key = ctx.arg(1);
        byte[] bytes;
        boolean grown = false;
        if (!writes) {
            bytes = ctx.getString(key);
        } else {
            if (readonlyCommand) {
                throw new CommandError(ERR_RO);
            }
            byte[] old = ctx.getStringForWrite(key);
            int needed = (int) (highestWriteBit >>> 3) + 1;
            grown = old == null || old.length < needed;
            bytes = old == null ? new byte[needed] : Arrays.copyOf(old, Math.max(old.length, needed));
            ctx.db().setRawString(key, bytes);
        }
        List<Reply> replies = new ArrayList<>(steps.size());
        long changes = 0;
        for (Step s : steps) {
            if (s.op == Op.GET) {
                long v = bytes == null ? 0 : read(bytes, s.offset, s.bits);
                replies.add(Reply.of(s.signed ? signExtend(v, s.bits) : v));
                continue;
            }
            long raw = read(bytes, s.offset, s.bits);
            long old = s.signed ? signExtend(raw, s.bits) : raw;
            long[] limited = new long[1];
            boolean overflowed;
            long next;
            long reply;
            if (s.op == Op.INCRBY) {
                overflowed = s.signed ? signedOverflow(old, s.value, s.bits, s.overflow, limited)
                        : unsignedOverflow(old, s.value, s.bits, s.overflow, limited);
                next = overflowed ? limited[0] : old + s.value;
                reply = next;
            } else {
                overflowed = s.signed ? signedOverflow(s.value, 0, s.bits, s.overflow, limited)
                        : unsignedOverflow(s.value, 0, s.bits, s.overflow, limited);
                next = overflowed ? limited[0] : s.value;
                reply = old;
            }
            if (overflowed && s.overflow == Overflow.FAIL) {
                replies.add(Reply.NULL);
                continue;
            }
            replies.add(Reply.of(reply));
            write(bytes, s.offset, s.bits, next);
            if (grown || old != next) {
                changes++;
            }
        }
        if (changes > 0) {
            ctx.signalModified(key);
            ctx.notify(KeyspaceListener.STRING, "setbit", key);
            ctx.dirty(changes);
        }
        return Reply.array(replies);
    }

    /** An offset in bits, or {@code #N}: the N-th field of this width. */
    private static long offset(Ctx ctx, byte[] arg, int bits) {
        boolean indexed = arg.length > 0 && arg[0] == '#';
        long offset = Args.parseLong(indexed ? Arrays.copyOfRange(arg, 1, arg.length) : arg,
                StringCommands.ERR_BIT_OFFSET);
        if (indexed) {
            offset *= bits;
        }
        if (offset < 0 || (offset >>> 3) >= StringCommands.maxStringLength(ctx)) {
            throw new CommandError(StringCommands.ERR_BIT_OFFSET);
        }
        return offset;
    }

    /** The {@code bits} bits at {@code offset}, most significant first, as an unsigned number; bits past the end are 0. */
    private static long read(byte[] b, long offset, int bits) {
        long v = 0;
        for (int i = 0; i < bits; i++, offset++) {
            int index = (int) (offset >>> 3);
            int bit = index < b.length ? (b[index] >> (7 - (int) (offset & 7))) & 1 : 0;
            v = (v << 1) | bit;
        }
        return v;
    }

    private static void write(byte[] b, long offset, int bits, long value) {
        for (int i = 0; i < bits; i++, offset++) {
            int index = (int) (offset >>> 3);
            int mask = 1 << (7 - (int) (offset & 7));
            if (((value >>> (bits - 1 - i)) & 1) != 0) {
                b[index] |= (byte) mask;
            } else {
                b[index] &= (byte) ~mask;
            }
        }
    }

    private static long signExtend(long v, int bits) {
        return bits == 64 ? v : (v << (64 - bits)) >> (64 - bits);
    }

    /** Redis's checkSignedBitfieldOverflow: whether {@code value + incr} leaves the type; the wrapped or saturated result in {@code limit[0]}. */
    private static boolean signedOverflow(long value, long incr, int bits, Overflow how, long[] limit) {
        long max = bits == 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1;
        long min = -max - 1;
        long maxIncr = max - value;
        long minIncr = min - value;
        boolean up = value > max || (bits != 64 && incr > maxIncr) || (value >= 0 && incr > 0 && incr > maxIncr);
        boolean down = !up && (value < min || (bits != 64 && incr < minIncr) || (value < 0 && incr < 0 && incr < minIncr));
        if (!up && !down) {
            return false;
        }
        if (how == Overflow.WRAP) {
            long c = value + incr;
            if (bits < 64) {
                long mask = -1L << bits;
                c = (c & (1L << (bits - 1))) != 0 ? c | mask : c & ~mask;
            }
            limit[0] = c;
        } else if (how == Overflow.SAT) {
            limit[0] = up ? max : min;
        }
        return true;
    }

    /** Redis's checkUnsignedBitfieldOverflow, the value taken as unsigned 64 bits. */
    private static boolean unsignedOverflow(long value, long incr, int bits, Overflow how, long[] limit) {
        long max = (1L << bits) - 1; // bits <= 63
        long maxIncr = max - value;
        long minIncr = -value;
        boolean up = Long.compareUnsigned(value, max) > 0 || (incr > 0 && incr > maxIncr);
        boolean down = !up && incr < 0 && incr < minIncr;
        if (!up && !down) {
            return false;
        }
        if (how == Overflow.WRAP) {
            limit[0] = (value + incr) & ~(-1L << bits);
        } else if (how == Overflow.SAT) {
            limit[0] = up ? max : 0;
        }
        return true;
    }
}
