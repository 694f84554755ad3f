#!/usr/bin/env bash
# Latency and memory of a steady SET load before and during BGSAVE, Cellar beside the real
# redis-server (issue 4). See save-latency.sh, which this runs in its bgsave mode.
exec "$(dirname "$0")/save-latency.sh" bgsave "$@"
