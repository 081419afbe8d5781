#!/usr/bin/env bash
# Floe side by side with the Apache Iceberg Kafka Connect sink (IKC) 1.10.1, issue 14: one KRaft broker on this machine,
# one topic (2 partitions) preloaded once with EVENTS structured CloudEvents (~420 B), then IKC, Floe, IKC, Floe (ROUNDS
# each), every run into a new table with a new consumer group, both on a JDBC catalog on a SQLite file with a local
# warehouse. Then Iceberg's writer ceiling, and one markdown table with each run's figures and the ratios Floe / IKC
# against issue 14's targets. Figures are only comparable within one run: copy the whole output into bench/RESULTS.md.
#
#   IKC:  Kafka Connect 4.1.1 standalone (offset.flush.interval.ms 10000 as in Kafka's connect-standalone.properties),
#         1 task, JsonConverter with schemas off, iceberg.control.commit.interval-ms 10000, table auto-created; the
#         jars come from Maven Central through bench/ikc/pom.xml (not a module of the build, so CI never fetches them)
#         into bench/target/ikc. JVM options: Kafka's own start scripts' (-Xmx2G, G1; IcebergKafkaConnect.java), or
#         IKC_JAVA_OPTS.
#   Floe: the packaged app (app/target/quarkus-app/quarkus-run.jar) in drain mode, with its default batching and
#         settings, and the JVM options the container image would give it (FLOE_JAVA_OPTS overrides them): the image's
#         run-java.sh defaults (heap at JAVA_MAX_MEM_RATIO, 80 % unless the Dockerfile sets it, of the manifests' 1 GiB
#         memory limit, emulated with -XX:MaxRAM=FLOE_MEMORY_LIMIT; Parallel GC as the image sets it) plus the
#         Dockerfile's JAVA_OPTS_APPEND.
#   Measured per run, from the sink JVM's start: time to all rows committed and to the first commit (the commit times
#   of the table's snapshots), steady rows/s (10 % → 90 % of the rows), rows per CPU-second (user + system from /proc),
#   peak RSS (VmHWM), data files, bytes per row in Parquet, rows read back with Iceberg's reader and distinct ids.
#
# Usage: bench/side-by-side.sh [EVENTS] [ROUNDS]     (default 3000000 and 2; 25 minutes or more on 2 idle cores)
#        SKIP_BUILD=1 bench/side-by-side.sh ...       (reuse the jars of an earlier build)
set -euo pipefail
cd "$(dirname "$0")/.."
EVENTS=${1:-3000000}
ROUNDS=${2:-2}
if [ -z "${SKIP_BUILD:-}" ]; then
  # package, not install: the bench's class path points at this checkout's module jars, whatever ~/.m2 holds
  ./mvnw -B -q package dependency:build-classpath -DskipTests -Dmdep.outputFile=target/classpath.txt -pl app,bench -am
  rm -rf bench/target/ikc
  ./mvnw -B -q -f bench/ikc/pom.xml dependency:copy-dependencies
fi
CP="bench/target/floe-bench-0.1.0-SNAPSHOT.jar:$(cat bench/target/classpath.txt)"

# shellcheck source=bench/image-jvm-options.sh
. bench/image-jvm-options.sh
export FLOE_JAVA_OPTS=${FLOE_JAVA_OPTS:-$(image_jvm_options "${FLOE_MEMORY_LIMIT:-1g}")}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem/{print $2}') GiB, $(java -version 2>&1 | head -1), load $(cut -d' ' -f1-3 /proc/loadavg)"
java -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP" dev.floe.bench.SideBySide "$EVENTS" \
  bench/target/ikc app/target/quarkus-app/quarkus-run.jar "$ROUNDS"
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
