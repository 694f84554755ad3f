package dev.cellar.server;

import dev.cellar.core.engine.Settings;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The training run behind {@code bin/cellar-server}'s class-data-sharing archive: the launcher runs
 * this class once with {@code -XX:ArchiveClassesAtExit}, and every later start maps the classes it
 * loaded (and the lambda classes it spun) instead of loading them again. It does what a start-up
 * does, twice: a server in a temporary directory with the hybrid log on is filled with every data
 * type over a real connection, rewrites its log (an RDB base), saves a snapshot, and stops; a second
 * server loads that directory (base, then the RESP tail) and answers. See docs/architecture.md,
 * "Launching: bin/cellar-server".
 *
 * <p>Not a test and not a benchmark: nothing here is checked beyond the replies being replies.
 */
public final class CdsTraining {
    private CdsTraining() {}

    /** {@code java -XX:ArchiveClassesAtExit=F -cp cellar-server.jar dev.cellar.server.CdsTraining}. */
    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("cellar-cds-");
        try {
            run(dir, true);
            run(dir, false);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        System.exit(0);
    }

    private static void run(Path dir, boolean fill) throws Exception {
        List<String> options = List.of("--port", "0", "--bind", "127.0.0.1", "--dir", dir.toString(),
                "--logfile", dir.resolve("cellar.log").toString(), "--appendonly", "yes", "--save", "3600 1");
        Settings settings = ServerSettings.create();
        ConfigFile.apply(ConfigFile.fromOptions(options), settings);
        Main.applyServerChoices(settings);
        Server server = new Server(settings, null, t -> {});
        server.start();
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            Client c = new Client(socket);
            while (c.call("PING").startsWith("-LOADING")) {
                Thread.sleep(10);
            }
            if (fill) {
                fill(c);
                c.call("BGREWRITEAOF");
                while (!c.call("INFO", "persistence").contains("aof_rewrite_in_progress:0")) {
                    Thread.sleep(10);
                }
                for (int i = 0; i < 200; i++) {
                    c.call("SET", "tail:" + i, "v" + i);
                    c.call("INCR", "counter");
                }
                c.call("SAVE");
            } else {
                c.call("DBSIZE");
                c.call("GET", "string:1");
                c.call("INFO");
                c.call("CONFIG", "GET", "*");
            }
        } finally {
            server.stop();
        }
    }

    private static void fill(Client c) throws IOException {
        for (int i = 0; i < 2000; i++) {
            String n = Integer.toString(i);
            c.pipeline(List.of(
                    List.of("SET", "string:" + n, "value-" + n),
                    List.of("SET", "int:" + n, n),
                    List.of("INCR", "counter"),
                    List.of("RPUSH", "list:" + (i % 50), n, "x" + n),
                    List.of("HSET", "hash:" + (i % 50), "f" + n, n),
                    List.of("SADD", "set:" + (i % 50), n),
                    List.of("SADD", "words:" + (i % 50), "w" + n),
                    List.of("ZADD", "zset:" + (i % 50), n, "m" + n),
                    List.of("GET", "string:" + n),
                    List.of("MGET", "string:" + n, "int:" + n),
                    List.of("EXPIRE", "int:" + n, "3600")));
        }
        c.call("SET", "big", "x".repeat(100_000));
        for (String cmd : List.of("LRANGE list:1 0 -1", "HGETALL hash:1", "SMEMBERS set:1", "ZRANGE zset:1 0 -1 WITHSCORES",
                "TTL int:1", "TYPE hash:1", "SCAN 0", "EXISTS string:1", "DEL string:1",
                "MULTI", "SET in-multi 1", "EXEC", "CLIENT SETNAME training", "CLIENT LIST", "COMMAND COUNT", "DBSIZE")) {
            c.call(cmd.split(" "));
        }
    }

    /** A minimal RESP client: sends commands, reads each reply whole (its text only matters for the loops above). */
    private static final class Client {
        private final InputStream in;
        private final OutputStream out;

        Client(Socket socket) throws IOException {
            this.in = new BufferedInputStream(socket.getInputStream());
            this.out = new BufferedOutputStream(socket.getOutputStream());
        }

        String call(String... argv) throws IOException {
            write(List.of(argv));
            out.flush();
            return read();
        }

        void pipeline(List<List<String>> commands) throws IOException {
            for (List<String> argv : commands) {
                write(argv);
            }
            out.flush();
            for (int i = 0; i < commands.size(); i++) {
                read();
            }
        }

        private void write(List<String> argv) throws IOException {
            out.write(('*' + Integer.toString(argv.size()) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            for (String a : argv) {
                byte[] b = a.getBytes(StandardCharsets.UTF_8);
                out.write(('$' + Integer.toString(b.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(b);
                out.write('\r');
                out.write('\n');
            }
        }

        private String read() throws IOException {
            String line = line();
            char type = line.charAt(0);
            int n = type == '$' || type == '*' ? Integer.parseInt(line.substring(1)) : -1;
            if (type == '$' && n >= 0) {
                byte[] data = in.readNBytes(n + 2);
                return new String(data, 0, n, StandardCharsets.UTF_8);
            }
            if (type == '*' && n > 0) {
                List<String> items = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    items.add(read());
                }
                return String.join("\n", items);
            }
            return line;
        }

        private String line() throws IOException {
            StringBuilder sb = new StringBuilder();
            int b;
            while ((b = in.read()) != '\n') {
                if (b < 0) {
                    throw new IOException("connection closed");
                }
                if (b != '\r') {
                    sb.append((char) b);
                }
            }
            return sb.toString();
        }
    }
}
