#!/usr/bin/env bash
# Server CPU time per request, Cellar beside the real redis-server: a figure that a busy machine
# disturbs far less than requests per second (other processes slow a server down, but do not make
# it burn more CPU per request). Starts each server on a loopback port with the same settings (no
# persistence), warms each up with one discarded redis-benchmark run of every test and depth (so
# the JIT's compiler threads are quiet before measuring), then runs each test ROUNDS times per
# pipeline depth, alternating the servers, and reads each server process's user+system CPU time
# (/proc/PID/stat) before and after. Prints the median microseconds of server CPU per request and
# the ratio Cellar/Redis. With BASE_JAR set, a second Cellar (another build, port CELLAR_PORT+1)
# runs in the same rounds, for before/after comparisons under the same machine load.
#
# Usage: benchmarks/cpu-per-request.sh     (after mvn -q -DskipTests package -pl server-resp -am)
# Environment: REQUESTS=200000 CLIENTS=50 PIPELINES="1 16" TESTS=set,get,incr,lpush,zadd
#              JAVA_OPTS="" (JVM flags for Cellar) CELLAR_ARGS="" (extra --name value options)
#              LAUNCHER=bin (Cellar started by bin/cellar-server; java: plain java -jar, see lib.sh)
#              SERVER_ARGS="" (options for both servers, e.g. "--appendonly yes --appendfsync always
#              --aof-use-rdb-preamble no"; each server has a directory of its own)
#              CELLAR_JAR=server-resp/target/cellar-server.jar
#              REDIS_PORT=7231 CELLAR_PORT=7232 ROUNDS=3 BASE_JAR="" (another Cellar build)
#              BASE_ARGS="$CELLAR_ARGS" (the base's options: BASE_JAR=$CELLAR_JAR with other options
#              compares settings of one build) BASE_JAVA_OPTS="$JAVA_OPTS" (the base's JVM flags)
set -euo pipefail

cd "$(dirname "$0")/.."
# shellcheck source=benchmarks/lib.sh
source benchmarks/lib.sh
REQUESTS=${REQUESTS:-200000}
CLIENTS=${CLIENTS:-50}
PIPELINES=${PIPELINES:-"1 16"}
TESTS=${TESTS:-set,get,incr,lpush,zadd}
JAVA_OPTS=${JAVA_OPTS:-}
CELLAR_ARGS=${CELLAR_ARGS:-}
SERVER_ARGS=${SERVER_ARGS:-}
CELLAR_JAR=${CELLAR_JAR:-server-resp/target/cellar-server.jar}
REDIS_PORT=${REDIS_PORT:-7231}
CELLAR_PORT=${CELLAR_PORT:-7232}
ROUNDS=${ROUNDS:-3}
BASE_JAR=${BASE_JAR:-}
BASE_ARGS=${BASE_ARGS-$CELLAR_ARGS}
BASE_JAVA_OPTS=${BASE_JAVA_OPTS-$JAVA_OPTS}
BASE_PORT=$((CELLAR_PORT + 1))

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

# user+system clock ticks of a process
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

common=(--bind 127.0.0.1 --save "" --appendonly no --protected-mode no --databases 16)
# shellcheck disable=SC2206
common+=($SERVER_ARGS)
mkdir -p "$work/redis" "$work/cellar"
redis-server --port "$REDIS_PORT" --dir "$work/redis" "${common[@]}" >"$work/redis.log" 2>&1 &
redis_pid=$!
pids+=("$redis_pid")
cellar_prepare
[[ -n "$BASE_JAR" ]] && cellar_prepare "$BASE_JAR"
# shellcheck disable=SC2086
cellar_exec --port "$CELLAR_PORT" --dir "$work/cellar" "${common[@]}" $CELLAR_ARGS >"$work/cellar.log" 2>&1 &
cellar_pid=$!
pids+=("$cellar_pid")
wait_ready "$REDIS_PORT"
wait_ready "$CELLAR_PORT"
sides=(cellar redis)
declare -A port_of=([cellar]=$CELLAR_PORT [redis]=$REDIS_PORT) pid_of=([cellar]=$cellar_pid [redis]=$redis_pid)
if [[ -n "$BASE_JAR" ]]; then
  mkdir -p "$work/base"
  # shellcheck disable=SC2086
  JAVA_OPTS=$BASE_JAVA_OPTS CELLAR_JAR=$BASE_JAR cellar_exec --port "$BASE_PORT" --dir "$work/base" "${common[@]}" $BASE_ARGS >"$work/base.log" 2>&1 &
  pids+=("$!")
  pid_of[base]=$!
  port_of[base]=$BASE_PORT
  sides=(base cellar redis)
  wait_ready "$BASE_PORT"
fi
IFS=',' read -ra tests <<<"$TESTS"
for p in $PIPELINES; do
  for t in "${tests[@]}"; do
    for side in "${sides[@]}"; do
      redis-benchmark -p "${port_of[$side]}" -c "$CLIENTS" -n "$REQUESTS" -r 100000 -P "$p" -t "$t" -q >/dev/null 2>&1
    done
  done
done

median() { tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END{print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'; }

hz=$(getconf CLK_TCK)
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, $(java -version 2>&1 | head -1), LAUNCHER='${LAUNCHER:-bin}', JAVA_OPTS='$JAVA_OPTS', CELLAR_ARGS='$CELLAR_ARGS', SERVER_ARGS='$SERVER_ARGS'"
echo "# $CLIENTS clients, $REQUESTS requests per run, $ROUNDS rounds (medians) after a warm-up of every test; CPU = server user+system time"
echo
if [[ -n "$BASE_JAR" ]]; then
  echo "# base: $BASE_JAR, BASE_ARGS='$BASE_ARGS', BASE_JAVA_OPTS='$BASE_JAVA_OPTS'"
  echo "| test | -P | base us CPU/req | Cellar us CPU/req | Redis us CPU/req | base/Redis | Cellar/Redis | base rps | Cellar rps | Redis rps |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
else
  echo "| test | -P | Cellar us CPU/req | Redis us CPU/req | ratio | Cellar rps | Redis rps |"
  echo "|---|---|---|---|---|---|---|"
fi
for p in $PIPELINES; do
  for t in "${tests[@]}"; do
    declare -A us=() rps=()
    for r in $(seq 1 "$ROUNDS"); do
      for side in "${sides[@]}"; do
        pid=${pid_of[$side]}
        before=$(ticks "$pid")
        line=$(redis-benchmark -p "${port_of[$side]}" -c "$CLIENTS" -n "$REQUESTS" -r 100000 -P "$p" -t "$t" --csv 2>/dev/null | tail -1)
        after=$(ticks "$pid")
        us[$side]+="$(awk -v d=$((after - before)) -v hz="$hz" -v n="$REQUESTS" 'BEGIN{printf "%.2f", d / hz * 1e6 / n}') "
        rps[$side]+="$(echo "$line" | awk -F'","' '{printf "%d", $2}') "
      done
    done
    for side in "${sides[@]}"; do
      us[$side]=$(echo "${us[$side]}" | median)
      rps[$side]=$(echo "${rps[$side]}" | median)
    done
    ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", (b > 0 ? a / b : 0)}'; }
    if [[ -n "$BASE_JAR" ]]; then
      echo "| ${t^^} | $p | ${us[base]} | ${us[cellar]} | ${us[redis]} | $(ratio "${us[base]}" "${us[redis]}") | $(ratio "${us[cellar]}" "${us[redis]}") | ${rps[base]} | ${rps[cellar]} | ${rps[redis]} |"
    else
      echo "| ${t^^} | $p | ${us[cellar]} | ${us[redis]} | $(ratio "${us[cellar]}" "${us[redis]}") | ${rps[cellar]} | ${rps[redis]} |"
    fi
  done
done
