#!/usr/bin/env bash
# Kafka benchmark: a topic preloaded with EVENTS CloudEvents (~400 B) in structured and then binary mode, drained by
# Floe (drain mode), and the writer ceiling, in one run on this machine. The broker runs on the same machine.
# Usage: bench/kafka.sh [EVENTS]   (results go to stdout; copy them into bench/RESULTS.md)
set -euo pipefail
cd "$(dirname "$0")/.."
EVENTS=${1:-1000000}
./mvnw -B -q install -DskipTests
CP="bench/target/floe-bench-0.1.0-SNAPSHOT.jar:$(./mvnw -B -q -pl bench dependency:build-classpath -Dmdep.outputFile=/dev/stdout)"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem/{print $2}') GiB, $(java -version 2>&1 | head -1)"
java -cp "$CP" dev.floe.bench.Ceiling 500000
# Floe's JVM options (FLOE_JAVA_OPTS) and batching: commit at 20,000 events or every second
OPTS=${FLOE_JAVA_OPTS:--Xmx192m -XX:+UseSerialGC -XX:MaxDirectMemorySize=64m}
for MODE in structured binary; do
  # shellcheck disable=SC2086
  java -Xmx1g -cp "$CP" dev.floe.bench.KafkaBench "$EVENTS" "$MODE" app/target/quarkus-app/quarkus-run.jar \
    $OPTS -Dfloe.kafka.batch.max-events="${MAX_EVENTS:-20000}" -Dfloe.kafka.batch.max-wait-ms="${MAX_WAIT_MS:-1000}"
done
