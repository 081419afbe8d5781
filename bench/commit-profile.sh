#!/usr/bin/env bash
# Where one commit cycle's time goes on the embedded default (JDBC catalog on SQLite, local warehouse): Floe's write
# path step by step with Iceberg's API, each step timed, then the same cycle through the iceberg: component. One line
# per WINDOW commits, so any growth with the table's history shows (issue 13).
# Usage: bench/commit-profile.sh [COMMITS] [EVENTS_PER_COMMIT] [WINDOW] [HADOOP_CONF] [CATALOG_PROPERTIES]
#   HADOOP_CONF: floe (ForklessLocalFileSystem, default) or hadoop (Hadoop's default: a chmod process per file)
#   CATALOG_PROPERTIES: k=v,k=v over the embedded default's, e.g. catalog-impl=dev.floe.camel.iceberg.CachingJdbcCatalog
set -euo pipefail
cd "$(dirname "$0")/.."
CP_FILE=bench/target/classpath.txt
./mvnw -o -B -q package dependency:build-classpath -DskipTests -pl bench -am -Dmdep.outputFile="$PWD/$CP_FILE"
CP="bench/target/floe-bench-0.1.0-SNAPSHOT.jar:$(cat "$CP_FILE")"
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1), load average $(cut -d' ' -f1-3 /proc/loadavg)"
java -Xmx512m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP" dev.floe.bench.CommitProfile "$@"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
