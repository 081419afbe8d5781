#!/usr/bin/env bash
# Issue 14 item 5: are Floe's Kafka defaults fast? Drains a topic preloaded with EVENTS structured CloudEvents with the
# packaged Floe (KafkaBench) under named batch settings, alternating them ROUNDS times, each with the JVM options the
# container image gives Floe in the manifests' 1 GiB limit (as bench/side-by-side.sh emulates them).
#
#   defaults   what a user who only enables Kafka gets (floe.kafka.batch.*: 20,000 records, 16 MiB or 5 s)
#   http-like  the limits Kafka had before it had its own (HTTP's: 1,000 events or 20 ms)
#   tuned      the largest batches the default memory budget allows (45,000 records, 32 MiB or 10 s)
#
# Usage: bench/kafka-defaults.sh [EVENTS] [ROUNDS]    (default 500000 and 2); SKIP_BUILD=1 reuses an earlier build
set -euo pipefail
cd "$(dirname "$0")/.."
EVENTS=${1:-500000}
ROUNDS=${2:-2}
if [ -z "${SKIP_BUILD:-}" ]; then
  ./mvnw -B -q package dependency:build-classpath -DskipTests -Dmdep.outputFile=target/classpath.txt -pl app,bench -am
fi
CP="bench/target/floe-bench-0.1.0-SNAPSHOT.jar:$(cat bench/target/classpath.txt)"
# shellcheck source=bench/image-jvm-options.sh
. bench/image-jvm-options.sh
JVM=$(image_jvm_options 1g)
declare -A SETTINGS=(
  [defaults]=""
  [http-like]="-Dfloe.kafka.batch.max-events=1000 -Dfloe.kafka.batch.max-wait-ms=20"
  [tuned]="-Dfloe.kafka.batch.max-events=45000 -Dfloe.kafka.batch.max-bytes=33554432 -Dfloe.kafka.batch.max-wait-ms=10000"
)
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); JVM: $JVM"
for round in $(seq 1 "$ROUNDS"); do
  for name in defaults http-like tuned; do
    echo "== round $round: $name ${SETTINGS[$name]}"
    # shellcheck disable=SC2086
    java -Xmx1g -cp "$CP" dev.floe.bench.KafkaBench "$EVENTS" structured app/target/quarkus-app/quarkus-run.jar \
      $JVM ${SETTINGS[$name]}
  done
done
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
