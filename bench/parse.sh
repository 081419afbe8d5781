#!/usr/bin/env bash
# Parsing benchmark: bytes -> CloudEvent readers -> Iceberg records, no Camel, no Parquet (dev.floe.bench.ParseBench).
# Usage: bench/parse.sh [EVENTS] [THREADS] [EVENTS_PER_BATCH]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q package -pl bench -am -DskipTests
# this checkout's component first, ahead of whatever the local repository holds
CP="bench/target/floe-bench-0.1.0-SNAPSHOT.jar:camel-iceberg/target/camel-iceberg-0.1.0-SNAPSHOT.jar"
CP="$CP:$(./mvnw -B -q -pl bench dependency:build-classpath -Dmdep.outputFile=/dev/stdout)"
java ${FLOE_JAVA_OPTS:--Xmx512m} -cp "$CP" dev.floe.bench.ParseBench "$@"
