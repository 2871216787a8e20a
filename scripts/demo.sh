#!/usr/bin/env bash
# The main job on an embedded default: a local 3-node etcd lab (TLS), backup → disaster → restore → verified.
# Needs root on Debian (network namespaces); installs what is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec npx tsx scripts/demo.ts "$@"
