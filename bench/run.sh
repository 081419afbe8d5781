#!/usr/bin/env bash
# HTTP and gRPC benchmark: Floe on the embedded default vs the Iceberg-writer ceiling, in one run on this machine.
# Usage: bench/run.sh [SECONDS]   (results go to stdout; copy them into bench/RESULTS.md)
#        ONLY=http-batched bench/run.sh [SECONDS]   runs the HTTP batched load alone (the ceiling, then 8 x 2,000 events)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-20}
# package, not install: the bench's class path points at this checkout's module jars, whatever ~/.m2 holds
./mvnw -B -q package dependency:build-classpath -DskipTests -Dmdep.outputFile=target/classpath.txt -pl app,bench -am
CP="bench/target/floe-bench-0.1.0-SNAPSHOT.jar:$(cat bench/target/classpath.txt)"
DATA=$(mktemp -d)
echo "machine: $(nproc) cores, $(free -g | awk '/Mem/{print $2}') GiB, $(java -version 2>&1 | head -1)"
java -cp "$CP" dev.floe.bench.Ceiling 500000

# Batching tuned for throughput: commit at 20,000 events or every 50 ms, whichever comes first.
java ${FLOE_JAVA_OPTS:--Xmx192m -XX:+UseSerialGC -XX:MaxDirectMemorySize=64m} -Dfloe.data-dir="$DATA" -Dfloe.batch.max-wait-ms="${MAX_WAIT_MS:-50}" -Dfloe.batch.max-events="${MAX_EVENTS:-20000}" -Dfloe.grpc.enabled=true \
  -jar app/target/quarkus-app/quarkus-run.jar > "$DATA/floe.log" 2>&1 &
FLOE=$!
trap 'kill $FLOE 2>/dev/null || true; rm -rf "$DATA"' EXIT
for _ in $(seq 60); do curl -sf localhost:9000/q/health/ready >/dev/null && break; sleep 1; done

java -cp "$CP" dev.floe.bench.LoadClient http://127.0.0.1:8080/ batched 8 "$SECONDS_PER_RUN" 2000
if [ "${ONLY:-}" != http-batched ]; then
  java -cp "$CP" dev.floe.bench.LoadClient http://127.0.0.1:8080/ binary 64 "$SECONDS_PER_RUN"
  # the same shapes over gRPC: a client stream of 2,000 events per call, and one event per unary call
  java -cp "$CP" dev.floe.bench.GrpcLoadClient 127.0.0.1:50051 stream 8 "$SECONDS_PER_RUN" 2000
  java -cp "$CP" dev.floe.bench.GrpcLoadClient 127.0.0.1:50051 unary 64 "$SECONDS_PER_RUN"
fi
echo "floe_peak_rss_mb=$(( $(awk '/VmHWM/{print $2}' /proc/$FLOE/status) / 1024 ))"
curl -s localhost:9000/q/metrics | grep -E '^floe_(batches_committed_total|events_accepted_total|commit_failures_total)' || true
