#!/usr/bin/env bash
# bench/nworkers/run.sh [N ...]: a worker JVM's cost by its number of workers (--nworkers N
# --nthreads 1): for each N, a scheduler on free loopback ports, one worker JVM that joins it
# (no nanny, no profiler, default JVM options), and once all N are registered and the JVM has
# settled, its resident memory, threads and idle CPU (from /proc, over IDLE_SECONDS). Prints one
# line per N. Default N: 1 10 100 250. Run after `mvn -o -q -DskipTests package`.
set -euo pipefail
HERE="$(cd "$(dirname "$0")/../.." && pwd)"
IDLE_SECONDS="${IDLE_SECONDS:-30}"
SETTLE_SECONDS="${SETTLE_SECONDS:-20}"
TICKS="$(getconf CLK_TCK)"
LOGS="$(mktemp -d /tmp/tasklane-bench-nworkers.XXXXXX)"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

PORT="$(free_port)"; API="$(free_port)"
"$HERE/bin/tasklane" scheduler --host 127.0.0.1 --port "$PORT" --api-port "$API" --no-dashboard --no-history \
  >"$LOGS/scheduler.log" 2>&1 &
PIDS+=($!)
until curl -sf "http://127.0.0.1:$API/api/v1/workers" >/dev/null 2>&1; do sleep 1; done

printf '%8s %10s %8s %12s %14s\n' workers rss_mib threads idle_cpu_% start_s
for N in "${@:-1 10 100 250}"; do
  for n in $N; do
    start=$(date +%s.%N)
    "$HERE/bin/tasklane" worker --scheduler "127.0.0.1:$PORT" --host 127.0.0.1 --nthreads 1 --nworkers "$n" \
      --name "bench$n" --no-nanny --no-profile >"$LOGS/worker-$n.log" 2>&1 &
    pid=$!
    PIDS+=("$pid")
    until [ "$(curl -sf "http://127.0.0.1:$API/api/v1/workers" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" = "$n" ]; do
      sleep 1
    done
    up=$(echo "$(date +%s.%N) - $start" | bc)
    sleep "$SETTLE_SECONDS"
    t0=$(cpu_ticks "$pid"); s0=$(date +%s.%N)
    sleep "$IDLE_SECONDS"
    t1=$(cpu_ticks "$pid"); s1=$(date +%s.%N)
    rss=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$pid/status")
    threads=$(awk '/Threads/ {print $2}' "/proc/$pid/status")
    cpu=$(echo "scale=2; 100 * ($t1 - $t0) / $TICKS / ($s1 - $s0)" | bc)
    printf '%8d %10d %8d %12s %14.1f\n' "$n" "$rss" "$threads" "$cpu" "$up"
    kill "$pid"; wait "$pid" 2>/dev/null || true
    until [ "$(curl -sf "http://127.0.0.1:$API/api/v1/workers" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" = "0" ]; do
      sleep 1
    done
  done
done
