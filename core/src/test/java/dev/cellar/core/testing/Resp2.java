package dev.cellar.core.testing;

import dev.cellar.api.Reply;
import dev.cellar.core.Numbers;
import java.util.ArrayList;
import java.util.List;

/** What a RESP2 client sees of a reply: maps and sets as arrays, doubles as bulk strings, booleans as integers. */
public final class Resp2 {
    private Resp2() {}

    /** The RESP2 form of a reply. */
    public static Reply of(Reply r) {
        if (r instanceof Reply.MapReply m) {
            return new Reply.Array(all(m.keysAndValues()));
        }
        if (r instanceof Reply.SetReply s) {
            return new Reply.Array(all(s.items()));
        }
        if (r instanceof Reply.Array a) {
            return new Reply.Array(all(a.items()));
        }
        if (r instanceof Reply.Push p) {
            return new Reply.Array(all(p.items()));
        }
        if (r instanceof Reply.Double d) {
            return Reply.bulk(Numbers.formatDouble(d.value()));
        }
        if (r instanceof Reply.Bool b) {
            return Reply.of(b.value() ? 1 : 0);
        }
        return r;
    }

    private static List<Reply> all(List<Reply> items) {
        List<Reply> out = new ArrayList<>(items.size());
        for (Reply i : items) {
            out.add(of(i));
        }
        return out;
    }
}
