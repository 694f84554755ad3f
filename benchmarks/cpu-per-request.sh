#!/usr/bin/env bash
# Server CPU time per request, Cellar beside the real redis-server: a figure that a busy machine
# disturbs far less than requests per second (other processes slow a server down, but do not make
# it burn more CPU per request). Starts each server on a loopback port with the same settings (no
# persistence), warms it up with one discarded redis-benchmark run per test, then runs each test
# once per pipeline depth and reads the server process's user+system CPU time (/proc/PID/stat)
# before and after. Prints microseconds of server CPU per request and the ratio Cellar/Redis.
#
# Usage: benchmarks/cpu-per-request.sh     (after mvn -q -DskipTests package -pl server-resp -am)
# Environment: REQUESTS=200000 CLIENTS=50 PIPELINES="1 16" TESTS=set,get,incr,lpush,zadd
#              JAVA_OPTS="" (JVM flags for Cellar) CELLAR_ARGS="" (extra --name value options)
#              CELLAR_JAR=server-resp/target/cellar-server.jar
#              REDIS_PORT=7231 CELLAR_PORT=7232
set -euo pipefail

cd "$(dirname "$0")/.."
REQUESTS=${REQUESTS:-200000}
CLIENTS=${CLIENTS:-50}
PIPELINES=${PIPELINES:-"1 16"}
TESTS=${TESTS:-set,get,incr,lpush,zadd}
JAVA_OPTS=${JAVA_OPTS:-}
CELLAR_ARGS=${CELLAR_ARGS:-}
CELLAR_JAR=${CELLAR_JAR:-server-resp/target/cellar-server.jar}
REDIS_PORT=${REDIS_PORT:-7231}
CELLAR_PORT=${CELLAR_PORT:-7232}

for tool in redis-server redis-benchmark redis-cli java; do
  command -v "$tool" >/dev/null || { echo "cpu-per-request: $tool is not installed" >&2; exit 2; }
done
[[ -f "$CELLAR_JAR" ]] || { echo "cpu-per-request: $CELLAR_JAR not found (build it first)" >&2; exit 2; }

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

wait_ready() {
  for _ in $(seq 1 150); do
    if redis-cli -p "$1" ping 2>/dev/null | grep -q PONG; then return 0; fi
    sleep 0.1
  done
  echo "server on port $1 did not start" >&2
  exit 1
}

# user+system clock ticks of a process
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

common=(--bind 127.0.0.1 --save "" --appendonly no --protected-mode no --databases 16)
redis-server --port "$REDIS_PORT" --dir "$work" "${common[@]}" >"$work/redis.log" 2>&1 &
redis_pid=$!
pids+=("$redis_pid")
# shellcheck disable=SC2086
java $JAVA_OPTS -jar "$CELLAR_JAR" --port "$CELLAR_PORT" --dir "$work" "${common[@]}" $CELLAR_ARGS >"$work/cellar.log" 2>&1 &
cellar_pid=$!
pids+=("$cellar_pid")
wait_ready "$REDIS_PORT"
wait_ready "$CELLAR_PORT"

hz=$(getconf CLK_TCK)
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, $(java -version 2>&1 | head -1), JAVA_OPTS='$JAVA_OPTS', CELLAR_ARGS='$CELLAR_ARGS'"
echo "# $CLIENTS clients, $REQUESTS requests per test after a discarded warm-up run; CPU = server user+system time"
echo
echo "| test | -P | Cellar us CPU/req | Redis us CPU/req | ratio | Cellar rps | Redis rps |"
echo "|---|---|---|---|---|---|---|"
IFS=',' read -ra tests <<<"$TESTS"
for p in $PIPELINES; do
  for t in "${tests[@]}"; do
    declare -A us=() rps=()
    for side in cellar redis; do
      if [[ $side == cellar ]]; then port=$CELLAR_PORT; pid=$cellar_pid; else port=$REDIS_PORT; pid=$redis_pid; fi
      redis-benchmark -p "$port" -c "$CLIENTS" -n "$REQUESTS" -r 100000 -P "$p" -t "$t" -q >/dev/null 2>&1
      before=$(ticks "$pid")
      line=$(redis-benchmark -p "$port" -c "$CLIENTS" -n "$REQUESTS" -r 100000 -P "$p" -t "$t" --csv 2>/dev/null | tail -1)
      after=$(ticks "$pid")
      us[$side]=$(awk -v d=$((after - before)) -v hz="$hz" -v n="$REQUESTS" 'BEGIN{printf "%.2f", d / hz * 1e6 / n}')
      rps[$side]=$(echo "$line" | awk -F'","' '{printf "%d", $2}')
    done
    ratio=$(awk -v a="${us[cellar]}" -v b="${us[redis]}" 'BEGIN{printf "%.2f", (b > 0 ? a / b : 0)}')
    echo "| ${t^^} | $p | ${us[cellar]} | ${us[redis]} | $ratio | ${rps[cellar]} | ${rps[redis]} |"
  done
done
