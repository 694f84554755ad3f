package dev.cellar.conformance;

import dev.cellar.api.Cellar;
import dev.cellar.api.Reply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/** Small helpers the kit's tests share: argument encoding, checked calls, previews, files. */
final class Kit {
    private Kit() {}

    /** An argument as bytes: {@code byte[]} as is, anything else as its UTF-8 text. */
    static byte[] arg(Object o) {
        return o instanceof byte[] b ? b : String.valueOf(o).getBytes(StandardCharsets.UTF_8);
    }

    static byte[][] argv(Object... args) {
        byte[][] argv = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            argv[i] = arg(args[i]);
        }
        return argv;
    }

    /** Runs a command and returns its reply, error replies included. */
    static Reply raw(Cellar store, int db, Object... args) {
        return store.execute(db, argv(args));
    }

    /**
     * Runs a command the test depends on: an error reply fails the test, except that a command the
     * engine does not have yet aborts it (reported as skipped, with the command's name), since a
     * persistence backend cannot be blamed for a missing command.
     */
    static Reply call(Cellar store, int db, Object... args) {
        Reply reply = raw(store, db, args);
        if (reply instanceof Reply.Error e) {
            if (e.message().startsWith("ERR unknown command")) {
                Assumptions.abort("the engine has no " + String.valueOf(args[0]).toUpperCase()
                        + " command yet, which this test needs (" + e.message() + ")");
            }
            throw new AssertionError("db " + db + ": " + String.valueOf(args[0]).toUpperCase() + " failed: " + e.message());
        }
        return reply;
    }

    /** Bytes as the ISO-8859-1 string of the same length (one char per byte). */
    static String latin1(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** At most 40 characters of {@code s}, non-printable bytes escaped. */
    static String preview(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && sb.length() < 40; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7f) {
                sb.append(c);
            } else {
                sb.append(String.format("\\x%02x", (int) c));
            }
        }
        return s.length() > 40 ? sb + "..." : sb.toString();
    }

    /** Deletes a directory tree, quietly. */
    static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: a leftover temporary directory is not a test failure
                }
            });
        } catch (IOException | UncheckedIOException ignored) {
            // as above
        }
    }
}
