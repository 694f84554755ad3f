#!/usr/bin/env bash
# Start-up with an append-only file beside the real redis-server (issue 5: "start-up time for an
# AOF of one million commands", goal: faster loading).
#
# Makes the log with the real Redis: KEYS SET commands (redis-benchmark -n KEYS -r KEYS -t set
# -P 16) into a redis-server with --appendonly yes --aof-use-rdb-preamble no, stopped with
# SHUTDOWN: an appendonlydir whose incr file is plain RESP. With HYBRID=1 it also makes a hybrid
# log: the same data set rewritten by Redis (BGREWRITEAOF with --aof-use-rdb-preamble yes, a
# .base.rdb) followed by TAIL more SETs in RESP.
#
# Then, for ROUNDS rounds, alternating (Cellar, Redis, Cellar, Redis, ...), each start on a fresh
# copy of the log: launches the server and times it until PING answers PONG (Cellar answers
# -LOADING while it loads, as Redis does), checks DBSIZE and DEBUG DIGEST (Redis's digest of the
# data set: the last line says whether every start of a log, on either server, loaded the same
# data), stops it. Prints each side's times, the
# loader's own time from each log ("DB loaded from append only file: X seconds"; for Cellar that
# excludes the JVM's start-up), the CPU time the server process had used when PING answered
# (user + system, all threads: for Cellar the JVM's start-up, JIT compilers and garbage collector
# too; a figure that a machine busy with other work disturbs less than the wall-clock ones),
# medians and the ratio Cellar/Redis.
#
# Usage: benchmarks/aof-startup.sh   (builds the jar if missing)
# Environment: KEYS=1000000 TAIL=100000 ROUNDS=3 HYBRID=1 JAVA_OPTS=""
#              LAUNCHER=bin (Cellar started by bin/cellar-server; java: plain java -jar, see lib.sh)
#              REDIS_PORT=7164 CELLAR_PORT=7165 CELLAR_JAR=server-resp/target/cellar-server.jar
#              KEEP=<dir> (keep the generated logs there and reuse them on the next run)
set -euo pipefail

cd "$(dirname "$0")/.."
# shellcheck source=benchmarks/lib.sh
source benchmarks/lib.sh
KEYS=${KEYS:-1000000}
TAIL=${TAIL:-100000}
ROUNDS=${ROUNDS:-3}
HYBRID=${HYBRID:-1}
JAVA_OPTS=${JAVA_OPTS:-}
REDIS_PORT=${REDIS_PORT:-7164}
CELLAR_PORT=${CELLAR_PORT:-7165}
CELLAR_JAR=${CELLAR_JAR:-server-resp/target/cellar-server.jar}
KEEP=${KEEP:-}

bench_setup aof-startup redis-server redis-benchmark redis-cli java

work=$(mktemp -d)
logs=${KEEP:-$work/logs}
mkdir -p "$logs"
pid=""
cleanup() {
  if [[ -n "$pid" ]]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT


redis_on() { # dir extra-args...
  local dir=$1; shift
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --protected-mode no --save "" --dir "$dir" \
    --logfile "$dir/redis.log" --daemonize no --appendonly yes --appendfsync no --enable-debug-command local "$@" &
  pid=$!
}

cellar_on() { # dir extra-args...
  local dir=$1; shift
  # shellcheck disable=SC2086
  cellar_exec --port "$CELLAR_PORT" --bind 127.0.0.1 --protected-mode no --save "" \
    --dir "$dir" --logfile "$dir/cellar.log" --appendonly yes --appendfsync no --enable-debug-command local "$@" &
  pid=$!
}

# ---------------------------------------------------------------- the logs, made by Redis
if [[ ! -d "$logs/resp/appendonlydir" ]]; then
  echo "making the RESP log: $KEYS SETs into redis-server ..." >&2
  rm -rf "$logs/resp"; mkdir -p "$logs/resp"
  redis_on "$logs/resp" --aof-use-rdb-preamble no
  wait_ready "$REDIS_PORT" 300
  redis-benchmark -p "$REDIS_PORT" -c 50 -n "$KEYS" -r "$KEYS" -P 16 -t set -q >/dev/null 2>&1
  stop_server "$REDIS_PORT"
  rm -f "$logs/resp/redis.log"
fi
if [[ "$HYBRID" == 1 && ! -d "$logs/hybrid/appendonlydir" ]]; then
  echo "making the hybrid log: the same data rewritten with an RDB preamble, then $TAIL SETs ..." >&2
  rm -rf "$logs/hybrid"; cp -r "$logs/resp" "$logs/hybrid"
  redis_on "$logs/hybrid" --aof-use-rdb-preamble yes
  wait_ready "$REDIS_PORT" 300
  redis-cli -p "$REDIS_PORT" bgrewriteaof >/dev/null
  for _ in $(seq 1 3000); do
    if redis-cli -p "$REDIS_PORT" info persistence | grep -q "aof_rewrite_in_progress:0" \
      && ! redis-cli -p "$REDIS_PORT" info persistence | grep -q "aof_rewrite_scheduled:1"; then break; fi
    sleep 0.05
  done
  sleep 0.5
  redis-benchmark -p "$REDIS_PORT" -c 50 -n "$TAIL" -r "$KEYS" -P 16 -t set -q >/dev/null 2>&1
  stop_server "$REDIS_PORT"
  rm -f "$logs/hybrid/redis.log"
fi

# ---------------------------------------------------------------- start-ups
: > "$work/times.csv"; : > "$work/digests"
start_once() { # side kind round
  local side=$1 kind=$2 round=$3 dir="$work/run" port t0 t1 keys loader cpu extra=()
  rm -rf "$dir"; cp -r "$logs/$kind" "$dir"
  if [[ $kind == resp ]]; then extra=(--aof-use-rdb-preamble no); else extra=(--aof-use-rdb-preamble yes); fi
  t0=$(now_ms)
  if [[ $side == redis ]]; then port=$REDIS_PORT; redis_on "$dir" "${extra[@]}";
  else port=$CELLAR_PORT; cellar_on "$dir" "${extra[@]}"; fi
  wait_ready "$port" 300; t1=$(now_ms)
  cpu=$(awk '{printf "%.2f", ($14 + $15) / 100}' "/proc/$pid/stat" 2>/dev/null || echo "?")
  keys=$(redis-cli -p "$port" dbsize)
  echo "$kind $(redis-cli -p "$port" debug digest)" >> "$work/digests"
  stop_server "$port"
  loader=$(grep -h "DB loaded from append only file" "$dir"/*.log | tail -1 | sed 's/.*file: \([0-9.]*\) seconds.*/\1/')
  echo "$side,$kind,$round,$((t1 - t0)),${loader:-?},$keys,$cpu" >> "$work/times.csv"
  echo "  $kind round $round $side: $((t1 - t0)) ms to PONG, loader ${loader:-?} s, CPU ${cpu} s, $keys keys" >&2
}

kinds=resp
[[ "$HYBRID" == 1 ]] && kinds="resp hybrid"
for kind in $kinds; do
  for r in $(seq 1 "$ROUNDS"); do
    start_once cellar "$kind" "$r"
    start_once redis "$kind" "$r"
  done
done

echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# $(java -version 2>&1 | head -1), LAUNCHER='${LAUNCHER:-bin}', JAVA_OPTS='${JAVA_OPTS}', $(redis-server --version | cut -d' ' -f1-3)"
echo "# resp: $(du -sb "$logs/resp/appendonlydir" | cut -f1) bytes ($KEYS SETs, -r $KEYS)$([[ "$HYBRID" == 1 ]] && echo ", hybrid: $(du -sb "$logs/hybrid/appendonlydir" | cut -f1) bytes (RDB base + $TAIL SETs)")"
echo
awk -F, "$AWK_LIB"'
{
  if (!($2 in seen)) { seen[$2] = 1; order[++n] = $2 }
  ms[$1, $2] = ms[$1, $2] " " $4; ld[$1, $2] = ld[$1, $2] " " $5; keys[$1, $2] = $6; cpu[$1, $2] = cpu[$1, $2] " " $7
}
END {
  printf "| log | keys Cellar / Redis | Cellar to PONG ms | Redis to PONG ms | ratio | Cellar loader s | Redis loader s | ratio | CPU s at PONG Cellar / Redis |\n"
  printf "|---|---|---|---|---|---|---|---|---|\n"
  for (i = 1; i <= n; i++) {
    k = order[i]
    c = median(ms["cellar", k]); r = median(ms["redis", k]); cl = median(ld["cellar", k]); rl = median(ld["redis", k])
    printf "| %s | %s / %s | %s (median %d) | %s (median %d) | %.2f | %s (median %.3f) | %s (median %.3f) | %.2f | %.2f / %.2f |\n", k, keys["cellar", k], keys["redis", k], \
      ms["cellar", k], c, ms["redis", k], r, (r > 0 ? c / r : 0), ld["cellar", k], cl, ld["redis", k], rl, (rl > 0 ? cl / rl : 0), \
      median(cpu["cellar", k]), median(cpu["redis", k])
  }
}' "$work/times.csv"
echo
# Every start of a log, Cellar's and Redis's, must have loaded the same data set.
sort -u "$work/digests" | awk '{n[$1]++; d[$1] = d[$1] " " $2} END {for (k in n) printf "DEBUG DIGEST after loading the %s log: %s\n", k, (n[k] == 1 ? "the same on every start of both servers" : "DIFFERS:" d[k])}'
