package dev.cellar.core.commands;

import dev.cellar.api.Reply;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Small helpers for building replies. */
public final class Replies {
    private Replies() {}

    /** An array of bulk strings (nulls become null bulk strings). */
    public static Reply bulks(Collection<byte[]> items) {
        List<Reply> out = new ArrayList<>(items.size());
        for (byte[] b : items) {
            out.add(Reply.bulk(b));
        }
        return new Reply.Array(out);
    }
}
