#!/usr/bin/env bash
# Latency and memory of a steady SET load before and during BGREWRITEAOF (appendfsync everysec,
# RDB preamble), Cellar beside the real redis-server (issue 5). See save-latency.sh, which this
# runs in its bgrewriteaof mode.
exec "$(dirname "$0")/save-latency.sh" bgrewriteaof "$@"
