package dev.cellar.core.commands;

import dev.cellar.api.Reply;
import dev.cellar.core.engine.Args;
import dev.cellar.core.engine.CommandError;
import dev.cellar.core.engine.CommandTable;
import dev.cellar.core.engine.Ctx;
import dev.cellar.core.engine.Errors;
import java.util.ArrayList;
import java.util.List;

/**
 * LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN] (Redis 7's {@code lcsCommand}): the
 * longest common subsequence of two strings by the classic dynamic-programming table, walked back
 * from its end to give the subsequence, its length, or the matching ranges of both strings (from
 * the last match to the first, as Redis lists them). A missing key is the empty string.
 */
final class LcsCommand {
    private LcsCommand() {}

    static void register(CommandTable t) {
        t.add("lcs", -3, "readonly", 1, 2, 1, "string", LcsCommand::lcs);
    }

    private static Reply lcs(Ctx ctx) {
        Object va = ctx.db().lookupRead(ctx.arg(1));
        Object vb = ctx.db().lookupRead(ctx.arg(2));
        if ((va != null && !(va instanceof byte[]) && !(va instanceof Long))
                || (vb != null && !(vb instanceof byte[]) && !(vb instanceof Long))) {
            throw new CommandError("ERR The specified keys must contain string values");
        }
        byte[] a = va == null ? new byte[0] : Ctx.asString(va);
        byte[] b = vb == null ? new byte[0] : Ctx.asString(vb);
        boolean getLen = false;
        boolean getIdx = false;
        boolean withMatchLen = false;
        long minMatchLen = 0;
        for (int j = 3; j < ctx.argc(); j++) {
            String opt = Args.lower(ctx.arg(j));
            boolean more = j < ctx.argc() - 1;
            switch (opt) {
                case "idx" -> getIdx = true;
                case "len" -> getLen = true;
                case "withmatchlen" -> withMatchLen = true;
                default -> {
                    if (!opt.equals("minmatchlen") || !more) {
                        throw new CommandError(Errors.SYNTAX);
                    }
                    minMatchLen = Math.max(0, Args.parseLong(ctx.arg(++j), Errors.NOT_INTEGER));
                }
            }
        }
        if (getIdx && getLen) {
            throw new CommandError("ERR If you want both the length and indexes, please just use IDX.");
        }
        int alen = a.length;
        int blen = b.length;
        long cells = (long) (alen + 1) * (blen + 1);
        if (cells * 4 > StringCommands.maxStringLength(ctx)) {
            throw new CommandError("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
        }
        int[] table;
        try {
            table = new int[(int) cells];
        } catch (OutOfMemoryError | NegativeArraySizeException e) {
            throw new CommandError("ERR Insufficient memory, failed allocating transient memory for LCS");
        }
        int width = blen + 1;
        for (int i = 1; i <= alen; i++) {
            for (int j = 1; j <= blen; j++) {
                table[i * width + j] = a[i - 1] == b[j - 1] ? table[(i - 1) * width + j - 1] + 1
                        : Math.max(table[(i - 1) * width + j], table[i * width + j - 1]);
            }
        }
        int length = table[alen * width + blen];
        if (getLen) {
            return Reply.of(length);
        }
        byte[] result = new byte[length];
        List<Reply> matches = new ArrayList<>();
        int idx = length;
        int aStart = alen; // alen: no range open
        int aEnd = 0;
        int bStart = 0;
        int bEnd = 0;
        int i = alen;
        int j = blen;
        while (i > 0 && j > 0) {
            boolean emit = false;
            if (a[i - 1] == b[j - 1]) {
                result[idx - 1] = a[i - 1];
                if (aStart == alen) {
                    aStart = i - 1;
                    aEnd = i - 1;
                    bStart = j - 1;
                    bEnd = j - 1;
                } else if (aStart == i && bStart == j) {
                    aStart--;
                    bStart--;
                } else {
                    emit = true;
                }
                if (aStart == 0 || bStart == 0) {
                    emit = true;
                }
                idx--;
                i--;
                j--;
            } else {
                if (table[(i - 1) * width + j] > table[i * width + j - 1]) {
                    i--;
                } else {
                    j--;
                }
                if (aStart != alen) {
                    emit = true;
                }
            }
            int matchLen = aEnd - aStart + 1;
            if (emit) {
                if (minMatchLen == 0 || matchLen >= minMatchLen) {
                    List<Reply> range = new ArrayList<>(List.of(
                            Reply.array(List.of(Reply.of(aStart), Reply.of(aEnd))),
                            Reply.array(List.of(Reply.of(bStart), Reply.of(bEnd)))));
                    if (withMatchLen) {
                        range.add(Reply.of(matchLen));
                    }
                    matches.add(Reply.array(range));
                }
                aStart = alen;
            }
        }
        if (!getIdx) {
            return Reply.bulk(result);
        }
        return new Reply.MapReply(List.of(Reply.bulk("matches"), Reply.array(matches), Reply.bulk("len"),
                Reply.of(length)));
    }
}
