#!/usr/bin/env bash
# The catalog-down row of the fault matrix for as long as an operator would see it: Floe (the packaged jar) with its
# REST catalog server stopped for SECONDS (default 120) while a client keeps sending; every answer is 503 with
# Retry-After, nothing is written, and after the restart every resend lands exactly once (HttpFaultsIT, longer).
# Usage: bench/catalog-outage.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B verify -pl deploy -am -Dfloe.fault.outage-seconds="${1:-120}" \
  -Dtest='HttpFaultsIT#restCatalogServerStopped*' -Dsurefire.failIfNoSpecifiedTests=false
