# JVM flags every Splitheap JVM (launcher, nodes, harnesses) needs; sourced by bin/splitheap and bench/scripts.
# Expects $root (the project root); sets $java (JAVA_HOME's, else the PATH's) and the array "flags".
if [ -n "${JAVA_HOME:-}" ]; then
    java="$JAVA_HOME/bin/java"
else
    java="$(command -v java || true)"
fi
if [ -z "$java" ] || [ ! -x "$java" ]; then
    echo "no java found: set JAVA_HOME or put java on the PATH (Java 17 or later)" >&2
    exit 2
fi

# The JDK's feature version, from its release file (no extra JVM start).
home="$(cd "$(dirname "$(readlink -f "$java")")/.." && pwd)"
feature="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release" 2>/dev/null || true)"

flags=(
    --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED
    --add-opens=java.base/java.lang=ALL-UNNAMED
    --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
    --add-exports=java.base/sun.nio.ch=ALL-UNNAMED
    --add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED
    --add-exports=java.base/jdk.internal.ref=ALL-UNNAMED
    --enable-native-access=ALL-UNNAMED
    -Dchronicle.analytics.disable=true
    "-Djna.tmpdir=${TMPDIR:-/tmp}"
    "-Dsplitheap.agent.jar=$root/agent/target/splitheap-agent.jar"
    "-Dsplitheap.samples.jar=$root/samples/target/samples.jar"
)
if [ -n "$feature" ] && [ "$feature" -ge 24 ]; then
    flags+=(--sun-misc-unsafe-memory-access=allow)
fi

