package dev.cellar.persistence.aof;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The manifest of a multi-part AOF: which base file, which history files and which incremental
 * files make up the log, as Redis 7.0 writes and reads {@code appendonly.aof.manifest}.
 *
 * <p>Format: one line per file, {@code file <name> seq <n> type <b|h|i>}, base first, then
 * history, then the incremental files in ascending sequence. A name that contains a space, a
 * quote, a backslash or an unprintable byte is written in double quotes with C escapes
 * ({@code sdscatrepr}); reading splits each line the way {@code sdssplitargs} does (double quotes
 * with escapes, single quotes with only {@code \'}), skips lines starting with {@code #}, and
 * accepts extra key/value pairs for forward compatibility. Instances are immutable.
 */
final class Manifest {
    /** The longest line Redis 7.0 reads from a manifest. */
    static final int MAX_LINE = 1024;

    /** One file of the log. */
    record FileInfo(String name, long seq, char type) {
        static final char BASE = 'b';
        static final char HISTORY = 'h';
        static final char INCR = 'i';

        FileInfo withType(char newType) {
            return new FileInfo(name, seq, newType);
        }
    }

    private final FileInfo base;
    private final List<FileInfo> history;
    private final List<FileInfo> incrs;

    Manifest(FileInfo base, List<FileInfo> history, List<FileInfo> incrs) {
        this.base = base;
        this.history = List.copyOf(history);
        this.incrs = List.copyOf(incrs);
    }

    /** A manifest with no files. */
    static Manifest empty() {
        return new Manifest(null, List.of(), List.of());
    }

    FileInfo base() {
        return base;
    }

    List<FileInfo> history() {
        return history;
    }

    List<FileInfo> incrs() {
        return incrs;
    }

    boolean isEmpty() {
        return base == null && history.isEmpty() && incrs.isEmpty();
    }

    /** The files to load, in order: the base, then the incremental files. */
    List<FileInfo> loadOrder() {
        List<FileInfo> out = new ArrayList<>();
        if (base != null) {
            out.add(base);
        }
        out.addAll(incrs);
        return out;
    }

    /** The sequence number of the last incremental file, or 0. */
    long lastIncrSeq() {
        return incrs.isEmpty() ? 0 : incrs.get(incrs.size() - 1).seq();
    }

    /** The sequence number of the base, or 0. */
    long baseSeq() {
        return base == null ? 0 : base.seq();
    }

    Manifest withBase(FileInfo newBase) {
        return new Manifest(newBase, history, incrs);
    }

    Manifest withIncr(FileInfo incr) {
        List<FileInfo> more = new ArrayList<>(incrs);
        more.add(incr);
        return new Manifest(base, history, more);
    }

    /**
     * The manifest after a rewrite that began when incremental file {@code firstKeptSeq} was
     * opened: {@code newBase} replaces the base, and the old base and every older incremental file
     * become history.
     */
    Manifest afterRewrite(FileInfo newBase, long firstKeptSeq) {
        // History newest first, as Redis 7.0 lists it (each file goes to the head of its history
        // list): the rewritten incremental files in order, the old base, then the older history.
        List<FileInfo> hist = new ArrayList<>();
        List<FileInfo> kept = new ArrayList<>();
        for (FileInfo f : incrs) {
            if (f.seq() < firstKeptSeq) {
                hist.add(f.withType(FileInfo.HISTORY));
            } else {
                kept.add(f);
            }
        }
        if (base != null) {
            hist.add(base.withType(FileInfo.HISTORY));
        }
        hist.addAll(history);
        return new Manifest(newBase, hist, kept);
    }

    Manifest withoutHistory() {
        return new Manifest(base, List.of(), incrs);
    }

    // ------------------------------------------------------------------ format

    /** The manifest's text, exactly as Redis 7.0 writes it. */
    String format() {
        StringBuilder sb = new StringBuilder();
        if (base != null) {
            line(sb, base);
        }
        for (FileInfo f : history) {
            line(sb, f);
        }
        for (FileInfo f : incrs) {
            line(sb, f);
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, FileInfo f) {
        sb.append("file ").append(needsRepr(f.name()) ? repr(f.name()) : f.name())
                .append(" seq ").append(f.seq()).append(" type ").append(f.type()).append('\n');
    }

    /** Whether a name must be quoted ({@code sdsneedsrepr}). */
    static boolean needsRepr(String name) {
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c == '\\' || c == '"' || c == '\n' || c == '\r' || c == '\t' || c == 7 || c == '\b'
                    || c == ' ' || !isPrint(c)) {
                return true;
            }
        }
        return false;
    }

    /** A name in double quotes with C escapes ({@code sdscatrepr}). */
    static String repr(String name) {
        StringBuilder sb = new StringBuilder("\"");
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case 7 -> sb.append("\\a");
                case '\b' -> sb.append("\\b");
                default -> {
                    if (isPrint(c)) {
                        sb.append((char) c);
                    } else {
                        sb.append(String.format("\\x%02x", c));
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    private static boolean isPrint(int c) {
        return c >= 0x20 && c < 0x7f;
    }

    // ------------------------------------------------------------------ parse

    /**
     * Reads a manifest; the exception's message is the one Redis gives for the same fault.
     *
     * @throws IllegalArgumentException when the manifest is malformed
     */
    static Manifest parse(byte[] text) {
        FileInfo base = null;
        List<FileInfo> history = new ArrayList<>();
        List<FileInfo> incrs = new ArrayList<>();
        long maxSeq = 0;
        int pos = 0;
        int lineNo = 0;
        while (pos < text.length) {
            int nl = indexOf(text, (byte) '\n', pos);
            lineNo++;
            if (nl < 0 || nl - pos + 1 > MAX_LINE) {
                if (nl < 0 && text[pos] == '#') {
                    break;
                }
                throw new IllegalArgumentException(nl < 0
                        ? "The AOF manifest file is invalid format (line " + lineNo + " has no newline)"
                        : "The AOF manifest file contains too long line (line " + lineNo + ")");
            }
            String raw = new String(text, pos, nl - pos, StandardCharsets.ISO_8859_1);
            pos = nl + 1;
            if (raw.startsWith("#")) {
                continue;
            }
            String line = raw.strip();
            if (line.isEmpty()) {
                throw new IllegalArgumentException("Invalid AOF manifest file format (line " + lineNo + " is empty)");
            }
            List<byte[]> args = splitArgs(line);
            if (args == null || args.size() < 6 || args.size() % 2 != 0) {
                throw new IllegalArgumentException("Invalid AOF manifest file format (line " + lineNo + ": '"
                        + raw + "', expected: file <name> seq <n> type <b|h|i>)");
            }
            String name = null;
            long seq = 0;
            char type = 0;
            for (int i = 0; i < args.size(); i += 2) {
                String key = new String(args.get(i), StandardCharsets.ISO_8859_1);
                byte[] value = args.get(i + 1);
                if (key.equalsIgnoreCase("file")) {
                    name = new String(value, StandardCharsets.UTF_8);
                    if (name.contains("/") || name.equals("..") || name.equals(".")) {
                        throw new IllegalArgumentException("File can't be a path, just a filename (line " + lineNo
                                + ": '" + name + "')");
                    }
                } else if (key.equalsIgnoreCase("seq")) {
                    seq = atoll(value);
                } else if (key.equalsIgnoreCase("type")) {
                    type = value.length == 0 ? 0 : (char) (value[0] & 0xff);
                }
            }
            if (name == null || seq == 0 || type == 0) {
                throw new IllegalArgumentException("Invalid AOF manifest file format (line " + lineNo
                        + ": expected file, seq and type)");
            }
            FileInfo info = new FileInfo(name, seq, type);
            switch (type) {
                case FileInfo.BASE -> {
                    if (base != null) {
                        throw new IllegalArgumentException("Found duplicate base file information (line " + lineNo + ")");
                    }
                    base = info;
                }
                case FileInfo.HISTORY -> history.add(info);
                case FileInfo.INCR -> {
                    if (seq <= maxSeq) {
                        throw new IllegalArgumentException("Found a non-monotonic sequence number (line " + lineNo
                                + ": seq " + seq + " after " + maxSeq + ")");
                    }
                    incrs.add(info);
                    maxSeq = seq;
                }
                default -> throw new IllegalArgumentException("Unknown AOF file type (line " + lineNo + ": '"
                        + type + "', expected: b, h or i)");
            }
        }
        Manifest m = new Manifest(base, history, incrs);
        if (m.isEmpty()) {
            throw new IllegalArgumentException("Found an empty AOF manifest");
        }
        return m;
    }

    private static int indexOf(byte[] a, byte b, int from) {
        for (int i = from; i < a.length; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** C's atoll: optional sign and leading digits, 0 when none. */
    private static long atoll(byte[] v) {
        int i = 0;
        while (i < v.length && (v[i] == ' ' || v[i] == '\t')) {
            i++;
        }
        boolean neg = false;
        if (i < v.length && (v[i] == '-' || v[i] == '+')) {
            neg = v[i] == '-';
            i++;
        }
        long n = 0;
        while (i < v.length && v[i] >= '0' && v[i] <= '9') {
            n = n * 10 + (v[i] - '0');
            i++;
        }
        return neg ? -n : n;
    }

    /**
     * Splits a line into arguments the way Redis's {@code sdssplitargs} does; null when quotes are
     * unbalanced or a closing quote is not followed by a space.
     */
    static List<byte[]> splitArgs(String line) {
        byte[] s = line.getBytes(StandardCharsets.ISO_8859_1);
        List<byte[]> out = new ArrayList<>();
        int p = 0;
        while (true) {
            while (p < s.length && isSpace(s[p])) {
                p++;
            }
            if (p >= s.length) {
                return out;
            }
            ByteArrayOutputStream cur = new ByteArrayOutputStream();
            boolean inq = false;
            boolean insq = false;
            boolean done = false;
            while (!done) {
                if (inq) {
                    if (p >= s.length) {
                        return null;
                    }
                    if (s[p] == '\\' && p + 3 < s.length && s[p + 1] == 'x' && isHex(s[p + 2]) && isHex(s[p + 3])) {
                        cur.write(hex(s[p + 2]) * 16 + hex(s[p + 3]));
                        p += 3;
                    } else if (s[p] == '\\' && p + 1 < s.length) {
                        p++;
                        cur.write(switch (s[p]) {
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case 't' -> '\t';
                            case 'b' -> '\b';
                            case 'a' -> 7;
                            default -> s[p];
                        });
                    } else if (s[p] == '"') {
                        if (p + 1 < s.length && !isSpace(s[p + 1])) {
                            return null;
                        }
                        done = true;
                    } else {
                        cur.write(s[p]);
                    }
                } else if (insq) {
                    if (p >= s.length) {
                        return null;
                    }
                    if (s[p] == '\\' && p + 1 < s.length && s[p + 1] == '\'') {
                        p++;
                        cur.write('\'');
                    } else if (s[p] == '\'') {
                        if (p + 1 < s.length && !isSpace(s[p + 1])) {
                            return null;
                        }
                        done = true;
                    } else {
                        cur.write(s[p]);
                    }
                } else {
                    if (p >= s.length) {
                        done = true;
                        break;
                    }
                    switch (s[p]) {
                        case ' ', '\n', '\r', '\t', 0 -> done = true;
                        case '"' -> inq = true;
                        case '\'' -> insq = true;
                        default -> cur.write(s[p]);
                    }
                }
                if (p < s.length) {
                    p++;
                }
            }
            out.add(cur.toByteArray());
        }
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == 0x0b || b == 0x0c;
    }

    private static boolean isHex(byte b) {
        return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
    }

    private static int hex(byte b) {
        return b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Manifest m && java.util.Objects.equals(base, m.base) && history.equals(m.history)
                && incrs.equals(m.incrs);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(base, history, incrs);
    }

    @Override
    public String toString() {
        return format();
    }
}
