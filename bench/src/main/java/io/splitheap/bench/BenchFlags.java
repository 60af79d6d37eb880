package io.splitheap.bench;

/**
 * JVM flags of benchmark forks: what Aeron, Agrona and Chronicle Map need.
 */
final class BenchFlags
{
    static final String ADD_EXPORTS_MISC = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED";

    private BenchFlags()
    {
    }
}
