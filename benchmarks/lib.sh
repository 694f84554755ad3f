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
