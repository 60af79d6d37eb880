#!/usr/bin/env bash
# Kept for old scripts: the documented way is 'bin/splitheap bench throughput' (same options, see --help).
# As before, the markdown table is also written to $OUT when no --out is given (default target/throughput.md).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
for arg in "$@"; do
    case "$arg" in
        --out|--out=*) exec "$root/bin/splitheap" bench throughput "$@" ;;
    esac
done
out="${OUT:-$root/target/throughput.md}"
folder="$(mktemp -d "${TMPDIR:-/tmp}/splitheap-throughput.XXXXXX")"
trap 'rm -rf "$folder"' EXIT
"$root/bin/splitheap" bench throughput --out "$folder" "$@"
mkdir -p "$(dirname "$out")"
cp "$folder/results.md" "$out"
echo "throughput: results in $out" >&2
