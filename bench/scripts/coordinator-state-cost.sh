#!/usr/bin/env bash
# What the coordinator's persisted state (--data-dir) costs a program that allocates and frees far memory all the
# time: the churn sample against a standalone coordinator and one memory node, with and without --data-dir,
# alternating. Prints one line per run: mode, wall time, the sample's own seconds and its checksum.
# Usage: bench/scripts/coordinator-state-cost.sh [rounds]      (default 3; about 15 s a run)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
splitheap="$root/bin/splitheap"
rounds="${1:-3}"
work="$(mktemp -d "${TMPDIR:-/tmp}/splitheap-state-cost.XXXXXX")"
pids=()
cleanup()
{
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

await_ready()
{
    for _ in $(seq 1 150); do grep -q ready "$1" && return 0; sleep 0.2; done
    echo "no ready line in $1" >&2
    return 1
}

run()
{
    local mode="$1" dir="$work/$1-$2" port extra=()
    mkdir -p "$dir"
    "$splitheap" secret --out "$dir/secret" > /dev/null
    port=$((42000 + RANDOM % 1000))
    if [ "$mode" = with ]; then extra=(--data-dir "$dir/coordinator"); fi
    "$splitheap" coordinator --bind "127.0.0.1:$port" --secret-file "$dir/secret" "${extra[@]}" \
        > "$dir/coordinator.out" 2> "$dir/coordinator.err" &
    local coordinator=$!
    pids+=("$coordinator")
    await_ready "$dir/coordinator.out"
    "$splitheap" memory-node --coordinator "127.0.0.1:$port" --secret-file "$dir/secret" --data-dir "$dir/node" \
        --capacity 512m > "$dir/node.out" 2> "$dir/node.err" &
    local node=$!
    pids+=("$node")
    await_ready "$dir/node.out"
    local start end
    start=$(date +%s%N)
    "$splitheap" run --coordinator "127.0.0.1:$port" --secret-file "$dir/secret" --excache 64m -- -Xmx64m \
        -jar "$root/samples/target/samples.jar" churn --working-set 16m --volume 2g --threads 2 \
        > "$dir/program.out" 2> "$dir/program.err"
    end=$(date +%s%N)
    echo "STATE-COST mode=$mode wall_ms=$(( (end - start) / 1000000 )) $(grep -o 'seconds=[0-9.]*' "$dir/program.out") \
$(grep -o 'checksum=[0-9a-f]*' "$dir/program.out")"
    kill "$node" "$coordinator"
    wait "$node" "$coordinator" 2>/dev/null || true
    pids=()
}

for round in $(seq 1 "$rounds"); do
    run with "$round"
    run without "$round"
done
