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
