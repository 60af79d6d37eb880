package io.splitheap.bench;

import io.splitheap.agent.backend.LocalBackend;
import io.splitheap.agent.core.FarMemory;
import io.splitheap.agent.excache.ElementType;
import io.splitheap.agent.excache.ExCache;
import io.splitheap.agent.runtime.FarAccess;
import io.splitheap.protocol.runtime.ErrorLog;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The cost of one element access, in ns, for a heap array as written ({@code heap*}), a heap array through the
 * helpers that rewritten code calls ({@code rewrittenHeap*}: the agent's local fast path) and a far array whose
 * lines are all resident in the ExCache ({@code farHit*}). Ratios to {@code heap*} in the same run are the figures
 * that count. Loops are over {@value #ACCESSES} accesses; results go to the caller so nothing is dead code.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {BenchFlags.ADD_EXPORTS_MISC, "-Xmx2g"})
public class ArrayAccessBenchmark
{
    static final int ACCESSES = 1 << 20;

    @Param({"1048576", "16777216"})
    int length;

    long[] heap;
    long[] far;
    int[] randomIndexes;
    private FarMemory farMemory;
    private ExCache cache;

    /**
     * Builds a heap array and a far array of {@link #length} longs with the same contents, all far lines resident.
     */
    @Setup(Level.Trial)
    public void setUp()
    {
        final LocalBackend backend = new LocalBackend(4096);
        final long bytes = (long)length * Long.BYTES;
        cache = new ExCache(bytes + (1 << 20), 4096, "fifo", 0, 64, backend, TimeUnit.SECONDS.toNanos(30));
        farMemory = new FarMemory(cache, backend, 1 << 26, 0, new ErrorLog("bench", System.err), false);
        FarMemory.install(farMemory);
        heap = new long[length];
        far = (long[])farMemory.allocate(ElementType.LONG, length, -1);
        for (int i = 0; i < length; i++)
        {
            heap[i] = i * 31L;
            FarAccess.lastore(far, i, i * 31L);
        }
        final SplittableRandom random = new SplittableRandom(42);
        randomIndexes = new int[ACCESSES];
        for (int i = 0; i < ACCESSES; i++)
        {
            randomIndexes[i] = random.nextInt(length);
        }
    }

    /**
     * Stops housekeeping.
     */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        FarMemory.install(null);
        farMemory.close();
    }

    /**
     * Sequential sum, heap array as written.
     *
     * @return the sum.
     */
    @Benchmark
    @OperationsPerInvocation(ACCESSES)
    public long heapSequentialRead()
    {
        final long[] array = heap;
        long sum = 0;
        for (int i = 0; i < ACCESSES; i++)
        {
            sum += array[i];
        }
        return sum;
    }

    /**
     * Sequential sum, heap array through the rewritten-code helpers.
     *
     * @return the sum.
     */
    @Benchmark
    @OperationsPerInvocation(ACCESSES)
    public long rewrittenHeapSequentialRead()
    {
        final long[] array = heap;
        long sum = 0;
        for (int i = 0; i < ACCESSES; i++)
        {
            sum += FarAccess.laload(array, i);
        }
        return sum;
    }

    /**
     * Sequential sum, far array, every line resident.
     *
     * @return the sum.
     */
    @Benchmark
    @OperationsPerInvocation(ACCESSES)
    public long farHitSequentialRead()
    {
        final long[] array = far;
        long sum = 0;
        for (int i = 0; i < ACCESSES; i++)
        {
            sum += FarAccess.laload(array, i);
        }
        return sum;
    }

    /**
     * Random reads, heap array as written.
     *
     * @return the sum.
     */
    @Benchmark
    @OperationsPerInvocation(ACCESSES)
    public long heapRandomRead()
    {
        final long[] array = heap;
        final int[] indexes = randomIndexes;
        long sum = 0;
        for (int i = 0; i < ACCESSES; i++)
        {
            sum += array[indexes[i]];
        }
        return sum;
    }

    /**
     * Random reads, heap array through the helpers.
     *
     * @return the sum.
     */
    @Benchmark
    @OperationsPerInvocation(ACCESSES)
    public long rewrittenHeapRandomRead()
    {
        final long[] array = heap;
        final int[] indexes = randomIndexes;
        long sum = 0;
        for (int i = 0; i < ACCESSES; i++)
        {
            sum += FarAccess.laload(array, indexes[i]);
        }
        return sum;
    }

    /**
     * Random reads, far array, every line resident.
     *
     * @return the sum.
     */
    @Benchmark
    @OperationsPerInvocation(ACCESSES)
    public long farHitRandomRead()
    {
        final long[] array = far;
        final int[] indexes = randomIndexes;
        long sum = 0;
        for (int i = 0; i < ACCESSES; i++)
        {
            sum += FarAccess.laload(array, indexes[i]);
        }
        return sum;
    }

    /**
     * Sequential writes, heap array as written.
     *
     * @return the array (so the stores are live).
     */
    @Benchmark
    @OperationsPerInvocation(ACCESSES)
    public long[] heapSequentialWrite()
    {
        final long[] array = heap;
        for (int i = 0; i < ACCESSES; i++)
        {
            array[i] = i;
        }
        return array;
    }

    /**
     * Sequential writes, heap array through the helpers.
     *
     * @return the array.
     */
    @Benchmark
    @OperationsPerInvocation(ACCESSES)
    public long[] rewrittenHeapSequentialWrite()
    {
        final long[] array = heap;
        for (int i = 0; i < ACCESSES; i++)
        {
            FarAccess.lastore(array, i, i);
        }
        return array;
    }

    /**
     * Sequential writes, far array, every line resident.
     *
     * @return the array.
     */
    @Benchmark
    @OperationsPerInvocation(ACCESSES)
    public long[] farHitSequentialWrite()
    {
        final long[] array = far;
        for (int i = 0; i < ACCESSES; i++)
        {
            FarAccess.lastore(array, i, i);
        }
        return array;
    }

    /**
     * Random writes, heap array as written.
     *
     * @return the array.
     */
    @Benchmark
    @OperationsPerInvocation(ACCESSES)
    public long[] heapRandomWrite()
    {
        final long[] array = heap;
        final int[] indexes = randomIndexes;
        for (int i = 0; i < ACCESSES; i++)
        {
            array[indexes[i]] = i;
        }
        return array;
    }

    /**
     * Random writes, heap array through the helpers.
     *
     * @return the array.
     */
    @Benchmark
    @OperationsPerInvocation(ACCESSES)
    public long[] rewrittenHeapRandomWrite()
    {
        final long[] array = heap;
        final int[] indexes = randomIndexes;
        for (int i = 0; i < ACCESSES; i++)
        {
            FarAccess.lastore(array, indexes[i], i);
        }
        return array;
    }

    /**
     * Random writes, far array, every line resident.
     *
     * @return the array.
     */
    @Benchmark
    @OperationsPerInvocation(ACCESSES)
    public long[] farHitRandomWrite()
    {
        final long[] array = far;
        final int[] indexes = randomIndexes;
        for (int i = 0; i < ACCESSES; i++)
        {
            FarAccess.lastore(array, indexes[i], i);
        }
        return array;
    }
}
