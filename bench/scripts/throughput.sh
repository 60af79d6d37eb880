#!/usr/bin/env bash
# Kept for old scripts: the documented way is 'bin/splitheap bench throughput' (same options, see --help).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
exec "$root/bin/splitheap" bench throughput "$@"
