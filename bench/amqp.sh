#!/usr/bin/env bash
# AMQP benchmark: a persistent Artemis queue preloaded with EVENTS binary-mode CloudEvents (~400 B), consumed by Floe
# until every row is committed, in one run on this machine. The broker runs on the same machine.
# Usage: bench/amqp.sh [EVENTS] [CONSUMERS]   (batches of 5,000 events or 1 s; results go to stdout; copy them into bench/RESULTS.md)
set -euo pipefail
cd "$(dirname "$0")/.."
EVENTS=${1:-500000}
./mvnw -B -q install -DskipTests
CP="bench/target/floe-bench-0.1.0-SNAPSHOT.jar:$(./mvnw -B -q -pl bench dependency:build-classpath -Dmdep.outputFile=/dev/stdout)"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem/{print $2}') GiB, $(java -version 2>&1 | head -1)"
OPTS=${FLOE_JAVA_OPTS:--Xmx192m -XX:+UseSerialGC -XX:MaxDirectMemorySize=64m}
# shellcheck disable=SC2086
java -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP" dev.floe.bench.AmqpBench "$EVENTS" \
  app/target/quarkus-app/quarkus-run.jar $OPTS -Dfloe.amqp.consumers="${2:-1}" \
  -Dfloe.batch.max-events="${MAX_EVENTS:-5000}" -Dfloe.batch.max-wait-ms="${MAX_WAIT_MS:-1000}"
