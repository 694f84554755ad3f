package dev.cellar.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.api.Reply;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The dispatcher's lookup of a command from the request's raw name bytes. */
class CommandIndexTest {
    private static final Handler OK = ctx -> Reply.OK;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void findsACommandInAnyAsciiCaseAndNothingElse() {
        CommandTable table = new CommandTable();
        CommandSpec set = table.add("set", -3, "write", 1, 1, 1, "string", OK);
        table.add("setnx", 3, "write", 1, 1, 1, "string", OK);
        assertThat(table.lookup(b("set"))).isSameAs(set);
        assertThat(table.lookup(b("SeT"))).isSameAs(set);
        assertThat(table.lookup(b("SET"))).isSameAs(set);
        assertThat(table.lookup(b("se"))).isNull();
        assertThat(table.lookup(b("sett"))).isNull();
        assertThat(table.lookup(b(""))).isNull();
        // only A-Z fold: a Latin-1 letter (here 'E' with an accent) matches no ASCII name
        assertThat(table.lookup(b("s\u00c9t"))).isNull();
        assertThat(table.lookup(b("s\u00e9t"))).isNull();
    }

    @Test
    void keepsEveryCommandAcrossGrowthAndReplacesByName() {
        CommandTable table = new CommandTable();
        for (int i = 0; i < 300; i++) {
            table.add("cmd" + i, 1, "fast", 0, 0, 0, "generic", OK);
        }
        for (int i = 0; i < 300; i++) {
            assertThat(table.lookup(b("CMD" + i))).isSameAs(table.get("cmd" + i));
        }
        CommandSpec replaced = table.add("CMD7", 2, "write", 0, 0, 0, "generic", OK);
        assertThat(table.lookup(b("cmd7"))).isSameAs(replaced);
        assertThat(table.get("cmd7")).isSameAs(replaced);
    }

    @Test
    void findsSubcommandsInAnyCase() {
        CommandTable table = new CommandTable();
        table.container("object", -2, "", "generic");
        CommandSpec encoding = table.sub("object", "encoding", 3, "readonly", 2, 2, 1, OK);
        CommandSpec container = table.lookup(b("OBJECT"));
        assertThat(container.subcommand(b("Encoding"))).isSameAs(encoding);
        assertThat(container.subcommand(b("freq"))).isNull();
    }
}
