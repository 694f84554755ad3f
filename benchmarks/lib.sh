# Helpers shared by the benchmark scripts; sourced (from the project root) after their `cd`.

# Milliseconds since the epoch (bash's own clock: no process per call).
now_ms() { echo $(( ${EPOCHREALTIME/./} / 1000 )); }

# wait_ready PORT [SECONDS]: returns once PING on PORT answers PONG (polling every 20 ms, so a
# start-up time measured with it is exact to about that); gives up and exits after SECONDS
# (default 120).
wait_ready() {
  local tries=$(( ${2:-120} * 50 ))
  for _ in $(seq 1 "$tries"); do
    if redis-cli -p "$1" ping 2>/dev/null | grep -q PONG; then return 0; fi
    sleep 0.02
  done
  echo "server on port $1 did not become ready within ${2:-120} s" >&2
  exit 1
}

# awk functions for the summaries, prepended to a script: awk -F, "$AWK_LIB"'...'.
# median(list) and minmax(list) ("lo-hi") of a space-separated list of numbers.
# shellcheck disable=SC2034
AWK_LIB='
function median(list,   n, a, i, j, t) {
  n = split(list, a, " ")
  for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
  return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function minmax(list,   n, a, i, lo, hi) {
  n = split(list, a, " "); lo = a[1]; hi = a[1]
  for (i = 2; i <= n; i++) { if (a[i] + 0 < lo + 0) lo = a[i]; if (a[i] + 0 > hi + 0) hi = a[i] }
  return sprintf("%d-%d", lo, hi)
}
'

# How the scripts start Cellar: as the README does, through bin/cellar-server (its class-data
# archive and JVM options), with JAVA_OPTS added for the JVM; LAUNCHER=java runs plain
# `java $JAVA_OPTS -jar $CELLAR_JAR` instead (the start without the launcher's options).
# cellar_prepare [JAR]: makes the launcher's archive for JAR (default $CELLAR_JAR) before anything
# is timed (the first start would otherwise include the training run).
cellar_prepare() {
  [[ "${LAUNCHER:-bin}" == java ]] && return 0
  CELLAR_JAR=${1:-$CELLAR_JAR} bin/cellar-server --cds-archive >&2 || echo "(no class-data archive)" >&2
}
# cellar_exec ARGS...: runs Cellar in place of the calling (sub)shell, so `cellar_exec ... &` gives
# the server's own pid in $!; CELLAR_JAR selects the jar.
cellar_exec() {
  if [[ "${LAUNCHER:-bin}" == java ]]; then
    # shellcheck disable=SC2086
    exec java ${JAVA_OPTS:-} -jar "$CELLAR_JAR" "$@"
  fi
  CELLAR_JAVA_OPTS=${JAVA_OPTS:-} CELLAR_JAR=$CELLAR_JAR exec bin/cellar-server "$@"
}

# bench_setup NAME TOOL...: exits (status 2) naming the first TOOL not installed, builds
# $CELLAR_JAR when it is missing, and makes the launcher's archive for it (cellar_prepare).
bench_setup() {
  local name=$1 tool; shift
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "$name: $tool is not installed" >&2; exit 2; }
  done
  if [[ ! -f "$CELLAR_JAR" ]]; then
    echo "building $CELLAR_JAR ..." >&2
    mvn -q -DskipTests package -pl server-resp -am >&2
  fi
  cellar_prepare
}

# stop_server PORT: SHUTDOWN NOSAVE to the server on PORT, then waits for the process in $pid
# (the caller's single server) and clears it.
stop_server() {
  redis-cli -p "$1" shutdown nosave >/dev/null 2>&1 || true
  wait "$pid" 2>/dev/null || true
  pid=""
}
