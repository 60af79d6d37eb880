package io.splitheap.bench.hitpath;

import io.splitheap.agent.backend.LocalBackend;
import io.splitheap.agent.core.FarMemory;
import io.splitheap.agent.core.FarRegistry;
import io.splitheap.agent.excache.ElementType;
import io.splitheap.agent.excache.ExCache;
import io.splitheap.agent.excache.FarArray;
import io.splitheap.agent.runtime.FarAccess;
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

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Where a per-element far hit goes: {@link #ACCESSES} random reads of a {@code long} array whose far lines are all
 * resident, three ways in one fork. {@code heap} is the plain loop over a heap array (the limit); {@code perElement}
 * is what a rewritten access outside a chunked loop does for each element (the site's descriptor lookup, then the
 * hit); {@code descriptorOnce} looks the descriptor up once before the loop and then only runs the hit. So
 * {@code perElement - descriptorOnce} is the lookup and {@code descriptorOnce - heap} the hit itself (line-table
 * load, frame load, fence and re-check). With {@code elements=4096} the arrays sit in L1 and the figures are the
 * instruction cost; with {@code 1048576} memory joins in. Findings in {@code docs/PERFORMANCE.md}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 3, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "-Xmx3g",
    "-Dchronicle.analytics.disable=true", "-Dsplitheap.excache.policy=fifo"})
public class HitDecompositionBenchmark
{
    /**
     * Reads per invocation.
     */
    public static final int ACCESSES = 1 << 20;

    private static final int SITE = 5;

    /**
     * Elements of the arrays.
     */
    @Param({"4096", "1048576"})
    public int elements;

    private long[] heap;
    private long[] far;
    private int[] indexes;
    private FarMemory farMemory;

    /**
     * Fills a heap array and a far array alike, every far line resident.
     */
    @Setup(Level.Trial)
    public void setUp()
    {
        final LocalBackend backend = new LocalBackend(4096);
        final ExCache cache = new ExCache(((long)elements << 3) + (4L << 20), 4096, "fifo", 0, 64, backend,
            TimeUnit.SECONDS.toNanos(60));
        farMemory = new FarMemory(cache, backend, 64L << 20, 0, new ErrorLog("hit-decomposition", System.err),
            false, 0, false);
        FarMemory.install(farMemory);
        far = (long[])farMemory.allocate(ElementType.LONG, elements, -1);
        heap = new long[elements];
        final FarArray descriptor = FarRegistry.find(far);
        for (int i = 0; i < elements; i++)
        {
            heap[i] = i * 31L;
            descriptor.storeLong(i, i * 31L);
        }
        final SplittableRandom random = new SplittableRandom(42);
        indexes = new int[ACCESSES];
        for (int i = 0; i < ACCESSES; i++)
        {
            indexes[i] = random.nextInt(elements);
        }
        if (perElement() != heap())
        {
            throw new IllegalStateException("the far array does not hold what the heap array holds");
        }
    }

    /**
     * Uninstalls far memory.
     */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        FarMemory.install(null);
        farMemory.close();
    }

    /**
     * The heap loop.
     *
     * @return the sum.
     */
    @Benchmark
    public long heap()
    {
        final long[] array = heap;
        final int[] at = indexes;
        long sum = 0;
        for (int i = 0; i < at.length; i++)
        {
            sum += array[at[i]];
        }
        return sum;
    }

    /**
     * What a rewritten per-element access does: lookup and hit for every element.
     *
     * @return the sum.
     */
    @Benchmark
    public long perElement()
    {
        final long[] array = far;
        final int[] at = indexes;
        long sum = 0;
        for (int i = 0; i < at.length; i++)
        {
            sum += FarAccess.laloadFar(array, at[i], SITE);
        }
        return sum;
    }

    /**
     * The hit alone: the descriptor found once before the loop.
     *
     * @return the sum.
     */
    @Benchmark
    public long descriptorOnce()
    {
        final FarArray descriptor = FarRegistry.find(far);
        final int[] at = indexes;
        long sum = 0;
        for (int i = 0; i < at.length; i++)
        {
            sum += descriptor.loadLong(at[i]);
        }
        return sum;
    }
}
