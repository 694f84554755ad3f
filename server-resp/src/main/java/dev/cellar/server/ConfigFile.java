package dev.cellar.server;

import dev.cellar.core.engine.Settings;
import dev.cellar.server.resp.SplitArgs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads configuration as {@code redis-server} does: a {@code redis.conf} file (one directive per
 * line, arguments split and unquoted as Redis's {@code sdssplitargs}, {@code #} comments,
 * {@code include}), then command-line options ({@code --name value ...}) that override it.
 *
 * <p>An unknown directive is reported as a warning and skipped (Redis stops; Cellar does not
 * implement every Redis feature, so a stock redis.conf must still start). An invalid value for a
 * known directive stops start-up with Redis's {@code *** FATAL CONFIG FILE ERROR ***} report.
 */
final class ConfigFile {

    /** One directive: its lower-case name, arguments, and where it came from. */
    record Directive(String name, List<String> args, String source, int line, String text) {}

    /** A configuration that cannot be applied; the message is Redis's report. */
    static final class FatalConfigError extends Exception {
        private static final long serialVersionUID = 1L;

        FatalConfigError(String message) {
            super(message);
        }
    }

    private ConfigFile() {}

    /** The directives of a file, its includes expanded in place. */
    static List<Directive> read(Path file) throws IOException, FatalConfigError {
        List<Directive> out = new ArrayList<>();
        parse(Files.readString(file), file.toString(), file.toAbsolutePath().getParent(), out, 0);
        return out;
    }

    /** The directives of command-line options, as Redis turns {@code --name value} into config lines. */
    static List<Directive> fromOptions(List<String> options) throws IOException, FatalConfigError {
        StringBuilder text = new StringBuilder();
        for (String o : options) {
            if (o.startsWith("--") && o.length() > 2) {
                if (text.length() > 0) {
                    text.append('\n');
                }
                text.append(o.substring(2)).append(' ');
            } else {
                text.append(quote(o)).append(' ');
            }
        }
        List<Directive> out = new ArrayList<>();
        parse(text.toString(), "(command line)", Path.of("."), out, 0);
        return out;
    }

    private static void parse(String text, String source, Path base, List<Directive> out, int depth)
            throws IOException, FatalConfigError {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            List<String> args = SplitArgs.split(line);
            if (args == null) {
                throw fatal(i + 1, line, "Unbalanced quotes in configuration line");
            }
            if (args.isEmpty()) {
                continue;
            }
            String name = args.get(0).toLowerCase(Locale.ROOT);
            List<String> rest = args.subList(1, args.size());
            if (name.equals("include")) {
                if (rest.size() != 1) {
                    throw fatal(i + 1, line, "Bad directive or wrong number of arguments");
                }
                if (depth > 16) {
                    throw fatal(i + 1, line, "Too many nested includes");
                }
                Path included = base.resolve(rest.get(0));
                if (!Files.isReadable(included)) {
                    throw fatal(i + 1, line, "Fatal error, can't open config file '" + rest.get(0) + "'");
                }
                parse(Files.readString(included), included.toString(), included.toAbsolutePath().getParent(), out,
                        depth + 1);
                continue;
            }
            out.add(new Directive(name, List.copyOf(rest), source, i + 1, line));
        }
    }

    /**
     * Applies directives to the settings in order; unknown names are returned (for warnings),
     * an invalid value throws Redis's fatal report.
     */
    static List<Directive> apply(List<Directive> directives, Settings settings) throws FatalConfigError {
        List<Directive> unknown = new ArrayList<>();
        String saves = "";
        for (Directive d : directives) {
            if (!settings.has(d.name())) {
                unknown.add(d);
                continue;
            }
            if (d.args().isEmpty()) {
                throw fatal(d.line(), d.text(), "wrong number of arguments");
            }
            String value = String.join(" ", d.args());
            if (d.name().equals("save")) {
                // As Redis: the first save line replaces the defaults, later ones add their points
                // (redis.conf has one line per point); save "" clears them.
                if (!d.args().equals(List.of("")) && !saves.isEmpty()) {
                    value = saves + " " + value;
                }
                saves = value;
            }
            String error = settings.set(d.name(), value, true);
            if (error != null) {
                throw fatal(d.line(), d.text(), error);
            }
        }
        return unknown;
    }

    private static FatalConfigError fatal(int line, String text, String reason) {
        return new FatalConfigError("\n*** FATAL CONFIG FILE ERROR (Redis " + Server.REDIS_VERSION + ") ***\n"
                + "Reading the configuration file, at line " + line + "\n>>> '" + text + "'\n" + reason);
    }

    /** Quotes an argument as Redis's {@code sdscatrepr}, so the config parser reads it back unchanged. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\\', '"' -> sb.append('\\').append(c);
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\x%02x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
