package dev.cellar.core.testing;

import dev.cellar.api.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A canonical text dump of a data set, taken through commands only (SCAN-free: KEYS, TYPE and the
 * type's read commands, PEXPIRETIME), so the same code dumps Cellar and a real Redis and two dumps
 * can be compared with equals.
 */
public final class DatasetDump {
    private DatasetDump() {}

    /**
     * Dumps databases {@code 0..dbs-1}; {@code exec} runs a command in the given database
     * (the caller selects it).
     */
    public static Map<String, String> of(int dbs, java.util.function.BiFunction<Integer, String[], Reply> exec) {
        Map<String, String> out = new TreeMap<>();
        for (int db = 0; db < dbs; db++) {
            final int d = db;
            Function<String[], Reply> run = argv -> Resp2.of(exec.apply(d, argv));
            Reply keys = run.apply(new String[] {"KEYS", "*"});
            for (Reply k : ((Reply.Array) keys).items()) {
                String key = ((Reply.Bulk) k).text();
                String type = ((Reply.Simple) run.apply(new String[] {"TYPE", key})).value();
                String value = switch (type) {
                    case "string" -> run.apply(new String[] {"GET", key}).toString();
                    case "list" -> run.apply(new String[] {"LRANGE", key, "0", "-1"}).toString();
                    case "hash" -> sortedPairs(run.apply(new String[] {"HGETALL", key}));
                    case "set" -> sorted(run.apply(new String[] {"SMEMBERS", key}));
                    case "zset" -> run.apply(new String[] {"ZRANGE", key, "0", "-1", "WITHSCORES"}).toString();
                    default -> "?";
                };
                Reply ttl = run.apply(new String[] {"PEXPIRETIME", key});
                out.put(db + ":" + key, type + " " + value + " expire=" + ttl);
            }
        }
        return out;
    }

    private static String sorted(Reply r) {
        List<String> items = new ArrayList<>();
        for (Reply i : ((Reply.Array) r).items()) {
            items.add(i.toString());
        }
        items.sort(null);
        return items.toString();
    }

    private static String sortedPairs(Reply r) {
        List<Reply> items = ((Reply.Array) r).items();
        Map<String, String> m = new TreeMap<>();
        for (int i = 0; i + 1 < items.size(); i += 2) {
            m.put(items.get(i).toString(), items.get(i + 1).toString());
        }
        return m.toString();
    }
}
