#!/usr/bin/env bash
# Latency of a steady SET load before and during BGSAVE, Cellar beside the real redis-server (issue 4).
#
# For each server in turn (Cellar, Redis, Cellar, Redis for ROUNDS=2): starts it with --save ""
# --appendonly no and --enable-debug-command yes, fills it with DEBUG POPULATE $KEYS, then
# runs back-to-back short redis-benchmark SET runs (-r $KEYS, $CLIENTS clients, -P 1, $SLICE
# requests each, --csv: each run prints its p50/p99/max). After $BEFORE runs it sends BGSAVE and
# keeps running slices until INFO persistence says rdb_bgsave_in_progress:0. Reported per window
# (before / during): the median of the slices' p50, the max of their p99, the max of their max and
# the mean rps; and INFO's rdb_last_cow_size and rdb_last_bgsave_time_sec afterwards.
# A slice counts as "during" if it started before the save ended.
#
# Usage: benchmarks/bgsave-latency.sh   (builds the jar if missing)
# Environment: KEYS=1000000 SLICE=5000 BEFORE=8 CLIENTS=50 ROUNDS=2 JAVA_OPTS=""
#              REDIS_PORT=7164 CELLAR_PORT=7165 CELLAR_JAR=server-resp/target/cellar-server.jar
set -euo pipefail

cd "$(dirname "$0")/.."
KEYS=${KEYS:-1000000}
SLICE=${SLICE:-5000}
BEFORE=${BEFORE:-8}
CLIENTS=${CLIENTS:-50}
ROUNDS=${ROUNDS:-2}
JAVA_OPTS=${JAVA_OPTS:-}
REDIS_PORT=${REDIS_PORT:-7164}
CELLAR_PORT=${CELLAR_PORT:-7165}
CELLAR_JAR=${CELLAR_JAR:-server-resp/target/cellar-server.jar}

if [[ ! -f "$CELLAR_JAR" ]]; then mvn -q -DskipTests package -pl server-resp -am >&2; fi

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]+"${pids[@]}"}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

wait_ready() {
  for _ in $(seq 1 3000); do
    if redis-cli -p "$1" ping 2>/dev/null | grep -q PONG; then return 0; fi
    sleep 0.02
  done
  echo "server on port $1 did not start" >&2; exit 1
}
info() { redis-cli -p "$1" info persistence | tr -d '\r' | grep "^$2:" | cut -d: -f2; }

one() { # side
  local side=$1 port dir="$work/$1" i out saving=0 started
  rm -rf "$dir"; mkdir -p "$dir"
  local common=(--bind 127.0.0.1 --protected-mode no --save "" --appendonly no --dir "$dir")
  if [[ $side == redis ]]; then
    port=$REDIS_PORT
    redis-server --port "$port" "${common[@]}" --enable-debug-command yes --logfile "$dir/log" --daemonize no &
  else
    port=$CELLAR_PORT
    # shellcheck disable=SC2086
    java $JAVA_OPTS -jar "$CELLAR_JAR" --port "$port" "${common[@]}" --enable-debug-command yes --logfile "$dir/log" &
  fi
  pids+=($!)
  wait_ready "$port"
  [[ "$(redis-cli -p "$port" debug populate "$KEYS")" == OK ]] || { echo "$side: DEBUG POPULATE failed" >&2; exit 1; }
  # warm-up (discarded)
  redis-benchmark -p "$port" -c "$CLIENTS" -n $((SLICE * 4)) -r "$KEYS" -t set -q >/dev/null 2>&1
  for i in $(seq 1 "$BEFORE"); do
    out=$(redis-benchmark -p "$port" -c "$CLIENTS" -n "$SLICE" -r "$KEYS" -t set --csv | tail -1 | tr -d '"')
    echo "$side,before,$out" >> "$work/slices.csv"
  done
  started=$(date +%s%3N)
  redis-cli -p "$port" bgsave >/dev/null
  saving=1
  while [[ $saving == 1 ]]; do
    out=$(redis-benchmark -p "$port" -c "$CLIENTS" -n "$SLICE" -r "$KEYS" -t set --csv | tail -1 | tr -d '"')
    echo "$side,during,$out" >> "$work/slices.csv"
    [[ "$(info "$port" rdb_bgsave_in_progress)" == 1 ]] || saving=0
  done
  local took=$(( $(date +%s%3N) - started ))
  echo "$side: BGSAVE observed for ${took} ms (slices included), rdb_last_bgsave_status=$(info "$port" rdb_last_bgsave_status)," \
    "rdb_last_bgsave_time_sec=$(info "$port" rdb_last_bgsave_time_sec), rdb_last_cow_size=$(info "$port" rdb_last_cow_size)," \
    "dump $(stat -c %s "$dir/dump.rdb" 2>/dev/null || echo '?') bytes" >&2
  echo "$side,$(info "$port" rdb_last_cow_size)" >> "$work/cow.csv"
  redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
  wait "${pids[-1]}" 2>/dev/null || true
  pids=()
}

: > "$work/slices.csv"; : > "$work/cow.csv"
for r in $(seq 1 "$ROUNDS"); do
  echo "round $r/$ROUNDS ..." >&2
  one cellar
  one redis
done

echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, $(java -version 2>&1 | head -1), JAVA_OPTS='${JAVA_OPTS}', $(redis-server --version | cut -d' ' -f1-3)"
echo "# DEBUG POPULATE $KEYS, SET -r $KEYS, $CLIENTS clients, -P 1, slices of $SLICE requests, $ROUNDS rounds per server"
echo
# slices.csv: side,window,test,rps,avg,min,p50,p95,p99,max
awk -F, '
function median(list,   n, a, i, j, t) {
  n = split(list, a, " ")
  for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
  return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
{
  k = $1 SUBSEP $2
  p50[k] = p50[k] " " $7; cnt[k]++; rps[k] += $4
  if ($9 + 0 > p99[k] + 0) p99[k] = $9
  if ($10 + 0 > mx[k] + 0) mx[k] = $10
}
END {
  printf "| server | window | slices | mean rps | p50 ms (median of slices) | p99 ms (worst slice) | max ms |\n|---|---|---|---|---|---|---|\n"
  split("cellar redis", sides, " "); split("before during", wins, " ")
  for (s = 1; s <= 2; s++) for (w = 1; w <= 2; w++) {
    k = sides[s] SUBSEP wins[w]
    if (cnt[k]) printf "| %s | %s | %d | %d | %.3f | %.3f | %.3f |\n", sides[s], wins[w], cnt[k], rps[k] / cnt[k], median(p50[k]), p99[k], mx[k]
  }
}' "$work/slices.csv"
echo
awk -F, '{ v[$1] = v[$1] " " $2 } END { for (s in v) printf "rdb_last_cow_size %s:%s\n", s, v[s] }' "$work/cow.csv"
