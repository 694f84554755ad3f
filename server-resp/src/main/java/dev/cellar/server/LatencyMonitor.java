package dev.cellar.server;

import dev.cellar.api.Reply;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The latency monitor (Redis's {@code latency.c}): per event, the latest samples over the threshold. */
final class LatencyMonitor {
    private static final int HISTORY = 160;

    private record Sample(long time, long millis) {}

    private static final class Series {
        final Deque<Sample> samples = new ArrayDeque<>();
        long max;
    }

    private final Map<String, Series> events = new LinkedHashMap<>();

    void add(String event, long millis) {
        Series s = events.computeIfAbsent(event, e -> new Series());
        long now = System.currentTimeMillis() / 1000;
        Sample last = s.samples.peekLast();
        if (last != null && last.time() == now) {
            s.samples.removeLast();
            millis = Math.max(millis, last.millis());
        }
        s.samples.addLast(new Sample(now, millis));
        while (s.samples.size() > HISTORY) {
            s.samples.removeFirst();
        }
        s.max = Math.max(s.max, millis);
    }

    Reply latest() {
        List<Reply> out = new ArrayList<>();
        for (Map.Entry<String, Series> e : events.entrySet()) {
            Sample last = e.getValue().samples.peekLast();
            out.add(Reply.array(List.of(Reply.bulk(e.getKey()), Reply.of(last.time()), Reply.of(last.millis()),
                    Reply.of(e.getValue().max))));
        }
        return Reply.array(out);
    }

    Reply history(String event) {
        Series s = events.get(event);
        List<Reply> out = new ArrayList<>();
        if (s != null) {
            for (Sample x : s.samples) {
                out.add(Reply.array(List.of(Reply.of(x.time()), Reply.of(x.millis()))));
            }
        }
        return Reply.array(out);
    }

    long reset(List<String> names) {
        if (names.isEmpty()) {
            int n = events.size();
            events.clear();
            return n;
        }
        long n = 0;
        for (String name : names) {
            if (events.remove(name) != null) {
                n++;
            }
        }
        return n;
    }
}
