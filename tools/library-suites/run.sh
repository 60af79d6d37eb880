#!/usr/bin/env bash
# Runs a library's published test suite with the JUnit console launcher, once without the agent and once with it
# at its most aggressive (threshold=0: every non-empty primitive array allocated in the library's code and tests is
# far), on an embedded cluster started by bin/splitheap run, and compares the results.
#
# Usage: tools/library-suites/run.sh lang3|codec|compress|math3|collections4|statistics
# Environment: JAVA_HOME (the JDK to test on), EXCACHE (default 64m), THRESHOLD (the agent's threshold= in bytes,
#   default 0: every non-empty array far; math3 needs 4096, see docs/TRANSPARENCY.md), EXTRA_AGENT (more agent
#   options),
#   XMX (the heap of both runs, default 4g: some tests skip themselves when the heap is small, and the two runs must
#   select the same tests).
# compress runs as surefire runs it, in a project directory: its tests read their resources as files (through class
#   path URLs, getResource("") included, and as src/test/resources/... or target/test-classes/... relative to the
#   project directory) and find service providers through the system class loader. So its tests jar is unpacked into
#   target/compress/work/src/test/resources (target/test-classes links to it), that directory comes first on the
#   JVM's own class path (-cp, with the launcher and the dependencies) instead of the launcher's --class-path, and
#   both runs start in target/compress/work, unpacked afresh for each run.
# statistics runs with the distribution module's tests jar on the class path (its tests use helpers from it) and scans
#   only its own tests jar.
# math3 and collections4 run the same way: some math3 tests open their resources as files (new File(url.toURI())), and
#   collections4's serialization tests read their canonical forms from src/test/resources/... relative to the project
#   directory.
# Output: tools/library-suites/target/<lib>/{heap,agent}.{out,err}, reports-*/ (JUnit XML), status-*.txt (one line
#   per test), differences.txt, and a summary; exit status 1 if a test that passes without the
#   agent does not pass with it.
set -uo pipefail

lib="${1:?usage: run.sh lang3|codec|compress|math3|collections4|statistics}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/tools/library-suites"
out="$here/target/$lib"
# Per library, as its own Maven build runs its tests: the package the agent rewrites, the JVM flags of its surefire
# argLine, and the test classes surefire selects (its includes and excludes).
like_surefire=false
tests_jar_glob='*-tests.jar'    # the tests jar whose classes are run (others on the class path only help them)
case "$lib" in
    lang3)
        package=org.apache.commons.lang3
        jvm_flags=(--add-opens java.base/java.lang.reflect=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED
            --add-opens java.base/java.util=ALL-UNNAMED)
        selection=(--include-classname '^.*Test$')
        ;;
    codec)
        package=org.apache.commons.codec
        jvm_flags=()
        selection=(--include-classname '^(.*[.$]Test.*|.*Tests?|.*TestCase)$'
            --exclude-classname '^.*(AbstractTest|PerformanceTest)$')
        ;;
    compress)
        package=org.apache.commons.compress
        jvm_flags=()
        # Surefire's default includes. Its OSGi tests (osgi.*ITest) match them but are JUnit 4 (pax-exam) tests that
        # its build does not run (no vintage engine); they are excluded so that their classes, whose pax-exam
        # dependencies are not resolved, are not loaded. Its *IT classes are only in opt-in profiles.
        selection=(--include-classname '^(.*[.$]Test.*|.*Tests?|.*TestCase)$'
            --exclude-classname '^org\.apache\.commons\.compress\.osgi\..*$')
        like_surefire=true
        ;;
    math3)
        package=org.apache.commons.math3
        jvm_flags=()
        # JUnit 4 tests, run by the launcher's vintage engine (its build runs them with surefire's JUnit 4 provider).
        selection=(--include-classname '^.*(Test|TestBinary|TestPermutations)$' --exclude-classname '^.*AbstractTest$')
        like_surefire=true
        ;;
    collections4)
        package=org.apache.commons.collections4
        jvm_flags=()
        # Its includes (*Test) and excludes (Abstract*, BulkTest; its other excludes, TestUtils and nested classes,
        # match no *Test name, and its @Nested classes run inside their enclosing class). GuavaTestlibTest matches them
        # but is a JUnit 3 suite (guava-testlib) that its build does not run (no vintage engine); it is excluded too.
        selection=(--include-classname '^.*Test$' --exclude-classname '^.*\.(Abstract[^.]*|BulkTest)$'
            --exclude-classname '^org\.apache\.commons\.collections4\.GuavaTestlibTest$')
        like_surefire=true
        ;;
    statistics)
        package=org.apache.commons.statistics
        jvm_flags=()
        # Its surefire includes (*Test) and excludes (*AbstractTest).
        selection=(--include-classname '^.*Test$' --exclude-classname '^.*AbstractTest$')
        tests_jar_glob='commons-statistics-descriptive-*-tests.jar'
        ;;
    *) echo "unknown library $lib: lang3, codec, compress, math3, collections4 or statistics" >&2; exit 2 ;;
esac
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
[ -f "$root/agent/target/splitheap-agent.jar" ] || { echo "build first: mvn -q -DskipTests package" >&2; exit 2; }

rm -rf "$out" && mkdir -p "$out/lib"
mvn -q -f "$here/pom.xml" -P "$lib" dependency:copy-dependencies -DoutputDirectory="$out/lib" \
    -DexcludeGroupIds=org.junit.jupiter,org.junit.platform,org.opentest4j,org.apiguardian || exit 2
mvn -q -f "$here/pom.xml" dependency:copy -DoutputDirectory="$out" \
    -Dartifact=org.junit.platform:junit-platform-console-standalone:1.14.1 || exit 2
launcher="$out/junit-platform-console-standalone-1.14.1.jar"
tests="$(ls "$out"/lib/$tests_jar_glob)"
classpath="$(ls "$out"/lib/*.jar | paste -sd:)"
workdir="$PWD"
prepare() { :; }
if $like_surefire; then
    tests_jar="$tests"
    workdir="$out/work"
    tests="$workdir/src/test/resources"
    classpath="$tests:$(ls "$out"/lib/*.jar | grep -vxF "$tests_jar" | paste -sd:)"
    # A fresh copy for each run, so that files a test leaves behind do not change the other run.
    prepare() {
        rm -rf "$workdir" && mkdir -p "$tests" "$workdir/target" && unzip -q "$tests_jar" -d "$tests" &&
            ln -s ../src/test/resources "$workdir/target/test-classes"
    }
    junit=(-cp "$classpath:$launcher" org.junit.platform.console.ConsoleLauncher execute --disable-banner
        --details=summary --scan-class-path "$tests" "${selection[@]}")
else
    junit=(-jar "$launcher" execute --disable-banner --details=summary --class-path "$classpath"
        --scan-class-path "$tests" "${selection[@]}")
fi

summary() {
    sed -n 's/^\[ *\([0-9]*\) \(tests [a-z]*\) *\]$/\2 \1/p' "$1" | tr '\n' ';'
}
# One line per test from the launcher's XML report: "class#test status", status passed, failed or skipped
# (the legacy report lists aborted tests as skipped).
statuses() {
    awk '
        /<testcase / {
            match($0, /name="[^"]*"/); n = substr($0, RSTART + 6, RLENGTH - 7)
            match($0, /classname="[^"]*"/); c = substr($0, RSTART + 11, RLENGTH - 12)
            cur = c "#" n; st = "passed"
            if ($0 ~ /\/>[[:space:]]*$/) { print cur " passed"; cur = "" }
            next
        }
        cur != "" && /<(failure|error)/ { st = "failed" }
        cur != "" && /<skipped/ && st == "passed" { st = "skipped" }
        cur != "" && /<\/testcase>/ { print cur " " st; cur = "" }
    ' "$1"/*.xml | sort
}

prepare || exit 2
start=$(date +%s)
(cd "$workdir" && "$java" "-Xmx${XMX:-4g}" ${jvm_flags[@]+"${jvm_flags[@]}"} "${junit[@]}" \
    --reports-dir "$out/reports-heap") > "$out/heap.out" 2> "$out/heap.err"
heap_seconds=$(( $(date +%s) - start ))

prepare || exit 2
start=$(date +%s)
(cd "$workdir" && JAVA_HOME="${JAVA_HOME:-}" "$root/bin/splitheap" run --excache "${EXCACHE:-64m}" \
    --agent "threshold=${THRESHOLD:-0},include=$package${EXTRA_AGENT:+,$EXTRA_AGENT}" \
    -- "-Xmx${XMX:-4g}" ${jvm_flags[@]+"${jvm_flags[@]}"} "${junit[@]}" --reports-dir "$out/reports-agent") \
    > "$out/agent.out" 2> "$out/agent.err"
agent_seconds=$(( $(date +%s) - start ))

statuses "$out/reports-heap" > "$out/status-heap.txt"
statuses "$out/reports-agent" > "$out/status-agent.txt"
grep -v ' passed$' "$out/status-heap.txt" > "$out/not-passing-without-agent.txt"
# Tests that pass without the agent and do not pass with it (or are missing from its report).
# (FILENAME, not NR == FNR: an empty agent report must not make the heap report read as the agent's.)
awk '{ key = $0; sub(/ [a-z]+$/, "", key) } FILENAME == ARGV[1] { agent[key] = $NF; next }
    $NF == "passed" && agent[key] != "passed" { print key " " (agent[key] == "" ? "missing" : agent[key]) }' \
    "$out/status-agent.txt" "$out/status-heap.txt" > "$out/differences.txt"
count() { awk -v s="$2" '$NF == s' "$1" | wc -l; }
echo "library: $lib ($package), $("$java" -version 2>&1 | head -1), threshold=${THRESHOLD:-0} excache=${EXCACHE:-64m}"
for run in heap agent; do
    printf '%-6s tests=%s passed=%s failed=%s skipped=%s wall=%ss\n' "$run" "$(wc -l < "$out/status-$run.txt")" \
        "$(count "$out/status-$run.txt" passed)" "$(count "$out/status-$run.txt" failed)" \
        "$(count "$out/status-$run.txt" skipped)" "$([ $run = heap ] && echo "$heap_seconds" || echo "$agent_seconds")"
done
echo "not passing without the agent (excluded from the comparison): $(wc -l < "$out/not-passing-without-agent.txt")"
sed 's/^/  /' "$out/not-passing-without-agent.txt" | head -40
grep '^splitheap-stats ' "$out/agent.err" | cut -c1-400
echo "classes the agent could not rewrite (they run unchanged): $(grep -o 'could not rewrite [^;]*' "$out/agent.err" |
    sort -u | wc -l)"
# Errors the agent reported on stderr (background work: write-backs, frees), by kind; they do not fail the comparison
# but are part of the result.
echo "agent errors on stderr: $(grep -c '^\[splitheap-agent\] ERROR' "$out/agent.err")"
grep '^\[splitheap-agent\] ERROR' "$out/agent.err" | sed 's/0x[0-9a-f]*/ADDR/g; s/[0-9][0-9]*ms/Nms/g' | cut -c1-160 |
    sort | uniq -c | sort -rn | head -5
if [ ! -s "$out/status-agent.txt" ]; then
    echo "the run with the agent reported no tests: see $out/agent.err" >&2
    tail -20 "$out/agent.err" | sed 's/^/  /' >&2
    exit 1
fi
if [ -s "$out/differences.txt" ]; then
    echo "tests that pass without the agent and not with it: $(wc -l < "$out/differences.txt")"
    sed 's/^/  /' "$out/differences.txt" | head -60
    exit 1
fi
echo "every test that passes without the agent passes with it"
