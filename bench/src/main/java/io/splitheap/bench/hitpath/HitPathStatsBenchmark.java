package io.splitheap.bench.hitpath;

import org.openjdk.jmh.annotations.Fork;

/**
 * {@link HitPathBenchmark} with {@code stats=true}, as {@code bin/splitheap run} and {@code bench throughput} run the
 * agent: the per-element hit path then counts each hit in the thread's counter. Run both classes in one invocation
 * to see what the counting costs, e.g. {@code java -jar bench/target/benchmarks.jar
 * 'HitPath(Stats)?Benchmark.randomRead(Far|Heap)'}.
 */
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "-Xmx3g",
    "-Dchronicle.analytics.disable=true", "-Dsplitheap.excache.policy=fifo", "-Dsplitheap.stats=true"})
public class HitPathStatsBenchmark extends HitPathBenchmark
{
}
