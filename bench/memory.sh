#!/usr/bin/env bash
# Memory benchmark: the scenario of deploy/src/test/java/dev/floe/deploy/MemoryBudgetIT, with the load running SECONDS
# instead of 50. The packaged Floe (-Xmx308m -XX:+UseSerialGC, a budget of 2,000 events / 2 MiB) takes HTTP (4 clients,
# batches of 50 events), Kafka (16 KiB records, kept 1,000 ahead of what Floe has read) and AMQP (2 KiB messages, the
# queue kept 1,500 deep) at once, and writes to S3Proxy behind a fault proxy that holds every chunk 10 ms. The brokers,
# the object store and the clients run in the test's JVM, on the same machine.
# Every 10 s it prints events/s committed per source, pending events and bytes (now and peak), heap used (now and peak,
# all heap pools of jvm_memory_used_bytes), heap committed, live heap after the last full GC, GC pause time, commits
# and their mean duration, and Kafka rewinds; then the test's own checks (budget, heap bound, every event once).
# Usage: bench/memory.sh [SECONDS]   (default 120; results go to stdout; copy them into bench/RESULTS.md)
set -euo pipefail
cd "$(dirname "$0")/.."
LOAD_SECONDS=${1:-120}
echo "machine: $(nproc) cores, $(free -g | awk '/Mem/{print $2}') GiB, $(java -version 2>&1 | head -1)," \
  "load average $(cut -d' ' -f1-3 /proc/loadavg)"
./mvnw -B verify -pl deploy -am -Dtest=MemoryBudgetIT -Dsurefire.failIfNoSpecifiedTests=false \
  -Dfloe.memory-budget.seconds="$LOAD_SECONDS" 2>&1 | grep -E '^memory-budget|Tests run:|FAIL|BUILD'
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
