#!/usr/bin/env bash
# Steady single-event HTTP load on the packaged Floe on its embedded default (JDBC catalog on SQLite + local warehouse,
# in a fresh data folder), for issue 13: is Floe as fast after half an hour as after a minute?
#
#   bench/soak.sh soak [SECONDS] [CONNECTIONS] [INTERVAL_SECONDS]   default 1800 s, 64 connections, a report every 300 s
#   bench/soak.sh throughput [SECONDS] [CONNECTIONS...]             default 60 s at 64, then 60 s at 256 (a fresh Floe each)
#
# Load: structured-mode CloudEvents, one per request, each connection sending its next request when the last is
# answered (bench/src/.../Soak.java). Every interval: events/s, p50/p99 latency, non-2xx answers, commits/s and mean
# commit time (Floe's floe_commit_duration_seconds on the management port), snapshots, data files, average file size,
# metadata.json size, time to plan a full scan (Iceberg's planFiles from the load process, a second process on the same
# SQLite catalog) and Floe's RSS; at the end the whole table is read back and every acknowledged event must be there
# exactly once ("verify: ... OK").
#
# Environment: FLOE_JAVA_OPTS (Floe's JVM options, default -Xmx256m -XX:+UseSerialGC -XX:MaxDirectMemorySize=64m),
# FLOE_OPTS (more -D options for Floe, e.g. batching or the maintenance routes' settings; floe.* keys must exist, or
# Floe refuses to start), FLOE_JAR (default app/target/quarkus-app/quarkus-run.jar), SKIP_BUILD=1.
# Floe runs from the repository root, so it loads every route in routes/ (the maintenance routes too, once there).
set -euo pipefail
cd "$(dirname "$0")/.."
MODE=${1:-soak}
shift || true
CP_FILE=bench/target/classpath.txt
if [ -z "${SKIP_BUILD:-}" ]; then
  ./mvnw -o -B -q package dependency:build-classpath -DskipTests -pl app,bench -am -Dmdep.outputFile="$PWD/$CP_FILE"
fi
CP="bench/target/floe-bench-0.1.0-SNAPSHOT.jar:$(cat "$CP_FILE")"
JAR=${FLOE_JAR:-app/target/quarkus-app/quarkus-run.jar}
echo "machine: $(nproc) cores, $(free -g | awk '/Mem/{print $2}') GiB, $(java -version 2>&1 | head -1)"
echo "routes: $(ls routes | tr '\n' ' ')"

# run_floe SECONDS CONNECTIONS INTERVAL: a fresh Floe, the load, the report, Floe stopped
run_floe() {
  local seconds=$1 connections=$2 interval=$3 data floe rc
  data=$(mktemp -d)
  # shellcheck disable=SC2086
  java ${FLOE_JAVA_OPTS:--Xmx256m -XX:+UseSerialGC -XX:MaxDirectMemorySize=64m} -Dfloe.data-dir="$data" \
    -Dquarkus.log.console.json.enabled=false ${FLOE_OPTS:-} -jar "$JAR" > "$data/floe.log" 2>&1 &
  floe=$!
  for _ in $(seq 120); do curl -sf localhost:9000/q/health/ready >/dev/null && break; sleep 1; done
  curl -sf localhost:9000/q/health/ready >/dev/null || { echo "Floe did not start:"; tail -20 "$data/floe.log"; kill $floe; return 1; }
  echo "== $connections connections, ${seconds} s, report every ${interval} s; load average $(cut -d' ' -f1-3 /proc/loadavg)"
  rc=0
  java -Xmx512m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP" dev.floe.bench.Soak http://127.0.0.1:8080/ \
    "$connections" "$seconds" "$interval" "$data" "$floe" http://127.0.0.1:9000/q/metrics || rc=$?
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg); Floe peak RSS $(( $(awk '/VmHWM/{print $2}' /proc/$floe/status) / 1024 )) MB"
  grep -ciE '"level":"(ERROR)"| ERROR ' "$data/floe.log" | sed 's/^/error lines in Floe log: /' || true
  kill $floe; wait $floe 2>/dev/null || true
  rm -rf "$data"
  return $rc
}

case "$MODE" in
  soak) run_floe "${1:-1800}" "${2:-64}" "${3:-300}" ;;
  throughput)
    SECONDS_PER_RUN=${1:-60}
    shift || true
    for connections in "${@:-64 256}"; do
      # shellcheck disable=SC2086
      for c in $connections; do run_floe "$SECONDS_PER_RUN" "$c" "$SECONDS_PER_RUN"; done
    done ;;
  *) echo "usage: bench/soak.sh soak [SECONDS] [CONNECTIONS] [INTERVAL] | throughput [SECONDS] [CONNECTIONS...]"; exit 2 ;;
esac
