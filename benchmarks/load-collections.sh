#!/usr/bin/env bash
# Start-up load of a snapshot of collections beside the real redis-server (issue 5: "faster
# loading"; the other start-up benchmarks load strings only).
#
# Makes the data set with the real Redis (one EVAL per batch, then SAVE): for each of COUNT
# groups, a hash of 10 fields (user:N), a sorted set of 10 members with integer scores (recent:N),
# a set of 5 words (tags:N), a set of 10 integers (ids:N, an intset), a list of 10 items
# (events:N); every 100th group also a sorted set of 500 members (board:N, a skiplist) and a hash
# of 300 fields (profile:N, a hashtable). That is COUNT * 5 keys, about COUNT * 55 elements.
#
# Then, for ROUNDS rounds, alternating (Cellar, Redis, ...), each on a fresh copy of dump.rdb:
# times the start until PING answers PONG, reads the loader's own time from the log ("DB loaded
# from disk: X seconds"), checks DBSIZE and that DEBUG DIGEST is the same on every start of both. Prints each side's times, medians and ratios Cellar/Redis.
#
# Usage: benchmarks/load-collections.sh   (builds the jar if missing)
# Environment: COUNT=40000 ROUNDS=3 JAVA_OPTS="" LAUNCHER=bin (see lib.sh) KEEP=<dir> (reuse the
#              data set there) REDIS_PORT=7166 CELLAR_PORT=7167 CELLAR_JAR=server-resp/target/cellar-server.jar
set -euo pipefail

cd "$(dirname "$0")/.."
# shellcheck source=benchmarks/lib.sh
source benchmarks/lib.sh
COUNT=${COUNT:-40000}
ROUNDS=${ROUNDS:-3}
JAVA_OPTS=${JAVA_OPTS:-}
REDIS_PORT=${REDIS_PORT:-7166}
CELLAR_PORT=${CELLAR_PORT:-7167}
CELLAR_JAR=${CELLAR_JAR:-server-resp/target/cellar-server.jar}
KEEP=${KEEP:-}

bench_setup load-collections redis-server redis-cli java

work=$(mktemp -d)
data=${KEEP:-$work/data}
mkdir -p "$data"
pid=""
cleanup() {
  if [[ -n "$pid" ]]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT


if [[ ! -f "$data/dump.rdb" ]]; then
  echo "making the data set: $COUNT groups in redis-server ..." >&2
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --dir "$data" --logfile "$data/make.log" \
    --daemonize no &
  pid=$!
  wait_ready "$REDIS_PORT"
  for ((from = 1; from <= COUNT; from += 1000)); do
    redis-cli -p "$REDIS_PORT" eval "
      local from, to = tonumber(ARGV[1]), tonumber(ARGV[2])
      for i = from, to do
        local h = {}
        for j = 1, 10 do h[#h + 1] = 'field' .. j; h[#h + 1] = 'value ' .. (i * j) end
        redis.call('HSET', 'user:' .. i, unpack(h))
        local z = {}
        for j = 1, 10 do z[#z + 1] = 1700000000 + i * 10 + j; z[#z + 1] = 'event:' .. (i + j) end
        redis.call('ZADD', 'recent:' .. i, unpack(z))
        redis.call('SADD', 'tags:' .. i, 'red', 'green', 'blue' .. (i % 7), 'tag' .. (i % 100), 'x' .. i)
        local ids = {}
        for j = 1, 10 do ids[#ids + 1] = i * 100 + j end
        redis.call('SADD', 'ids:' .. i, unpack(ids))
        local l = {}
        for j = 1, 10 do l[#l + 1] = 'item ' .. j .. ' of ' .. i end
        redis.call('RPUSH', 'events:' .. i, unpack(l))
        if i % 100 == 0 then
          local b = {}
          for j = 1, 500 do b[#b + 1] = j * 3 + i; b[#b + 1] = 'player:' .. j end
          redis.call('ZADD', 'board:' .. i, unpack(b))
          local p = {}
          for j = 1, 300 do p[#p + 1] = 'attr' .. j; p[#p + 1] = 'v' .. (i + j) end
          redis.call('HSET', 'profile:' .. i, unpack(p))
        end
      end
      return 0" 0 "$from" "$(( from + 999 < COUNT ? from + 999 : COUNT ))" >/dev/null
  done
  redis-cli -p "$REDIS_PORT" save >/dev/null
  stop_server "$REDIS_PORT"
  rm -f "$data/make.log"
fi

: > "$work/times.csv"; : > "$work/digests"
start_once() { # side round
  local side=$1 round=$2 dir="$work/run" port t0 t1 keys loader
  rm -rf "$dir"; mkdir -p "$dir"; cp "$data/dump.rdb" "$dir/"
  t0=$(now_ms)
  if [[ $side == redis ]]; then
    port=$REDIS_PORT
    redis-server --port "$port" --bind 127.0.0.1 --save "" --dir "$dir" --logfile "$dir/server.log" --daemonize no \
      --enable-debug-command local &
    pid=$!
  else
    port=$CELLAR_PORT
    # shellcheck disable=SC2086
    cellar_exec --port "$port" --bind 127.0.0.1 --save "" --dir "$dir" --logfile "$dir/server.log" \
      --enable-debug-command local &
    pid=$!
  fi
  wait_ready "$port" 300; t1=$(now_ms)
  keys=$(redis-cli -p "$port" dbsize)
  redis-cli -p "$port" debug digest >> "$work/digests"
  stop_server "$port"
  loader=$(grep -h "DB loaded from disk" "$dir/server.log" | tail -1 | sed 's/.*disk: \([0-9.]*\) seconds.*/\1/')
  echo "$side,$round,$((t1 - t0)),${loader:-?},$keys" >> "$work/times.csv"
  echo "  round $round $side: $((t1 - t0)) ms to PONG, loader ${loader:-?} s, $keys keys" >&2
}

for r in $(seq 1 "$ROUNDS"); do
  start_once cellar "$r"
  start_once redis "$r"
done

echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# $("${JAVA_HOME:+$JAVA_HOME/bin/}java" -version 2>&1 | head -1), LAUNCHER='${LAUNCHER:-bin}', JAVA_OPTS='${JAVA_OPTS}', $(redis-server --version | cut -d' ' -f1-3)"
echo "# dump.rdb: $(stat -c %s "$data/dump.rdb") bytes, $COUNT groups"
echo
awk -F, "$AWK_LIB"'
{ ms[$1] = ms[$1] " " $3; ld[$1] = ld[$1] " " $4; keys[$1] = $5 }
END {
  c = median(ms["cellar"]); r = median(ms["redis"]); cl = median(ld["cellar"]); rl = median(ld["redis"])
  printf "| keys Cellar / Redis | Cellar to PONG ms | Redis to PONG ms | ratio | Cellar loader s | Redis loader s | ratio |\n"
  printf "|---|---|---|---|---|---|---|\n"
  printf "| %s / %s | %s (median %d) | %s (median %d) | %.2f | %s (median %.3f) | %s (median %.3f) | %.2f |\n", \
    keys["cellar"], keys["redis"], ms["cellar"], c, ms["redis"], r, (r > 0 ? c / r : 0), \
    ld["cellar"], cl, ld["redis"], rl, (rl > 0 ? cl / rl : 0)
}' "$work/times.csv"
echo
echo "DEBUG DIGEST after loading: $([[ $(sort -u "$work/digests" | wc -l) == 1 ]] && echo "the same on every start of both servers" || echo "DIFFERS: $(sort -u "$work/digests" | tr '\n' ' ')")"
