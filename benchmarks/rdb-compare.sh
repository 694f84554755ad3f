#!/usr/bin/env bash
# Side-by-side RDB SAVE and start-up load: Cellar (embedded engine) and the real redis-server,
# 1 million keys shaped as DEBUG POPULATE makes them (key:N -> value:N). Usage:
#   benchmarks/rdb-compare.sh [keys] [port]      (from the repository root, after mvn -o compile)
set -euo pipefail
KEYS=${1:-1000000}
PORT=${2:-7139}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/rdb-compare.XXXX)
M2=${M2_REPO:-$HOME/.m2/repository}
SLF4J=$(ls "$M2"/org/slf4j/slf4j-api/*/slf4j-api-*.jar | grep -v sources | sort -V | tail -1)
NOP=$(ls "$M2"/org/slf4j/slf4j-nop/*/slf4j-nop-*.jar 2>/dev/null | sort -V | tail -1 || true)
CP="$ROOT/api/target/classes:$ROOT/core/target/classes:$ROOT/persistence-rdb/target/classes:$ROOT/benchmarks/target/classes:$SLF4J${NOP:+:$NOP}"

echo "== redis-server $(redis-server --version | awk '{print $3}')"
mkdir -p "$WORK/redis"
redis-server --port "$PORT" --save '' --appendonly no --dir "$WORK/redis" --daemonize yes \
  --logfile "$WORK/redis/log" --enable-debug-command yes >/dev/null
sleep 0.5
redis-cli -p "$PORT" debug populate "$KEYS" >/dev/null
for i in 1 2 3; do
  s=$(date +%s%N); redis-cli -p "$PORT" save >/dev/null; e=$(date +%s%N)
  echo "redis_save_ms=$(( (e - s) / 1000000 ))"
done
echo "redis_file_bytes=$(stat -c %s "$WORK/redis/dump.rdb")"
redis-cli -p "$PORT" shutdown nosave >/dev/null || true
for i in 1 2 3; do
  redis-server --port "$PORT" --save '' --appendonly no --dir "$WORK/redis" --daemonize yes \
    --logfile "$WORK/redis/log.$i" >/dev/null
  until grep -q "DB loaded from disk" "$WORK/redis/log.$i" 2>/dev/null; do sleep 0.05; done
  echo "redis_load_s=$(grep -o 'DB loaded from disk: [0-9.]*' "$WORK/redis/log.$i" | awk '{print $5}')"
  redis-cli -p "$PORT" shutdown nosave >/dev/null || true
  sleep 0.3
done

echo "== cellar"
java -Xmx4g -cp "$CP" dev.cellar.benchmarks.RdbCompare "$WORK/cellar" "$KEYS"
rm -rf "$WORK"
