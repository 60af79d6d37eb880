package io.splitheap.bench;

import io.splitheap.agent.backend.LocalBackend;
import io.splitheap.agent.core.FarMemory;
import io.splitheap.agent.excache.ElementType;
import io.splitheap.agent.excache.ExCache;
import io.splitheap.protocol.runtime.ErrorLog;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * What allocating an array costs, heap against far (placeholder, descriptor, line table, address space from a
 * local arena), by size: the far cost is flat, the heap cost grows with zeroing. The threshold default is where they
 * meet. The far side uses the in-process backend, so arena refills cost no network round trip (one per 64 MiB of
 * arrays on a cluster).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {BenchFlags.ADD_EXPORTS_MISC, "-Xmx1g"})
public class AllocationBenchmark
{
    @Param({"1024", "16384", "65536", "262144", "1048576"})
    int bytes;

    private FarMemory farMemory;

    /**
     * Far memory over the in-process backend.
     */
    @Setup(Level.Trial)
    public void setUp()
    {
        final LocalBackend backend = new LocalBackend(4096);
        final ExCache cache = new ExCache(16L << 20, 4096, "fifo", 0, 64, backend, TimeUnit.SECONDS.toNanos(30));
        farMemory = new FarMemory(cache, backend, 1L << 30, 0, new ErrorLog("bench", System.err), false);
    }

    /**
     * Stops housekeeping.
     */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        farMemory.close();
    }

    /**
     * A heap {@code long[]}.
     *
     * @return it.
     */
    @Benchmark
    public long[] heap()
    {
        return new long[bytes / Long.BYTES];
    }

    /**
     * A far {@code long[]}.
     *
     * @return its placeholder.
     */
    @Benchmark
    public Object far()
    {
        return farMemory.allocate(ElementType.LONG, bytes / Long.BYTES, -1);
    }
}
