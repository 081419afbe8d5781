#!/usr/bin/env bash
# What the table-fed dedup window costs a replica's commit when another replica writes the same table.
# Usage: bench/dedup-cost.sh [ROUNDS] [FOREIGN_ROWS_PER_ROUND]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q install -DskipTests -pl camel-iceberg,testing,bench -am
CP="bench/target/floe-bench-0.1.0-SNAPSHOT.jar:$(./mvnw -B -q -pl bench dependency:build-classpath -Dmdep.outputFile=/dev/stdout)"
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1)"
java -cp "$CP" dev.floe.bench.DedupCost "${1:-50}" "${2:-1000}"
