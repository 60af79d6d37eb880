#!/usr/bin/env bash
# A/B of agent builds on whole samples with every far line resident (ExCache >= working set).
#
#   bench/scripts/agent-ab.sh [--rounds N] [--samples a,b] [--working-set SIZE] AGENT_JAR...
#
# Each round runs every sample once on the heap, then once under each agent jar (in the order given), through
# 'bin/splitheap run --agent-jar JAR --excache 2x', so that the builds share the host's noise round by round.
# Prints one line per run:  AB round=<r> sample=<s> agent=<jar file name|heap> seconds=<x> ratio=<heap/x>
# Build the jars first, e.g. 'git stash; mvn -q -o package -DskipTests -pl agent -am; cp agent/target/splitheap-agent.jar /tmp/a.jar'.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
rounds=3
samples=pagerank,kvstore,columnscan
working_set=256m
while [[ $# -gt 0 && "$1" == --* ]]; do
    case "$1" in
        --rounds) rounds="$2"; shift 2 ;;
        --samples) samples="$2"; shift 2 ;;
        --working-set) working_set="$2"; shift 2 ;;
        *) echo "agent-ab: unknown option $1" >&2; exit 2 ;;
    esac
done
if [[ $# -eq 0 ]]; then
    echo "usage: agent-ab.sh [--rounds N] [--samples a,b] [--working-set SIZE] AGENT_JAR..." >&2
    exit 2
fi
for jar in "$@"; do
    [[ -f "$jar" ]] || { echo "agent-ab: no agent jar at $jar" >&2; exit 2; }
done
samples_jar="$root/samples/target/samples.jar"
[[ -f "$samples_jar" ]] || { echo "agent-ab: build first (mvn -q -o package -DskipTests)" >&2; exit 2; }
excache=$(( 2 * $(numfmt --from=iec "${working_set^^}") ))
seconds() { grep -o 'RESULT .*seconds=[0-9.]*' | grep -o '[0-9.]*$'; }
for round in $(seq 1 "$rounds"); do
    for sample in ${samples//,/ }; do
        heap=$(java -Xmx2g -Dchronicle.analytics.disable=true -jar "$samples_jar" "$sample" \
            --working-set "$working_set" --threads 2 2>&1 | seconds)
        echo "AB round=$round sample=$sample agent=heap seconds=$heap ratio=1"
        for jar in "$@"; do
            far=$("$root/bin/splitheap" run --agent-jar "$jar" --excache "$excache" -- -Xmx2g -jar "$samples_jar" \
                "$sample" --working-set "$working_set" --threads 2 2>&1 | seconds)
            echo "AB round=$round sample=$sample agent=$(basename "$jar") seconds=$far" \
                "ratio=$(awk -v h="$heap" -v f="$far" 'BEGIN { printf "%.3f", h / f }')"
        done
    done
done
