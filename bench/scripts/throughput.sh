#!/usr/bin/env bash
# Whole-workload throughput with far memory relative to the heap, in one run (io.splitheap.bench.ThroughputHarness):
# each sample once without the agent, then with it at ExCache sizes that are fractions of its working set, on one
# embedded two-node cluster. Prints a markdown table and writes it to $OUT (default target/throughput.md).
# Usage: bench/scripts/throughput.sh [harness options]
#   e.g. bench/scripts/throughput.sh --working-set 256m --threads 2 --fractions 100,50,25,12.5
# Needs: mvn -q -DskipTests package (bench/target/benchmarks.jar, the agent and samples jars).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
jar="$root/bench/target/benchmarks.jar"
out="${OUT:-$root/target/throughput.md}"
[ -f "$jar" ] || { echo "build first: (cd $root && mvn -q -DskipTests package)" >&2; exit 2; }
mkdir -p "$(dirname "$out")"

# shellcheck source=bin/jvm-flags.sh
source "$root/bin/jvm-flags.sh"

exec "$java" "${flags[@]}" -cp "$jar" io.splitheap.bench.ThroughputHarness --out "$out" "$@"
