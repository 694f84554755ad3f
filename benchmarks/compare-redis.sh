#!/usr/bin/env bash
# Side-by-side throughput of Cellar and the real redis-server, as docs/benchmarking.md asks:
# both started here on free loopback ports with the same settings (no persistence), measured with
# redis-benchmark in alternating rounds (Cellar, Redis, Cellar, Redis, ...) after a discarded
# warm-up round each, for pipeline depths 1 and 16. Prints the median requests per second of each
# side, the ratio Cellar/Redis, the spread (min-max) and the median p50/p99 latencies.
#
# Usage: benchmarks/compare-redis.sh            (builds the jar if missing)
# Environment: ROUNDS=2 REQUESTS=100000 WARMUP=200000 (requests per test in the discarded warm-up,
#              enough for the JIT's C2 compiler to settle) CLIENTS=50 PIPELINES="1 16" TESTS=set,get,...
#              JAVA_OPTS="" (JVM flags for Cellar) CELLAR_ARGS="" (extra --name value options)
#              LAUNCHER=bin (Cellar started by bin/cellar-server; java: plain java -jar, see lib.sh)
#              CELLAR_JAR=server-resp/target/cellar-server.jar KEEP_RAW=dir (keep the CSV files)
#              REDIS_PORT / CELLAR_PORT (fixed ports instead of random free ones)
set -euo pipefail

cd "$(dirname "$0")/.."
# shellcheck source=benchmarks/lib.sh
source benchmarks/lib.sh
ROUNDS=${ROUNDS:-2}
REQUESTS=${REQUESTS:-100000}
WARMUP=${WARMUP:-200000}
CLIENTS=${CLIENTS:-50}
PIPELINES=${PIPELINES:-"1 16"}
TESTS=${TESTS:-set,get,incr,lpush,rpush,lpop,rpop,sadd,hset,spop,zadd,lrange_100,mset}
JAVA_OPTS=${JAVA_OPTS:-}
CELLAR_ARGS=${CELLAR_ARGS:-}
CELLAR_JAR=${CELLAR_JAR:-server-resp/target/cellar-server.jar}

bench_setup compare-redis redis-server redis-benchmark redis-cli java

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [[ -n "${KEEP_RAW:-}" ]]; then mkdir -p "$KEEP_RAW"; cp "$work"/*.csv "$KEEP_RAW"/ 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  local p
  while :; do
    p=$(( 20000 + RANDOM % 20000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
}

common=(--bind 127.0.0.1 --save "" --appendonly no --protected-mode no --databases 16)
redis_port=${REDIS_PORT:-$(free_port)}
redis-server --port "$redis_port" "${common[@]}" --dir "$work" --logfile "$work/redis.log" --daemonize no &
pids+=($!)
cellar_port=${CELLAR_PORT:-$(free_port)}
# shellcheck disable=SC2086
cellar_exec --port "$cellar_port" "${common[@]}" --dir "$work" $CELLAR_ARGS --logfile "$work/cellar.log" &
pids+=($!)
wait_ready "$redis_port"
wait_ready "$cellar_port"

csv_name() { # the test's name as redis-benchmark --csv prints it
  case $1 in
    lrange_100) echo "LRANGE_100 (first 100 elements)" ;;
    lrange_300) echo "LRANGE_300 (first 300 elements)" ;;
    lrange_500) echo "LRANGE_500 (first 500 elements)" ;;
    lrange_600) echo "LRANGE_600 (first 600 elements)" ;;
    lrange) echo "LRANGE_100 (first 100 elements)" ;;
    mset) echo "MSET (10 keys)" ;;
    *) echo "$1" | tr '[:lower:]' '[:upper:]' ;;
  esac
}

run() { # name port pipeline round
  # One redis-benchmark per test: it stops at the first error reply, so a command Cellar does not
  # have yet (or a crash) costs only that test, which is reported as "error".
  local t out
  for t in ${TESTS//,/ }; do
    if out=$(redis-benchmark -p "$2" -c "$CLIENTS" -n "$REQUESTS" -P "$3" -t "$t" --csv 2>/dev/null) \
        && [[ $(printf '%s\n' "$out" | wc -l) -ge 2 ]]; then
      printf '%s\n' "$out" | tail -n +2 | grep -v '^"LPUSH (needed' | sed "s/^/$1,$3,$4,/" >> "$work/all.csv"
    else
      echo "$1,$3,$4,\"$(csv_name "$t")\",\"-1\",0,0,0,0,0,0" >> "$work/all.csv"
    fi
  done
}

: > "$work/all.csv"
for p in $PIPELINES; do
  echo "warm-up round, -P $p ..." >&2
  for t in ${TESTS//,/ }; do
    redis-benchmark -p "$cellar_port" -c "$CLIENTS" -n "$WARMUP" -P "$p" -t "$t" -q >/dev/null 2>&1 || true
    redis-benchmark -p "$redis_port" -c "$CLIENTS" -n "$WARMUP" -P "$p" -t "$t" -q >/dev/null 2>&1 || true
  done
  for r in $(seq 1 "$ROUNDS"); do
    echo "round $r/$ROUNDS, -P $p ..." >&2
    run cellar "$cellar_port" "$p" "$r"
    run redis "$redis_port" "$p" "$r"
  done
done

echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')),"
echo "# $(java -version 2>&1 | head -1), LAUNCHER='${LAUNCHER:-bin}', JAVA_OPTS='${JAVA_OPTS}', CELLAR_ARGS='${CELLAR_ARGS}', $(redis-server --version | cut -d' ' -f1-3)"
echo "# $CLIENTS clients, $REQUESTS requests per test, $ROUNDS rounds each after a warm-up of $WARMUP, alternating; medians"
echo
# all.csv: side,pipeline,round,"test","rps","avg","min","p50","p95","p99","max"
tr -d '"' < "$work/all.csv" | awk -F, "$AWK_LIB"'
{
  key = $4 SUBSEP $2
  if (!(key in seen)) { seen[key] = 1; order[++n] = key }
  rps[$1, key] = rps[$1, key] " " $5
  p50[$1, key] = p50[$1, key] " " $8
  p99[$1, key] = p99[$1, key] " " $10
}
END {
  printf "| %-31s | %2s | %11s | %11s | %6s | %15s | %15s | %17s | %17s |\n", "test", "-P", "Cellar rps", "Redis rps", "ratio", "Cellar min-max", "Redis min-max", "p50 ms Cellar/Redis", "p99 ms Cellar/Redis"
  printf "|%s|%s|%s|%s|%s|%s|%s|%s|%s|\n", "---", "---", "---", "---", "---", "---", "---", "---", "---"
  for (i = 1; i <= n; i++) {
    k = order[i]; split(k, parts, SUBSEP)
    c = median(rps["cellar", k]); r = median(rps["redis", k])
    if (c < 0 || r < 0) {
      printf "| %-31s | %2s | %11s | %11s | %6s | %15s | %15s | %17s | %17s |\n", parts[1], parts[2], (c < 0 ? "error" : sprintf("%d", c)), (r < 0 ? "error" : sprintf("%d", r)), "-", "-", "-", "-", "-"
      continue
    }
    printf "| %-31s | %2s | %11d | %11d | %6.2f | %15s | %15s | %8.3f / %-6.3f | %8.3f / %-6.3f |\n", parts[1], parts[2], c, r, (r > 0 ? c / r : 0), minmax(rps["cellar", k]), minmax(rps["redis", k]), median(p50["cellar", k]), median(p50["redis", k]), median(p99["cellar", k]), median(p99["redis", k])
  }
}'
