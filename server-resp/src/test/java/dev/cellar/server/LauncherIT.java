package dev.cellar.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.api.Reply;
import dev.cellar.core.testing.RedisServerProcess;
import dev.cellar.core.testing.RespClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code bin/cellar-server}, the launcher the README starts the server with (failsafe: after
 * {@code package}): its class-data archive is made once, used afterwards and remade when stale;
 * without one the server still starts; the server keeps the launcher's pid.
 */
@DisplayName("bin/cellar-server")
class LauncherIT {
    private static final Path LAUNCHER = Path.of("..", "bin", "cellar-server").toAbsolutePath().normalize();
    private static final Path JAR = Path.of("target", "cellar-server.jar").toAbsolutePath();

    @TempDir
    Path dir;

    private Process launch(Path out, Map<String, String> env, String... args) throws IOException {
        assertThat(LAUNCHER).isExecutable();
        assertThat(JAR).exists();
        List<String> cmd = new ArrayList<>(List.of(LAUNCHER.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("CELLAR_JAR", JAR.toString());
        pb.environment().remove("CELLAR_JAVA_OPTS");
        pb.environment().remove("CELLAR_CDS");
        pb.environment().putAll(env);
        return pb.start();
    }

    /** Starts the server, checks it answers as the launched process, stores a key, shuts it down. */
    private String serve(Path out, Map<String, String> env, String key) throws Exception {
        int port = RedisServerProcess.freePort();
        Process p = launch(out, env, "--port", Integer.toString(port), "--save", "", "--appendonly", "yes");
        try {
            awaitReady(port, p, out);
            try (RespClient c = new RespClient("127.0.0.1", port)) {
                // exec: the pid a supervisor sees (and signals) is the server's own.
                assertThat(((Reply.Bulk) c.call("INFO", "server")).text()).contains("process_id:" + p.pid() + "\r\n");
                assertThat(c.call("SET", key, "v")).isEqualTo(Reply.OK);
                assertThat(c.call("DBSIZE")).isInstanceOf(Reply.Int.class);
                c.send("SHUTDOWN".getBytes(StandardCharsets.US_ASCII));
            }
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("exited; output:\n%s", Files.readString(out)).isTrue();
            assertThat(p.exitValue()).isZero();
            return Files.readString(out);
        } finally {
            p.destroyForcibly();
        }
    }

    private static void awaitReady(int port, Process p, Path out) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new AssertionError("the launcher ended with " + p.exitValue() + ":\n" + Files.readString(out));
            }
            try (RespClient c = new RespClient("127.0.0.1", port)) {
                if (c.call("PING").equals(new Reply.Simple("PONG"))) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no PONG within 60 s:\n" + Files.readString(out));
    }

    @Test
    @DisplayName("makes the archive on the first start, maps Cellar's classes from it on the next, remakes it when the jar is newer")
    void archiveMadeUsedAndRemade() throws Exception {
        Path archive = dir.resolve("cds").resolve("cellar.jsa");
        Files.createDirectories(archive.getParent());
        Map<String, String> env = Map.of("CELLAR_CDS_ARCHIVE", archive.toString());

        assertThat(serve(dir.resolve("first.out"), env, "a")).contains("making the class-data archive " + archive);
        assertThat(archive).exists();
        assertThat(Files.size(archive)).isGreaterThan(1_000_000);
        assertThat(Files.readString(Path.of(archive + ".java"))).contains("java");
        assertThat(dir.resolve("cds")).isDirectoryNotContaining("glob:**.tmp*");

        FileTime made = Files.getLastModifiedTime(archive);
        Path classes = dir.resolve("classes.log");
        Map<String, String> logging = Map.of("CELLAR_CDS_ARCHIVE", archive.toString(),
                "CELLAR_JAVA_OPTS", "-Xlog:class+load=info:file=" + classes);
        assertThat(serve(dir.resolve("second.out"), logging, "b")).doesNotContain("class-data archive");
        assertThat(Files.getLastModifiedTime(archive)).isEqualTo(made);
        String loaded = Files.readString(classes);
        assertThat(loaded).containsPattern("dev\\.cellar\\.server\\.Main source: shared objects file")
                .containsPattern("dev\\.cellar\\.core\\.engine\\.Dict source: shared objects file");

        // A jar newer than the archive (a rebuild): the archive no longer matches it, so it is remade.
        Files.setLastModifiedTime(archive, FileTime.fromMillis(Files.getLastModifiedTime(JAR).toMillis() - 60_000));
        FileTime old = Files.getLastModifiedTime(archive);
        serve(dir.resolve("third.out"), env, "c");
        assertThat(Files.getLastModifiedTime(archive)).isNotEqualTo(old);

        // Another java (its stamp differs): remade too.
        Files.writeString(Path.of(archive + ".java"), "/some/other/java 1\n");
        FileTime before = Files.getLastModifiedTime(archive);
        Thread.sleep(1100);
        serve(dir.resolve("fourth.out"), env, "d");
        assertThat(Files.getLastModifiedTime(archive)).isNotEqualTo(before);
        assertThat(Files.readString(Path.of(archive + ".java"))).doesNotContain("/some/other/java");
    }

    @Test
    @DisplayName("CELLAR_CDS=no starts without an archive and makes none")
    void noArchive() throws Exception {
        Path archive = dir.resolve("cellar.jsa");
        String out = serve(dir.resolve("out"), Map.of("CELLAR_CDS", "no", "CELLAR_CDS_ARCHIVE", archive.toString()), "k");
        assertThat(archive).doesNotExist();
        assertThat(out).doesNotContain("class-data archive");
    }

    @Test
    @DisplayName("an archive it cannot write: the server starts anyway and the launcher says why")
    void unwritableArchive() throws Exception {
        Path archive = dir.resolve("missing-folder").resolve("cellar.jsa");
        String out = serve(dir.resolve("out"), Map.of("CELLAR_CDS_ARCHIVE", archive.toString()), "k");
        assertThat(out).contains("could not make the class-data archive " + archive);
        assertThat(archive).doesNotExist();
    }

    @Test
    @DisplayName("a training run that fails is reported once, not retried on every start")
    void failedTrainingNotRetried() throws Exception {
        // A java that refuses to make archives and otherwise is the real one.
        Path fakeHome = dir.resolve("jdk");
        Files.createDirectories(fakeHome.resolve("bin"));
        Path fakeJava = fakeHome.resolve("bin").resolve("java");
        Files.writeString(fakeJava, "#!/bin/sh\ncase \"$1\" in -XX:ArchiveClassesAtExit=*) echo 'training refused' >&2; exit 3;; esac\n"
                + "exec '" + Path.of(System.getProperty("java.home"), "bin", "java") + "' \"$@\"\n");
        assertThat(fakeJava.toFile().setExecutable(true)).isTrue();
        Path archive = dir.resolve("cellar.jsa");
        Map<String, String> env = Map.of("CELLAR_CDS_ARCHIVE", archive.toString(), "JAVA_HOME", fakeHome.toString());

        String first = serve(dir.resolve("first.out"), env, "a");
        assertThat(first).contains("could not make the class-data archive").contains("training refused");
        assertThat(archive).doesNotExist();
        assertThat(Path.of(archive + ".failed")).exists();
        String second = serve(dir.resolve("second.out"), env, "b");
        assertThat(second).doesNotContain("class-data archive").doesNotContain("training refused");
    }

    @Test
    @DisplayName("tools and --version go through to the jar; a missing jar names the build command")
    void toolsAndMissingJar() throws Exception {
        Path out = dir.resolve("version.out");
        Process p = launch(out, Map.of("CELLAR_CDS_ARCHIVE", dir.resolve("x.jsa").toString()), "--version");
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(Files.readString(out)).startsWith("Cellar server v=");
        assertThat(dir.resolve("x.jsa")).doesNotExist();

        Path aof = dir.resolve("bad.aof");
        Files.writeString(aof, "*1\r\n$4\r\nPING\r\n*2\r\n$3\r\nGET");
        Path checked = dir.resolve("check.out");
        Process check = launch(checked, Map.of("CELLAR_CDS", "no"), "check-aof", aof.toString());
        assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(check.exitValue()).isNotZero();
        assertThat(Files.readString(checked)).contains("ok_up_to=14").contains("is not valid");

        // No java: neither JAVA_HOME nor one on the PATH (which holds only the tools the script uses).
        Path tools = dir.resolve("tools");
        Files.createDirectories(tools);
        for (String t : List.of("bash", "env", "dirname", "basename", "cat", "stat", "readlink", "tail", "rm", "mv")) {
            for (String d : List.of("/usr/bin", "/bin")) {
                if (Files.isExecutable(Path.of(d, t)) && !Files.exists(tools.resolve(t))) {
                    Files.createSymbolicLink(tools.resolve(t), Path.of(d, t));
                }
            }
        }
        Path noJavaOut = dir.resolve("nojava.out");
        ProcessBuilder noJava = new ProcessBuilder(LAUNCHER.toString(), "--port", "0").directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(noJavaOut.toFile());
        noJava.environment().remove("JAVA_HOME");
        noJava.environment().put("PATH", tools.toString());
        noJava.environment().put("CELLAR_JAR", JAR.toString());
        Process nj = noJava.start();
        assertThat(nj.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(nj.exitValue()).isEqualTo(1);
        assertThat(Files.readString(noJavaOut)).contains("no java found").contains("JAVA_HOME");

        Path missing = dir.resolve("missing.out");
        Process none = launch(missing, Map.of("CELLAR_JAR", dir.resolve("nope.jar").toString()), "--port", "0");
        assertThat(none.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(none.exitValue()).isEqualTo(1);
        assertThat(Files.readString(missing)).contains("nope.jar is missing").contains("mvn -q -DskipTests package");
    }
}
