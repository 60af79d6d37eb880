package io.splitheap.bench.hitpath;

/**
 * {@link HitPathBenchmark} in a JVM where every rewritten loop has also taken its slow paths (reads and writes of
 * lines that were not resident) after it was compiled, as in any program that misses: the JIT then compiles the
 * slow branches in instead of leaving them as uncommon traps. The far figures are still all hits. Compare with
 * {@code HitPathBenchmark} in one invocation, e.g. {@code java -jar bench/target/benchmarks.jar
 * 'HitPath(Missed)?Benchmark.randomRead(Far|Heap)'}.
 */
public class HitPathMissedBenchmark extends HitPathBenchmark
{
    @Override
    protected boolean trainSlowPaths()
    {
        return true;
    }
}
