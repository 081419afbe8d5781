#!/usr/bin/env bash
# Copies the files of routes/ into the routes ConfigMap (k8s/base/routes-configmap.yaml, one key per file) and the
# Helm chart (k8s/helm/floe/files/routes). Run it after editing a route; deploy/ManifestsTest fails until you do.
set -euo pipefail
cd "$(dirname "$0")/.."
configmap=k8s/base/routes-configmap.yaml
header=$(sed '/^data:$/q' "$configmap")
{
    printf '%s\n' "$header"
    for route in routes/*.yaml; do
        printf '  %s: |\n' "$(basename "$route")"
        sed -e 's/^\(.\)/    \1/' "$route"
        # a file without a final newline would run into the next key
        [ -z "$(tail -c1 "$route")" ] || echo
    done
} > "$configmap.tmp"
mv "$configmap.tmp" "$configmap"
rm -f k8s/helm/floe/files/routes/*.yaml
cp routes/*.yaml k8s/helm/floe/files/routes/
