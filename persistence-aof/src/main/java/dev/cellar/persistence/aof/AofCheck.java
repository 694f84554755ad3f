package dev.cellar.persistence.aof;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * {@code check-aof}: checks an AOF (a multi-part manifest, a legacy single file, or a legacy file
 * with an RDB preamble) and repairs a truncated tail, like {@code redis-check-aof}, whose output it
 * follows line for line.
 *
 * <pre>
 * check-aof [--fix|--truncate-to-timestamp &lt;unix seconds&gt;] [-y|--yes] &lt;file.manifest|file.aof&gt;
 * </pre>
 *
 * <p>{@code --fix} cuts the file back to the end of its last whole command, after asking on
 * standard input ({@code -y} answers yes); only the last file of a multi-part AOF may be cut.
 * {@code --truncate-to-timestamp} cuts the log at the first {@code #TS} annotation later than the
 * given time. An RDB preamble is checked by an installed {@link AofBaseFormat} (the hybrid
 * module's), and reported as uncheckable when none is installed. Exit status 0 when valid (or
 * repaired), 1 otherwise.
 */
public final class AofCheck {
    private final PrintStream out;
    private final InputStream in;
    private final List<AofBaseFormat> formats;
    private boolean fix;
    private boolean yes;
    private long truncateTo = -1;

    AofCheck(PrintStream out, InputStream in, List<AofBaseFormat> formats) {
        this.out = out;
        this.in = in;
        this.formats = formats;
    }

    /** Runs the tool and exits with its status. */
    public static void main(String[] args) {
        System.exit(new AofCheck(System.out, System.in, AofProvider.discoverFormats()).run(args));
    }

    /** Runs the tool; returns the exit status. */
    int run(String[] args) {
        String file = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--fix" -> fix = true;
                case "-y", "--yes" -> yes = true;
                case "--truncate-to-timestamp" -> {
                    if (i + 1 >= args.length) {
                        return usage();
                    }
                    try {
                        truncateTo = Long.parseLong(args[++i]);
                    } catch (NumberFormatException e) {
                        out.println("Invalid timestamp: '" + args[i] + "' (expected: Unix seconds)");
                        return 1;
                    }
                }
                default -> {
                    if (file != null || args[i].startsWith("--")) {
                        return usage();
                    }
                    file = args[i];
                }
            }
        }
        if (file == null || (fix && truncateTo >= 0)) {
            return usage();
        }
        Path path = Path.of(file);
        if (!Files.isRegularFile(path)) {
            out.println("Cannot open file " + file + ": No such file or directory");
            return 1;
        }
        try {
            if (isManifest(path)) {
                return checkMultiPart(path);
            }
            out.println("Start checking Old-Style AOF");
            return checkFile(path, file, "", true) ? 0 : 1;
        } catch (IOException e) {
            out.println("Error: " + e.getMessage());
            return 1;
        }
    }

    private int usage() {
        out.println("Usage: check-aof [--fix|--truncate-to-timestamp $timestamp] [-y|--yes] <file.manifest|file.aof>");
        return 1;
    }

    private static boolean isManifest(Path path) throws IOException {
        byte[] head;
        try (InputStream s = Files.newInputStream(path)) {
            head = s.readNBytes(Manifest.MAX_LINE);
        }
        if (AofLoader.startsWithRdbMagic(head)) {
            return false;
        }
        String text = new String(head, StandardCharsets.ISO_8859_1);
        for (String line : text.split("\n")) {
            if (line.startsWith("#")) {
                continue;
            }
            return line.startsWith("file ");
        }
        return false;
    }

    private int checkMultiPart(Path manifestPath) throws IOException {
        out.println("Start checking Multi Part AOF");
        Manifest m;
        try {
            m = Manifest.parse(Files.readAllBytes(manifestPath));
        } catch (IllegalArgumentException e) {
            out.println("Invalid AOF manifest file " + manifestPath + ": " + e.getMessage());
            return 1;
        }
        Path dir = manifestPath.toAbsolutePath().getParent();
        List<Manifest.FileInfo> files = m.loadOrder();
        for (Manifest.FileInfo f : files) {
            if (!Files.isRegularFile(dir.resolve(f.name()))) {
                out.println("AOF file " + f.name() + " doesn't exist");
                return 1;
            }
        }
        if (m.base() != null) {
            Path p = dir.resolve(m.base().name());
            boolean rdb = AofLoader.startsWithRdbMagic(head(p));
            out.println("Start to check BASE AOF (" + (rdb ? "RDB" : "RESP") + " format).");
            if (!checkFile(p, m.base().name(), "BASE ", m.incrs().isEmpty())) {
                return 1;
            }
        }
        if (!m.incrs().isEmpty()) {
            out.println("Start to check INCR files.");
            for (int i = 0; i < m.incrs().size(); i++) {
                Manifest.FileInfo f = m.incrs().get(i);
                if (!checkFile(dir.resolve(f.name()), f.name(), "INCR ", i == m.incrs().size() - 1)) {
                    return 1;
                }
            }
        }
        out.println("All AOF files and manifest are valid");
        return 0;
    }

    private static byte[] head(Path p) throws IOException {
        try (InputStream s = Files.newInputStream(p)) {
            return s.readNBytes(16);
        }
    }

    /** Checks (and maybe repairs) one file; returns whether the run may go on. */
    private boolean checkFile(Path path, String name, String kind, boolean last) throws IOException {
        long offset = 0;
        if (AofLoader.startsWithRdbMagic(head(path))) {
            AofBaseFormat format = formats.stream().filter(f -> f.recognizes(headSafe(path))).findFirst().orElse(null);
            if (kind.isEmpty()) {
                out.println("The AOF appears to start with an RDB preamble.");
                out.println("Checking the RDB preamble to start:");
            }
            if (format == null) {
                out.println("RDB preamble of AOF file " + name + " can't be checked: it needs the RDB checker of the"
                        + " hybrid persistence module (dev.cellar.persistence.hybrid), which is not installed");
                return false;
            }
            try {
                offset = format.load(path, AofLoader.DISCARD, Integer.MAX_VALUE);
            } catch (IOException e) {
                out.println("RDB preamble of AOF file is not sane, aborting: " + e.getMessage());
                return false;
            }
            if (kind.isEmpty()) {
                out.println("RDB preamble is OK, proceeding with AOF tail...");
            }
        }
        if (truncateTo >= 0) {
            return truncateToTimestamp(path, name, kind, offset, last);
        }
        AofLoader loader = new AofLoader(List.of(), Integer.MAX_VALUE, "");
        AofLoader.Scan scan = loader.scan(path, offset, (db, argv, at) -> { });
        if (scan.fault() != null) {
            out.println(scan.fault().checkAofLine());
        } else if (scan.openMulti()) {
            out.println(String.format("0x%16x: %s", scan.lastArgOffset(), "Reached EOF before reading EXEC for MULTI"));
        }
        long diff = scan.size() - scan.validUpTo();
        out.println("AOF analyzed: filename=" + name + ", size=" + scan.size() + ", ok_up_to=" + scan.validUpTo()
                + ", ok_up_to_line=" + (scan.lines() + (scan.clean() ? 0 : 1)) + ", diff=" + diff);
        if (diff == 0) {
            out.println(kind + "AOF " + name + " is valid");
            return true;
        }
        if (!fix) {
            out.println(kind + "AOF " + name + " is not valid. Use the --fix option to try fixing it.");
            return false;
        }
        if (!last) {
            out.println("Failed to truncate AOF " + name + " because it is not the last file");
            return false;
        }
        out.println("This will shrink the AOF " + name + " from " + scan.size() + " bytes, with " + diff
                + " bytes, to " + scan.validUpTo() + " bytes");
        if (!confirm()) {
            return false;
        }
        try {
            truncate(path, scan.validUpTo());
        } catch (IOException e) {
            out.println("Failed to truncate AOF " + name + ": " + e.getMessage());
            return false;
        }
        out.println("Successfully truncated AOF " + name);
        return true;
    }

    private static byte[] headSafe(Path p) {
        try {
            return head(p);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private boolean confirm() throws IOException {
        out.print("Continue? [y/N]: ");
        out.flush();
        if (yes) {
            out.println("y");
            return true;
        }
        String answer = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
        if (answer == null || !answer.trim().toLowerCase().startsWith("y")) {
            out.println("Aborting...");
            return false;
        }
        return true;
    }

    private boolean truncateToTimestamp(Path path, String name, String kind, long offset, boolean last)
            throws IOException {
        long cut = -1;
        try (AofReader reader = AofReader.open(path, offset)) {
            AofReader.Item item;
            while ((item = reader.next()) != null) {
                String a = item.annotation();
                if (a != null && a.startsWith("TS:")) {
                    try {
                        if (Long.parseLong(a.substring(3).trim()) > truncateTo) {
                            cut = item.start();
                            break;
                        }
                    } catch (NumberFormatException e) {
                        // not a timestamp annotation
                    }
                }
            }
        } catch (AofReader.FormatException e) {
            out.println(e.checkAofLine());
            out.println(kind + "AOF " + name + " is not valid. Use the --fix option to try fixing it.");
            return false;
        }
        if (cut < 0) {
            out.println("Truncate nothing in AOF " + name + " to timestamp " + truncateTo);
            out.println(kind + "AOF " + name + " is valid");
            return true;
        }
        if (!last) {
            out.println("Failed to truncate AOF " + name + " to timestamp " + truncateTo
                    + " because it is not the last file.");
            return false;
        }
        truncate(path, cut);
        out.println("Successfully truncated AOF " + name + " to timestamp " + truncateTo);
        return true;
    }

    private static void truncate(Path path, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
            ch.truncate(size);
            ch.force(true);
        }
    }
}
