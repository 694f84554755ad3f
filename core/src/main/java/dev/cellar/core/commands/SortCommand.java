package dev.cellar.core.commands;

import dev.cellar.api.Reply;
import dev.cellar.core.Numbers;
import dev.cellar.core.engine.Args;
import dev.cellar.core.engine.CommandError;
import dev.cellar.core.engine.CommandTable;
import dev.cellar.core.engine.Ctx;
import dev.cellar.core.engine.Db;
import dev.cellar.core.engine.Errors;
import dev.cellar.core.engine.KeyspaceListener;
import dev.cellar.core.values.HashValue;
import dev.cellar.core.values.ListValue;
import dev.cellar.core.values.SetValue;
import dev.cellar.core.values.ZSetValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * SORT and SORT_RO (Redis's {@code sort.c}): the elements of a list, set or sorted set, sorted as
 * numbers or (ALPHA) as byte strings, optionally by the values of other keys ({@code BY
 * weight_*}, {@code BY h_*->field}), cut by LIMIT, each replaced by the values of other keys
 * ({@code GET pattern}, {@code GET #} for the element), returned or stored as a list (STORE).
 *
 * <p>As in Redis: {@code BY} a pattern without {@code *} skips sorting (a list or sorted set then
 * keeps its own order, reversed by DESC; a set its iteration order, except that with STORE a set
 * is sorted ALPHA so that what is stored, and logged, does not depend on the hash table); equal
 * numbers are ordered by the elements' bytes; a weight that is missing counts as 0 (or, ALPHA,
 * comes first); a weight or element that is not a number answers {@code One or more scores can't
 * be converted into double}. STORE replaces the destination (deleting it when the result is
 * empty) and is propagated as it was written, being deterministic.
 */
final class SortCommand {
    private static final String ERR_SCORES = "ERR One or more scores can't be converted into double";

    private SortCommand() {}

    static void register(CommandTable t) {
        t.add("sort", -2, "write denyoom movablekeys", 1, 1, 1, "generic", ctx -> sort(ctx, false))
                .keys(SortCommand::keyPositions);
        t.add("sort_ro", -2, "readonly movablekeys", 1, 1, 1, "generic", ctx -> sort(ctx, true));
    }

    /**
     * The keys of a SORT call as Redis's sortGetKeys finds them: the key sorted, then the argument
     * after the last STORE, which is not skipped (Redis reads it as an option word too).
     */
    private static int[] keyPositions(byte[][] argv) {
        int store = -1;
        for (int i = 2; i < argv.length; i++) {
            String word = Args.lower(argv[i]);
            if (word.equals("store") && i + 1 < argv.length) {
                store = i + 1;
            }
            i += switch (word) {
                case "limit" -> 2;
                case "get", "by" -> 1;
                default -> 0;
            };
        }
        return store < 0 ? new int[] {1} : new int[] {1, store};
    }

    /** One element and what it sorts by. */
    private static final class Item {
        final byte[] element;
        double score;
        byte[] weight; // ALPHA BY: the looked-up value, null when missing

        Item(byte[] element) {
            this.element = element;
        }
    }

    private static Reply sort(Ctx ctx, boolean readonly) {
        boolean desc = false;
        boolean alpha = false;
        boolean dontSort = false;
        long limitStart = 0;
        long limitCount = -1;
        byte[] by = null;
        byte[] store = null;
        List<byte[]> gets = new ArrayList<>();
        for (int j = 2; j < ctx.argc(); j++) {
            int left = ctx.argc() - j - 1;
            String word = Args.lower(ctx.arg(j));
            if (word.equals("asc")) {
                desc = false;
            } else if (word.equals("desc")) {
                desc = true;
            } else if (word.equals("alpha")) {
                alpha = true;
            } else if (word.equals("limit") && left >= 2) {
                limitStart = Args.parseLong(ctx.arg(j + 1), Errors.NOT_INTEGER);
                limitCount = Args.parseLong(ctx.arg(j + 2), Errors.NOT_INTEGER);
                j += 2;
            } else if (!readonly && word.equals("store") && left >= 1) {
                store = ctx.arg(++j);
            } else if (word.equals("by") && left >= 1) {
                by = ctx.arg(++j);
                dontSort = indexOf(by, (byte) '*', 0) < 0;
            } else if (word.equals("get") && left >= 1) {
                gets.add(ctx.arg(++j));
            } else {
                throw new CommandError("ERR syntax error");
            }
        }
        Object value = ctx.db().lookupRead(ctx.arg(1));
        if (value != null && !(value instanceof ListValue) && !(value instanceof SetValue)
                && !(value instanceof ZSetValue)) {
            throw new CommandError(Errors.WRONGTYPE);
        }
        if (dontSort && value instanceof SetValue && store != null) {
            // what is stored (and logged) must not depend on the set's iteration order
            dontSort = false;
            alpha = true;
            by = null;
        }
        List<byte[]> elements = elements(value);
        int n = elements.size();
        long start = Math.max(0, limitStart);
        long end = limitCount < 0 ? n - 1 : start + limitCount - 1;
        if (start >= n) {
            start = n - 1;
            end = n - 2;
        }
        if (end >= n) {
            end = n - 1;
        }
        List<Item> items = new ArrayList<>(n);
        boolean ordered = value instanceof ListValue || value instanceof ZSetValue;
        if (dontSort && ordered) {
            // the key's own order, from the tail for DESC, only the range asked for
            for (long i = start; i <= end; i++) {
                items.add(new Item(elements.get((int) (desc ? n - 1 - i : i))));
            }
            end -= start;
            start = 0;
        } else {
            for (byte[] e : elements) {
                items.add(new Item(e));
            }
        }
        if (!dontSort) {
            boolean badScore = false;
            for (Item item : items) {
                Object weight = by == null ? item.element : lookupByPattern(ctx.db(), by, item.element);
                if (weight == null) {
                    continue;
                }
                if (alpha) {
                    if (by != null) {
                        item.weight = Ctx.asString(weight);
                    }
                } else if (weight instanceof Long l) {
                    item.score = l;
                } else {
                    try {
                        item.score = score((byte[]) weight);
                    } catch (NumberFormatException e) {
                        badScore = true;
                    }
                }
            }
            if (badScore) {
                throw new CommandError(ERR_SCORES);
            }
            items.sort(comparator(alpha, by != null, desc));
        }
        long outputLength = Math.max(0, end - start + 1) * (gets.isEmpty() ? 1 : gets.size());
        if (store == null) {
            List<Reply> out = new ArrayList<>();
            for (long j = start; j <= end; j++) {
                byte[] element = items.get((int) j).element;
                if (gets.isEmpty()) {
                    out.add(Reply.bulk(element));
                }
                for (byte[] pattern : gets) {
                    Object v = lookupByPattern(ctx.db(), pattern, element);
                    out.add(v == null ? Reply.NULL : Reply.bulk(Ctx.asString(v)));
                }
            }
            return Reply.array(out);
        }
        ListValue list = new ListValue(ctx.settings().getInt("list-max-listpack-size"));
        for (long j = start; j <= end; j++) {
            byte[] element = items.get((int) j).element;
            if (gets.isEmpty()) {
                list.pushTail(element);
            }
            for (byte[] pattern : gets) {
                Object v = lookupByPattern(ctx.db(), pattern, element);
                list.pushTail(v == null ? new byte[0] : Ctx.asString(v));
            }
        }
        Db db = ctx.db();
        if (outputLength > 0) {
            db.setKey(store, list, false);
            ctx.notify(KeyspaceListener.LIST, "sortstore", store);
            ctx.dirty(outputLength);
        } else if (db.delete(store)) {
            ctx.signalModified(store);
            ctx.notify(KeyspaceListener.GENERIC, "del", store);
            ctx.dirty(1);
        }
        return Reply.of(outputLength);
    }

    private static List<byte[]> elements(Object value) {
        List<byte[]> out = new ArrayList<>();
        if (value instanceof ListValue l) {
            l.forEach(out::add);
        } else if (value instanceof SetValue s) {
            s.forEach(out::add);
        } else if (value instanceof ZSetValue z) {
            z.forEach((member, score) -> out.add(member));
        }
        return out;
    }

    private static Comparator<Item> comparator(boolean alpha, boolean byPattern, boolean desc) {
        Comparator<Item> c;
        if (!alpha) {
            c = (a, b) -> {
                int cmp = Double.compare(a.score, b.score);
                if (a.score == b.score) {
                    cmp = 0; // -0.0 and 0.0 are equal here, as in C
                }
                return cmp != 0 ? cmp : Arrays.compareUnsigned(a.element, b.element);
            };
        } else if (byPattern) {
            c = (a, b) -> {
                if (a.weight == null || b.weight == null) {
                    return a.weight == b.weight ? 0 : a.weight == null ? -1 : 1;
                }
                return Arrays.compareUnsigned(a.weight, b.weight);
            };
        } else {
            c = (a, b) -> Arrays.compareUnsigned(a.element, b.element);
        }
        return desc ? c.reversed() : c;
    }

    /**
     * A number as Redis's SORT reads one with {@code strtod}: leading white space allowed, nothing
     * after the number, no NaN, nothing out of range; the empty string reads as 0.
     */
    private static double score(byte[] text) {
        int i = 0;
        while (i < text.length && (text[i] == ' ' || (text[i] >= '\t' && text[i] <= '\r'))) {
            i++;
        }
        if (text.length == 0) {
            return 0;
        }
        if (i == text.length) {
            throw new NumberFormatException();
        }
        return Numbers.parseDouble(i == 0 ? text : Arrays.copyOfRange(text, i, text.length));
    }

    /**
     * Redis's {@code lookupKeyByPattern}: {@code #} is the element itself; otherwise the first
     * {@code *} is replaced by the element and the key read as a string, or, with {@code ->field}
     * after the {@code *}, as a hash's field; null when there is no {@code *}, no such key, or a
     * key of another type.
     */
    private static Object lookupByPattern(Db db, byte[] pattern, byte[] element) {
        if (pattern.length == 1 && pattern[0] == '#') {
            return element;
        }
        int star = indexOf(pattern, (byte) '*', 0);
        if (star < 0) {
            return null;
        }
        int arrow = -1;
        for (int i = star + 1; i + 1 < pattern.length; i++) {
            if (pattern[i] == '-' && pattern[i + 1] == '>') {
                arrow = i;
                break;
            }
        }
        byte[] field = null;
        int keyEnd = pattern.length;
        if (arrow >= 0 && arrow + 2 < pattern.length) {
            field = Arrays.copyOfRange(pattern, arrow + 2, pattern.length);
            keyEnd = arrow;
        }
        byte[] key = new byte[star + element.length + (keyEnd - star - 1)];
        System.arraycopy(pattern, 0, key, 0, star);
        System.arraycopy(element, 0, key, star, element.length);
        System.arraycopy(pattern, star + 1, key, star + element.length, keyEnd - star - 1);
        Object v = db.lookupRead(key);
        if (v == null) {
            return null;
        }
        if (field != null) {
            return v instanceof HashValue h ? h.get(field) : null;
        }
        return v instanceof byte[] || v instanceof Long ? v : null;
    }

    private static int indexOf(byte[] a, byte b, int from) {
        for (int i = from; i < a.length; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
