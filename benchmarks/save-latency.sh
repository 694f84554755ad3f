#!/usr/bin/env bash
# Latency and memory of a steady SET load before and during a background save, Cellar beside the
# real redis-server. MODE is bgsave (issue 4: RDB, BGSAVE) or bgrewriteaof (issue 5: AOF rewrite).
#
# For each server in turn (Cellar, Redis, Cellar, Redis for ROUNDS=2): starts it with --save "",
# --enable-debug-command yes and, per mode, --appendonly no (bgsave) or --appendonly yes
# --appendfsync everysec --aof-use-rdb-preamble yes (bgrewriteaof); fills it with DEBUG POPULATE
# $KEYS, then runs back-to-back short redis-benchmark SET runs (-r $KEYS, $CLIENTS clients, -P 1,
# $SLICE requests each, --csv: each run prints its p50/p99/max). After $BEFORE runs it sends the
# save command and keeps running slices until INFO persistence says rdb_bgsave_in_progress:0
# (aof_rewrite_in_progress:0). A slice counts as "during" if it started before the save ended.
# Reported per window (before / during): the median of the slices' p50, the max of their p99, the
# max of their max and the mean rps.
#
# Memory: one redis-cli samples INFO memory and persistence every $SAMPLE_S s from the end of the
# warm-up.
# Per window: used_memory and RSS (median before, peak during), current_cow_size (peak during),
# and for Cellar the JVM heap in use (jvm_heap_used: garbage included, so the peak of the window)
# and the heap occupancy after each GC from the JVM's GC log (-Xlog:gc; median before, peak
# during; GCs from the start of sampling, after the fill and the warm-up). Afterwards: the save's
# wall time (command sent to the first sample that shows it done), and rdb_last_cow_size
# (aof_last_cow_size), the bytes the save had to copy.
#
# Note: redis-benchmark's -r keys are key:%012d and DEBUG POPULATE's are key:N, so the load writes
# new keys beside the populated ones. OVERWRITE=1 first runs a pipelined SET pass over the load's
# key space (-n $KEYS -P 32: about 63% of its keys), so that the load also overwrites keys that
# existed when the save began; those are what a fork-less view must copy.
#
# SAVES=2 (or more) repeats the measurement on the same server: after the first save ends, $BEFORE
# new "before" slices, the command again, and so on; the windows of save N>1 are reported as
# "before#N" / "during#N". A JVM compiles the save's code paths (the walk, the writer, and the
# clients' write path with the view's copy-before-change hook) during its first save, so the first
# save of a Cellar process measures that too and later ones the steady state; Redis has no such
# difference.
#
# Usage: benchmarks/save-latency.sh bgsave|bgrewriteaof   (builds the jar if missing)
# Environment: KEYS=1000000 SLICE=5000 BEFORE=8 CLIENTS=50 ROUNDS=2 SAVES=1 SAMPLE_S=0.1 OVERWRITE=0
#              WARMUP=200000 (SET requests discarded before the "before" slices: enough for the
#              JIT's C2 compiler to settle, as in the other scripts; it was 20,000 until session 4)
#              WARMUP_SLICES=20 (discarded slices after it, each with new connections as measured
#              ones have; added in session 6)
#              JAVA_OPTS="" REDIS_PORT CELLAR_PORT (bgsave: 7164/7165, bgrewriteaof: 7166/7167)
#              LAUNCHER=bin (Cellar started by bin/cellar-server; java: plain java -jar, see lib.sh)
#              CELLAR_JAR=server-resp/target/cellar-server.jar; server directories under $TMPDIR.
set -euo pipefail

MODE=${1:-}
case "$MODE" in
  bgsave) flag=rdb_bgsave_in_progress; cow=rdb_last_cow_size; command=bgsave
    persistence=(--appendonly no); ports=(7164 7165) ;;
  bgrewriteaof) flag=aof_rewrite_in_progress; cow=aof_last_cow_size; command=bgrewriteaof
    persistence=(--appendonly yes --appendfsync everysec --aof-use-rdb-preamble yes); ports=(7166 7167) ;;
  *) echo "usage: $0 bgsave|bgrewriteaof" >&2; exit 2 ;;
esac

cd "$(dirname "$0")/.."
# shellcheck source=benchmarks/lib.sh
source benchmarks/lib.sh
KEYS=${KEYS:-1000000}
SLICE=${SLICE:-5000}
BEFORE=${BEFORE:-8}
WARMUP=${WARMUP:-200000}
WARMUP_SLICES=${WARMUP_SLICES:-20}
CLIENTS=${CLIENTS:-50}
ROUNDS=${ROUNDS:-2}
SAVES=${SAVES:-1}
SAMPLE_S=${SAMPLE_S:-0.1}
OVERWRITE=${OVERWRITE:-0}
JAVA_OPTS=${JAVA_OPTS:-}
REDIS_PORT=${REDIS_PORT:-${ports[0]}}
CELLAR_PORT=${CELLAR_PORT:-${ports[1]}}
CELLAR_JAR=${CELLAR_JAR:-server-resp/target/cellar-server.jar}

if [[ ! -f "$CELLAR_JAR" ]]; then mvn -q -DskipTests package -pl server-resp -am >&2; fi
cellar_prepare

work=$(mktemp -d "${TMPDIR:-/tmp}/save-latency-$MODE-XXXXXX")
pids=()
sampler=
stamper=
cleanup() {
  if [[ -n $sampler ]]; then kill "$sampler" 2>/dev/null || true; fi
  for p in "${pids[@]+"${pids[@]}"}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# The report's windows: before, during, then before#2, during#2, ... for SAVES saves.
AWK_LIB+='
function windows(saves, wins,   n, i) {
  for (i = 1; i <= saves; i++) { wins[++n] = "before" (i > 1 ? "#" i : ""); wins[++n] = "during" (i > 1 ? "#" i : "") }
  return n
}
'

info() { redis-cli -p "$1" info persistence | tr -d '\r' | grep "^$2:" | cut -d: -f2; }
slice() { redis-benchmark -p "$1" -c "$CLIENTS" -n "$SLICE" -r "$KEYS" -t set --csv | tail -1 | tr -d '"'; }

# Samples INFO into "ms field value" lines; each sample ends with its aof_rewrite_in_progress line.
# redis-cli flushes each reply; it writes to a fifo so that stopping it (by its pid) ends the rest.
sample_start() { # port file
  mkfifo "$2.fifo"
  redis-cli -p "$1" -r -1 -i "$SAMPLE_S" info memory persistence > "$2.fifo" 2>/dev/null &
  sampler=$!
  grep --line-buffered -E '^(used_memory|used_memory_rss|jvm_heap_used|current_cow_size|rdb_bgsave_in_progress|aof_rewrite_in_progress):' < "$2.fifo" \
    | while IFS=: read -r field value; do echo "$(now_ms) $field ${value%$'\r'}"; done > "$2" &
  stamper=$!
}

sample_stop() {
  kill "$sampler" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true; sampler=
  wait "$stamper" 2>/dev/null || true
}

one() { # side round
  local side=$1 round=$2 port dir="$work/$1-$2"
  mkdir -p "$dir"
  local common=(--bind 127.0.0.1 --protected-mode no --save "" "${persistence[@]}" --dir "$dir")
  if [[ $side == redis ]]; then
    port=$REDIS_PORT
    redis-server --port "$port" "${common[@]}" --enable-debug-command yes --logfile "$dir/log" --daemonize no &
  else
    port=$CELLAR_PORT
    # shellcheck disable=SC2086
    JAVA_OPTS="$JAVA_OPTS -Xlog:gc:file=$dir/gc.log:timemillis" cellar_exec --port "$port" "${common[@]}" \
      --enable-debug-command yes --logfile "$dir/log" &
  fi
  pids+=($!)
  wait_ready "$port"
  [[ "$(redis-cli -p "$port" debug populate "$KEYS")" == OK ]] || { echo "$side: DEBUG POPULATE failed" >&2; exit 1; }
  if [[ $OVERWRITE == 1 ]]; then
    redis-benchmark -p "$port" -c "$CLIENTS" -n "$KEYS" -r "$KEYS" -P 32 -t set -q >/dev/null 2>&1
  fi
  # warm-up (discarded): one long run, then slices like the measured ones (each a new
  # redis-benchmark with new connections: paths the long run never takes, which the JIT compiles
  # during the first slices; measured without these, Cellar's first 8 slices ran at half its rate)
  redis-benchmark -p "$port" -c "$CLIENTS" -n "$WARMUP" -r "$KEYS" -t set -q >/dev/null 2>&1
  for _ in $(seq 1 "$WARMUP_SLICES"); do slice "$port" >/dev/null; done
  local n
  for n in $(seq 1 "$SAVES"); do
    measure_save "$side" "$port" "$dir" "$n"
  done
  redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
  wait "${pids[-1]}" 2>/dev/null || true
  pids=()
  rm -rf "$dir"
}

measure_save() { # side port dir n: before slices, the command, slices until it is done
  local side=$1 port=$2 dir=$3 n=$4 saving=1 from sent done_ms suffix="" samples
  [[ $n == 1 ]] || suffix="#$n"
  samples="$dir/samples$n"
  from=$(now_ms)
  sample_start "$port" "$samples"
  for _ in $(seq 1 "$BEFORE"); do echo "$side,before$suffix,$(slice "$port")" >> "$work/slices.csv"; done
  sent=$(now_ms)
  redis-cli -p "$port" "$command" >/dev/null
  while [[ $saving == 1 ]]; do
    echo "$side,during$suffix,$(slice "$port")" >> "$work/slices.csv"
    [[ "$(info "$port" "$flag")" == 1 ]] || saving=0
  done
  sleep 0.5 # a few samples after the end
  sample_stop
  # the first sample at or after the command that shows the save done, after one that showed it running
  done_ms=$(awk -v sent="$sent" -v flag="$flag" '$1 >= sent && $2 == flag { if ($3 == 1) seen = 1; else if (seen) { print $1; exit } }' "$samples")
  local took=$(( ${done_ms:-$(now_ms)} - sent ))
  local files
  if [[ $MODE == bgsave ]]; then files="dump $(stat -c %s "$dir/dump.rdb" 2>/dev/null || echo '?') bytes"
  else files="appendonlydir $(du -sb "$dir/appendonlydir" 2>/dev/null | cut -f1) bytes"; fi
  echo "$side: $command$suffix took ${took} ms (from the samples), status $(info "$port" rdb_last_bgsave_status)/$(info "$port" aof_last_bgrewrite_status)," \
    "$cow=$(info "$port" "$cow"), $files" >&2
  echo "$side$suffix,$took,$(info "$port" "$cow")" >> "$work/save.csv"
  # memory per window: samples before the command, and from the command to the end of the save
  awk -v side="$side" -v sent="$sent" -v end="${done_ms:-9e15}" -v flag="$flag" -v sfx="$suffix" '
    { v[$2] = $3 }
    $2 == "aof_rewrite_in_progress" {
      w = $1 < sent ? "before" sfx : ($1 <= end ? "during" sfx : "")
      if (w != "") printf "%s,%s,%s,%s,%s,%s\n", side, w, v["used_memory"], v["used_memory_rss"], v["jvm_heap_used"] + 0, v["current_cow_size"]
      delete v
    }' "$samples" >> "$work/memory.csv"
  if [[ -f $dir/gc.log ]]; then # [1732205521123ms] GC(12) Pause Young (Normal) (G1 Evacuation Pause) 512M->100M(1024M) 5.1ms
    awk -v side="$side" -v from="$from" -v sent="$sent" -v end="${done_ms:-9e15}" -v sfx="$suffix" '
      match($0, /[0-9]+[KMG]->[0-9]+[KMG]\(/) {
        t = substr($1, 2) + 0; s = substr($0, RSTART, RLENGTH - 1); sub(/.*->/, "", s)
        u = substr(s, length(s)); n = substr(s, 1, length(s) - 1) * (u == "G" ? 1073741824 : u == "M" ? 1048576 : 1024)
        w = t < from ? "" : t < sent ? "before" sfx : (t <= end ? "during" sfx : "")
        if (w != "") printf "%s,%s,%d\n", side, w, n
      }' "$dir/gc.log" >> "$work/gc.csv"
  fi
  sleep 1 # the next save's "before" slices start after the server settled
}

: > "$work/slices.csv"; : > "$work/save.csv"; : > "$work/memory.csv"; : > "$work/gc.csv"
for r in $(seq 1 "$ROUNDS"); do
  echo "round $r/$ROUNDS ..." >&2
  one cellar "$r"
  one redis "$r"
done

echo "# $MODE, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, $(java -version 2>&1 | head -1), LAUNCHER='${LAUNCHER:-bin}', JAVA_OPTS='${JAVA_OPTS}', $(redis-server --version | cut -d' ' -f1-3)"
echo "# ${persistence[*]}, DEBUG POPULATE $KEYS, OVERWRITE=$OVERWRITE, SET -r $KEYS, $CLIENTS clients, -P 1, slices of $SLICE requests, $ROUNDS rounds per server"
echo
# slices.csv: side,window,test,rps,avg,min,p50,p95,p99,max
awk -F, -v saves="$SAVES" "$AWK_LIB"'
{
  k = $1 SUBSEP $2
  p50[k] = p50[k] " " $7; cnt[k]++; rps[k] += $4
  if ($9 + 0 > p99[k] + 0) p99[k] = $9
  if ($10 + 0 > mx[k] + 0) mx[k] = $10
}
END {
  printf "| server | window | slices | mean rps | p50 ms (median of slices) | p99 ms (worst slice) | max ms |\n|---|---|---|---|---|---|---|\n"
  split("cellar redis", sides, " "); nw = windows(saves, wins)
  for (s = 1; s <= 2; s++) for (w = 1; w <= nw; w++) {
    k = sides[s] SUBSEP wins[w]
    if (cnt[k]) printf "| %s | %s | %d | %d | %.3f | %.3f | %.3f |\n", sides[s], wins[w], cnt[k], rps[k] / cnt[k], median(p50[k]), p99[k], mx[k]
  }
}' "$work/slices.csv"
echo
# memory.csv: side,window,used_memory,rss,jvm_heap_used,current_cow_size; gc.csv: side,window,heap after GC
awk -F, -v saves="$SAVES" "$AWK_LIB"'
function mb(x) { return sprintf("%.1f", x / 1048576) }
function peak(a, k, x) { if (!(k in a) || x + 0 > a[k] + 0) a[k] = x }
FILENAME ~ /memory/ {
  k = $1 SUBSEP $2; n[k]++
  used[k] = used[k] " " $3; rss[k] = rss[k] " " $4
  peak(pu, k, $3); peak(pr, k, $4); peak(ph, k, $5); peak(pc, k, $6)
}
FILENAME ~ /gc/ { k = $1 SUBSEP $2; gc[k] = gc[k] " " $3; gcn[k]++; peak(pg, k, $3) }
END {
  printf "| server | window | samples | used_memory MB (median / peak) | RSS MB (median / peak) | current_cow_size peak MB | JVM heap in use MB (peak) | heap after GC MB (median / peak, GCs) |\n|---|---|---|---|---|---|---|---|\n"
  split("cellar redis", sides, " "); nw = windows(saves, wins)
  for (s = 1; s <= 2; s++) for (w = 1; w <= nw; w++) {
    k = sides[s] SUBSEP wins[w]
    if (!n[k]) continue
    heap = sides[s] == "cellar" ? mb(ph[k]) : "-"
    after = sides[s] != "cellar" ? "-" : gcn[k] ? mb(median(gc[k])) " / " mb(pg[k]) " (" gcn[k] ")" : "no GC"
    printf "| %s | %s | %d | %s / %s | %s / %s | %s | %s | %s |\n", sides[s], wins[w], n[k], mb(median(used[k])), mb(pu[k]),
      mb(median(rss[k])), mb(pr[k]), sprintf("%.2f", pc[k] / 1048576), heap, after
  }
}' "$work/memory.csv" "$work/gc.csv"
echo
awk -F, -v cow="$cow" -v cmd="$command" '{ t[$1] = t[$1] " " $2; c[$1] = c[$1] " " $3 }
  END { for (s in t) printf "%s: %s wall time ms:%s; %s:%s\n", s, cmd, t[s], cow, c[s] }' "$work/save.csv"
