#!/usr/bin/env bash
# Resident memory after a burst of garbage, beside the real redis-server: what an operator sees in
# `used_memory_rss` (and `ps`) once a server that reloaded its data set is idle again.
#
# For each server (Cellar through the launcher, then Redis), in a fresh directory: DEBUG POPULATE
# KEYS keys (VALUE bytes each), then RELOADS times DEBUG RELOAD (save, empty, load: each reload
# leaves the previous data set as garbage), then IDLE seconds without a command. Prints
# used_memory and the process's RSS (from /proc) after the populate, after the reloads and after
# the idle time. Cellar's heap grows to take the garbage; the launcher's periodic collection
# (G1PeriodicGCInterval) and MaxHeapFreeRatio decide what it gives back while idle.
#
# Usage: benchmarks/rss-after-reload.sh   (builds the jar if missing)
# Environment: KEYS=1000000 VALUE=100 RELOADS=6 IDLE=40 JAVA_OPTS="" LAUNCHER=bin (see lib.sh)
#              REDIS_PORT=7168 CELLAR_PORT=7169 CELLAR_JAR=server-resp/target/cellar-server.jar
set -euo pipefail

cd "$(dirname "$0")/.."
# shellcheck source=benchmarks/lib.sh
source benchmarks/lib.sh
KEYS=${KEYS:-1000000}
VALUE=${VALUE:-100}
RELOADS=${RELOADS:-6}
IDLE=${IDLE:-40}
JAVA_OPTS=${JAVA_OPTS:-}
REDIS_PORT=${REDIS_PORT:-7168}
CELLAR_PORT=${CELLAR_PORT:-7169}
CELLAR_JAR=${CELLAR_JAR:-server-resp/target/cellar-server.jar}

bench_setup rss-after-reload redis-server redis-cli java

work=$(mktemp -d)
pid=""
cleanup() {
  if [[ -n "$pid" ]]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# figures PORT: "used_memory MB / RSS MB" of the server in $pid
figures() {
  local used rss
  used=$(redis-cli -p "$1" info memory | tr -d '\r' | awk -F: '$1 == "used_memory" {print $2}')
  rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")
  echo "$((used / 1048576)) / $((rss / 1024))"
}

measure() {
  local name=$1 port=$2 after_populate after_reloads after_idle
  redis-cli -p "$port" debug populate "$KEYS" key "$VALUE" >/dev/null
  after_populate=$(figures "$port")
  for _ in $(seq 1 "$RELOADS"); do
    redis-cli -p "$port" debug reload >/dev/null
  done
  after_reloads=$(figures "$port")
  sleep "$IDLE"
  after_idle=$(figures "$port")
  echo "| $name | $after_populate | $after_reloads | $after_idle |"
  stop_server "$port"
}

echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, $(java -version 2>&1 | head -1), LAUNCHER='${LAUNCHER:-bin}', JAVA_OPTS='$JAVA_OPTS'"
echo "# $KEYS keys of $VALUE bytes, $RELOADS DEBUG RELOADs, then $IDLE s idle; used_memory MB / RSS MB"
echo
echo "| server | after populate | after reloads | after idle |"
echo "|---|---|---|---|"

mkdir -p "$work/cellar" "$work/redis"
(cellar_exec --port "$CELLAR_PORT" --dir "$work/cellar" --save "" --enable-debug-command yes \
  >"$work/cellar.log" 2>&1) &
pid=$!
wait_ready "$CELLAR_PORT"
measure cellar "$CELLAR_PORT"

redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$work/redis" --save "" --enable-debug-command yes \
  --logfile "$work/redis.log" --daemonize no &
pid=$!
wait_ready "$REDIS_PORT"
measure redis "$REDIS_PORT"
