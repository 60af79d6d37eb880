#!/usr/bin/env bash
# Runs a library's published test suite with the JUnit console launcher, once without the agent and once with it
# at its most aggressive (threshold=0: every non-empty primitive array allocated in the library's code and tests is
# far), on an embedded cluster started by bin/splitheap run, and compares the results.
#
# Usage: tools/library-suites/run.sh lang3|codec
# Environment: JAVA_HOME (the JDK to test on), EXCACHE (default 64m), EXTRA_AGENT (more agent options).
# Output: tools/library-suites/target/<lib>/{heap,agent}.{out,err} and reports-*/ (JUnit XML), and a summary.
set -uo pipefail

lib="${1:?usage: run.sh lang3|codec}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/tools/library-suites"
out="$here/target/$lib"
case "$lib" in
    lang3) package=org.apache.commons.lang3 ;;
    codec) package=org.apache.commons.codec ;;
    *) echo "unknown library $lib: lang3 or codec" >&2; exit 2 ;;
esac
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
[ -f "$root/agent/target/splitheap-agent.jar" ] || { echo "build first: mvn -q -DskipTests package" >&2; exit 2; }

rm -rf "$out" && mkdir -p "$out/lib"
mvn -q -f "$here/pom.xml" -P "$lib" dependency:copy-dependencies -DoutputDirectory="$out/lib" \
    -DexcludeGroupIds=org.junit.jupiter,org.junit.platform,org.opentest4j,org.apiguardian || exit 2
mvn -q -f "$here/pom.xml" dependency:copy -DoutputDirectory="$out" \
    -Dartifact=org.junit.platform:junit-platform-console-standalone:1.14.1 || exit 2
launcher="$out/junit-platform-console-standalone-1.14.1.jar"
tests="$(ls "$out"/lib/*-tests.jar)"
classpath="$(ls "$out"/lib/*.jar | paste -sd:)"
junit=(-jar "$launcher" execute --disable-banner --details=summary --class-path "$classpath"
    --scan-class-path "$tests" --include-classname '.*')

summary() {
    sed -n 's/^\[ *\([0-9]*\) \(tests [a-z]*\) *\]$/\2 \1/p' "$1" | tr '\n' ';'
}
failures() {
    grep -ho '<testcase name="[^"]*" classname="[^"]*"[^>]*>\s*<\(failure\|error\)' "$1"/*.xml 2>/dev/null |
        sed 's/<testcase name="\([^"]*\)" classname="\([^"]*\)".*/\2#\1/' | sort -u
}

start=$(date +%s)
"$java" -Xmx1g "${junit[@]}" --reports-dir "$out/reports-heap" > "$out/heap.out" 2> "$out/heap.err"
heap_seconds=$(( $(date +%s) - start ))

start=$(date +%s)
JAVA_HOME="${JAVA_HOME:-}" "$root/bin/splitheap" run --excache "${EXCACHE:-64m}" \
    --agent "threshold=0,include=$package${EXTRA_AGENT:+,$EXTRA_AGENT}" \
    -- -Xmx1g "${junit[@]}" --reports-dir "$out/reports-agent" > "$out/agent.out" 2> "$out/agent.err"
agent_seconds=$(( $(date +%s) - start ))

failures "$out/reports-heap" > "$out/failing-heap.txt"
failures "$out/reports-agent" > "$out/failing-agent.txt"
comm -13 "$out/failing-heap.txt" "$out/failing-agent.txt" > "$out/failing-only-with-agent.txt"
echo "library: $lib ($package), $("$java" -version 2>&1 | head -1)"
echo "without agent (${heap_seconds}s): $(summary "$out/heap.out")"
echo "with agent    (${agent_seconds}s): $(summary "$out/agent.out")"
echo "failing without the agent too: $(wc -l < "$out/failing-heap.txt")"
echo "failing only with the agent: $(wc -l < "$out/failing-only-with-agent.txt")"
grep '^splitheap-stats ' "$out/agent.err" | cut -c1-400
sed 's/^/  /' "$out/failing-only-with-agent.txt" | head -50
[ -s "$out/failing-only-with-agent.txt" ] && exit 1 || exit 0
