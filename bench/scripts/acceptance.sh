#!/usr/bin/env bash
# Acceptance runs of "far arrays end to end" at a given working set (1g by default), one sample at a time:
#   1. java -Xmx256m without the agent must die with OutOfMemoryError;
#   2. java -Xmx3g without the agent gives the reference checksum;
#   3. bin/splitheap run --excache C -- -Xmx256m ... for C = 64m and 100%, 25%, 5% of the working set must give the
#      same checksum; at 64m the stats must show far_bytes >= 90% of the working set, misses > 0 and pages on
#      both memory nodes.
# Writes every output and a markdown report under $OUT (default target/acceptance). Exit code 1 if a check fails.
# Usage: bench/scripts/acceptance.sh [working-set]      e.g. bench/scripts/acceptance.sh 256m
# Environment: SAMPLES="pagerank kvstore columnscan", THREADS=2, OUT=target/acceptance
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ws="${1:-1g}"
samples="${SAMPLES:-pagerank kvstore columnscan}"
threads="${THREADS:-2}"
out="${OUT:-$root/target/acceptance}"
jar="$root/samples/target/samples.jar"
mkdir -p "$out"
[ -f "$jar" ] || { echo "build first: mvn -q -DskipTests package" >&2; exit 2; }
command -v jq >/dev/null || { echo "acceptance.sh reads the agent's splitheap-stats JSON with jq: install jq" >&2; exit 2; }

bytes() {
    local v="${1,,}" n="${1%[kmg]}"
    case "$v" in *k) echo $((n << 10));; *m) echo $((n << 20));; *g) echo $((n << 30));; *) echo "$v";; esac
}
# a field of a "splitheap-stats {...}" line, read as JSON (empty if the line is missing)
field() { [ -n "$1" ] && jq -r --arg k "$2" '.[$k] // empty' <<<"${1#splitheap-stats }"; }
checksum() { tail -1 "$1" | sed -n 's/^RESULT .*checksum=\([0-9a-f]*\).*/\1/p'; }
seconds() { tail -1 "$1" | sed -n 's/^RESULT .*seconds=\([0-9.]*\).*/\1/p'; }

wsb=$(bytes "$ws")
full=$(( (wsb + wsb / 16) / 4096 * 4096 ))
quarter=$(( wsb / 4 / 4096 * 4096 ))
twentieth=$(( wsb / 20 / 4096 * 4096 ))
report="$out/report.md"
failed=0
{
    echo "# Acceptance runs, working set $ws, $threads threads ($(date -u +%Y-%m-%dT%H:%MZ), $(java -version 2>&1 | head -1))"
    echo
    echo "| sample | run | exit | checksum | matches | measured s | wall s | far_bytes | hit rate | misses | evictions | pages per node |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
} > "$report"

for sample in $samples; do
    args=("$sample" --working-set "$ws" --threads "$threads")
    java -Xmx256m -jar "$jar" "${args[@]}" > "$out/$sample-heap256m.out" 2>&1
    exit=$?
    if [ $exit -ne 0 ] && grep -q OutOfMemoryError "$out/$sample-heap256m.out"; then oom=yes; else oom=NO; failed=1; fi
    echo "| $sample | no agent -Xmx256m | $exit | OutOfMemoryError: $oom | | | | | | | | |" >> "$report"

    start=$(date +%s.%N)
    java -Xmx3g -jar "$jar" "${args[@]}" > "$out/$sample-heap3g.out" 2>&1
    exit=$?
    wall=$(echo "$(date +%s.%N) - $start" | bc)
    reference=$(checksum "$out/$sample-heap3g.out")
    echo "| $sample | no agent -Xmx3g | $exit | $reference | reference | $(seconds "$out/$sample-heap3g.out") | ${wall%???????} | | | | | |" >> "$report"
    [ $exit -eq 0 ] && [ -n "$reference" ] || failed=1

    for cache in 64m "$full" "$quarter" "$twentieth"; do
        name="$sample-excache-$cache"
        start=$(date +%s.%N)
        "$root/bin/splitheap" run --excache "$cache" -- -Xmx256m -jar "$jar" "${args[@]}" \
            > "$out/$name.out" 2> "$out/$name.err"
        exit=$?
        wall=$(echo "$(date +%s.%N) - $start" | bc)
        stats=$(grep '^splitheap-stats ' "$out/$name.err" | head -1)
        sum=$(checksum "$out/$name.out")
        far=$(field "$stats" far_bytes); misses=$(field "$stats" misses)
        pages=$([ -n "$stats" ] && jq -r '[.memory_nodes[].pages | tostring] | join("/")' <<<"${stats#splitheap-stats }")
        match=no; [ -n "$sum" ] && [ "$sum" = "$reference" ] && match=yes
        [ "$match" = yes ] && [ $exit -eq 0 ] || failed=1
        if [ "$cache" = 64m ]; then
            [ "${far:-0}" -ge $((wsb * 9 / 10)) ] && [ "${misses:-0}" -gt 0 ] || failed=1
            for p in ${pages//\// }; do [ "$p" -gt 0 ] || failed=1; done
            [ "$(tr '/' '\n' <<<"$pages" | wc -l)" -ge 2 ] || failed=1
        fi
        label="excache $cache"
        [ "$cache" = "$full" ] && label="excache 100% ($cache)"
        [ "$cache" = "$quarter" ] && label="excache 25% ($cache)"
        [ "$cache" = "$twentieth" ] && label="excache 5% ($cache)"
        echo "| $sample | $label -Xmx256m | $exit | $sum | $match | $(seconds "$out/$name.out") | ${wall%???????} | $far | $(field "$stats" hit_rate) | $misses | $(field "$stats" evictions) | $pages |" >> "$report"
    done
done

cat "$report"
[ $failed -eq 0 ] && echo "all checks passed" || echo "SOME CHECKS FAILED (see $out)"
exit $failed
