#!/usr/bin/env bash
# Append-only file beside the real redis-server (issue 5).
#
# Part 1, throughput: for each appendfsync policy (always, everysec, no) starts a real redis-server
# and Cellar with the same options (--appendonly yes --appendfsync X --save "", each in a fresh
# temporary directory), runs redis-benchmark SET and INCR at -P 1 and -P 16 in alternating rounds
# (Cellar, Redis, Cellar, Redis, ...) after a discarded warm-up round, and prints the median
# requests per second of each side, the ratio Cellar/Redis and the spread.
#
# Part 2, start-up (STARTUP=1, the default): writes STARTUP_KEYS SETs (random keys over as many
# names) into each server with --appendonly yes --aof-use-rdb-preamble no --appendfsync no, stops
# it with SHUTDOWN, and times the restart from launching the process until PING answers (three
# times each). The time of an empty start (no AOF) is printed for comparison: Cellar's includes the
# JVM's own start-up.
#
# Usage: benchmarks/aof-compare.sh   (builds the jar if missing)
# Environment: ROUNDS=2 REQUESTS=40000 WARMUP=200000 (requests per test in the discarded warm-up:
#              enough for the JIT's C2 compiler to settle, which 40,000 were not) CLIENTS=50 PIPELINES="1 16" POLICIES="always everysec no"
#              AOF_ARGS="--aof-use-rdb-preamble no" (more options for both servers in part 1; the
#              base's format does not change what the SET/INCR runs measure, the incr file's writes)
#              KEYSPACE=100000 STARTUP=1 STARTUP_KEYS=1000000 RESTARTS=3 JAVA_OPTS=""
#              LAUNCHER=bin (Cellar started by bin/cellar-server; java: plain java -jar, see lib.sh)
#              CELLAR_ARGS="" (Cellar-only options, e.g. "--cellar-event-loops 1")
#              REDIS_PORT=7162 CELLAR_PORT=7163 CELLAR_JAR=server-resp/target/cellar-server.jar
set -euo pipefail

cd "$(dirname "$0")/.."
# shellcheck source=benchmarks/lib.sh
source benchmarks/lib.sh
ROUNDS=${ROUNDS:-2}
REQUESTS=${REQUESTS:-40000}
WARMUP=${WARMUP:-200000}
CLIENTS=${CLIENTS:-50}
PIPELINES=${PIPELINES:-"1 16"}
POLICIES=${POLICIES:-"always everysec no"}
KEYSPACE=${KEYSPACE:-100000}
STARTUP=${STARTUP:-1}
STARTUP_KEYS=${STARTUP_KEYS:-1000000}
RESTARTS=${RESTARTS:-3}
JAVA_OPTS=${JAVA_OPTS:-}
CELLAR_ARGS=${CELLAR_ARGS:-}
AOF_ARGS=${AOF_ARGS:-"--aof-use-rdb-preamble no"}
REDIS_PORT=${REDIS_PORT:-7162}
CELLAR_PORT=${CELLAR_PORT:-7163}
CELLAR_JAR=${CELLAR_JAR:-server-resp/target/cellar-server.jar}

bench_setup aof-compare redis-server redis-benchmark redis-cli java

work=$(mktemp -d)
pids=()
declare -A pid_of
cleanup() {
  for p in "${pids[@]+"${pids[@]}"}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

start_redis() { # dir extra-args...
  local dir=$1; shift
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --protected-mode no --save "" --dir "$dir" \
    --logfile "$dir/redis.log" --daemonize no "$@" &
  pids+=($!); pid_of[$REDIS_PORT]=$!
}

start_cellar() { # dir extra-args...
  local dir=$1; shift
  # shellcheck disable=SC2086
  cellar_exec --port "$CELLAR_PORT" --bind 127.0.0.1 --protected-mode no --save "" \
    --dir "$dir" --logfile "$dir/cellar.log" $CELLAR_ARGS "$@" &
  pids+=($!); pid_of[$CELLAR_PORT]=$!
}

stop() { # port
  redis-cli -p "$1" shutdown >/dev/null 2>&1 || true
  for _ in $(seq 1 500); do
    if ! redis-cli -p "$1" ping >/dev/null 2>&1; then break; fi
    sleep 0.02
  done
  wait "${pid_of[$1]}" 2>/dev/null || true
  local keep=() q
  for q in "${pids[@]+"${pids[@]}"}"; do [[ $q == "${pid_of[$1]}" ]] || keep+=("$q"); done
  pids=("${keep[@]+"${keep[@]}"}")
}

bench() { # side port policy pipeline round test
  local out
  out=$(redis-benchmark -p "$2" -c "$CLIENTS" -n "$REQUESTS" -r "$KEYSPACE" -P "$4" -t "$6" --csv 2>/dev/null \
    | tail -n +2 | head -1 || true)
  if [[ -z "$out" ]]; then out="\"$(echo "$6" | tr '[:lower:]' '[:upper:]')\",\"-1\",0,0,0,0,0,0"; fi
  echo "$1,$3,$4,$5,$out" >> "$work/all.csv"
}

: > "$work/all.csv"
for policy in $POLICIES; do
  rm -rf "$work/r" "$work/c"; mkdir -p "$work/r" "$work/c"
  # shellcheck disable=SC2086
  start_redis "$work/r" --appendonly yes --appendfsync "$policy" $AOF_ARGS
  # shellcheck disable=SC2086
  start_cellar "$work/c" --appendonly yes --appendfsync "$policy" $AOF_ARGS
  wait_ready "$REDIS_PORT"; wait_ready "$CELLAR_PORT"
  for p in $PIPELINES; do
    echo "appendfsync $policy, -P $p: warm-up ..." >&2
    for t in set incr; do
      redis-benchmark -p "$CELLAR_PORT" -c "$CLIENTS" -n "$WARMUP" -r "$KEYSPACE" -P "$p" -t "$t" -q >/dev/null 2>&1 || true
      redis-benchmark -p "$REDIS_PORT" -c "$CLIENTS" -n "$WARMUP" -r "$KEYSPACE" -P "$p" -t "$t" -q >/dev/null 2>&1 || true
    done
    for r in $(seq 1 "$ROUNDS"); do
      echo "appendfsync $policy, -P $p: round $r/$ROUNDS ..." >&2
      for t in set incr; do
        bench cellar "$CELLAR_PORT" "$policy" "$p" "$r" "$t"
        bench redis "$REDIS_PORT" "$policy" "$p" "$r" "$t"
      done
    done
  done
  echo "appendfsync $policy: AOF bytes Redis $(du -sb "$work/r/appendonlydir" | cut -f1), Cellar $(du -sb "$work/c/appendonlydir" 2>/dev/null | cut -f1)" >&2
  stop "$REDIS_PORT"; stop "$CELLAR_PORT"
done

echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')),"
echo "# $(java -version 2>&1 | head -1), LAUNCHER='${LAUNCHER:-bin}', JAVA_OPTS='${JAVA_OPTS}', CELLAR_ARGS='${CELLAR_ARGS}', $(redis-server --version | cut -d' ' -f1-3)"
echo "# --appendonly yes --appendfsync X --save '' $AOF_ARGS on both; $CLIENTS clients, $REQUESTS requests, -r $KEYSPACE, $ROUNDS rounds each after a warm-up of $WARMUP, alternating; medians"
echo
# all.csv: side,policy,pipeline,round,"test","rps","avg","min","p50","p95","p99","max"
tr -d '"' < "$work/all.csv" | awk -F, "$AWK_LIB"'
{
  key = $2 SUBSEP $5 SUBSEP $3
  if (!(key in seen)) { seen[key] = 1; order[++n] = key }
  rps[$1, key] = rps[$1, key] " " $6
  p99[$1, key] = p99[$1, key] " " $11
}
END {
  printf "| appendfsync | test | -P | Cellar rps | Redis rps | ratio | Cellar min-max | Redis min-max | p99 ms Cellar / Redis |\n"
  printf "|---|---|---|---|---|---|---|---|---|\n"
  for (i = 1; i <= n; i++) {
    k = order[i]; split(k, parts, SUBSEP)
    c = median(rps["cellar", k]); r = median(rps["redis", k])
    if (c < 0 || r < 0) {
      printf "| %s | %s | %s | %s | %s | - | - | - | - |\n", parts[1], parts[2], parts[3], (c < 0 ? "error" : sprintf("%d", c)), (r < 0 ? "error" : sprintf("%d", r))
      continue
    }
    printf "| %s | %s | %s | %d | %d | %.2f | %s | %s | %.3f / %.3f |\n", parts[1], parts[2], parts[3], c, r, (r > 0 ? c / r : 0), minmax(rps["cellar", k]), minmax(rps["redis", k]), median(p99["cellar", k]), median(p99["redis", k])
  }
}'

[[ "$STARTUP" == 1 ]] || exit 0

echo
echo "Start-up with an AOF of $STARTUP_KEYS SET commands (--aof-use-rdb-preamble no), launch until PING answers:"
startup_side() { # side
  local side=$1 dir="$work/s-$1" port t0 t1 times="" empty
  rm -rf "$dir"; mkdir -p "$dir"
  local opts=(--appendonly yes --appendfsync no --aof-use-rdb-preamble no)
  if [[ $side == redis ]]; then port=$REDIS_PORT; else port=$CELLAR_PORT; fi
  t0=$(now_ms)
  if [[ $side == redis ]]; then start_redis "$dir" "${opts[@]}"; else start_cellar "$dir" "${opts[@]}"; fi
  wait_ready "$port"; t1=$(now_ms); empty=$((t1 - t0))
  redis-benchmark -p "$port" -c 50 -n "$STARTUP_KEYS" -r "$STARTUP_KEYS" -P 16 -t set -q >/dev/null 2>&1
  local keys; keys=$(redis-cli -p "$port" dbsize)
  stop "$port"
  local bytes; bytes=$(du -sb "$dir/appendonlydir" | cut -f1)
  for _ in $(seq 1 "$RESTARTS"); do
    t0=$(now_ms)
    if [[ $side == redis ]]; then start_redis "$dir" "${opts[@]}"; else start_cellar "$dir" "${opts[@]}"; fi
    wait_ready "$port"; t1=$(now_ms)
    times="$times $((t1 - t0))"
    local k2; k2=$(redis-cli -p "$port" dbsize)
    [[ "$k2" == "$keys" ]] || echo "  $side: loaded $k2 keys, expected $keys" >&2
    stop "$port"
  done
  echo "| $side | $keys | $bytes | $empty |$(echo "$times" | sed 's/ /, /g; s/^, / /') |"
}
echo "| server | keys | AOF bytes | empty start ms | restarts ms |"
echo "|---|---|---|---|---|"
startup_side cellar
startup_side redis
grep -h -i "loaded from append only file\|DB loaded\|loaded" "$work/s-redis/redis.log" | tail -"$RESTARTS" | sed 's/^/  redis log: /' || true
grep -h -i "loaded\|ready" "$work/s-cellar/cellar.log" | tail -$((RESTARTS * 2)) | sed 's/^/  cellar log: /' || true
