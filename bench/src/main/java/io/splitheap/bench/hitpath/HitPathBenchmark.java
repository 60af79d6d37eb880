package io.splitheap.bench.hitpath;

import io.splitheap.agent.backend.LocalBackend;
import io.splitheap.agent.core.FarMemory;
import io.splitheap.agent.excache.ElementType;
import io.splitheap.agent.excache.ExCache;
import io.splitheap.agent.instrument.RewritingClassLoader;
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
import org.openjdk.jmh.infra.Blackhole;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The hit path: the same plain loops ({@code io.splitheap.bench.loops}) over a heap array as compiled
 * ({@code *Heap}, the baseline), over a heap array as the agent rewrites them ({@code *Rewritten}), and over a far
 * array whose lines are all resident in the ExCache ({@code *Far}, hits only). Sequential loops walk all
 * {@link #elements}; random ones make {@link #ACCESSES} accesses. One invocation is one loop; per-element figures
 * and ratios to {@code *Heap} are worked out by {@code bin/splitheap bench micro} ({@link MicroBench}).
 * <p>
 * Before anything is measured, the rewritten loops run over the far array, so that the rewritten local figures are
 * taken in a JVM where the same call sites have already seen far arrays. The ExCache is FIFO, as the agent's default,
 * and the fork is told so ({@code splitheap.excache.policy}, as the agent sets it), so hits do not touch frames.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "-Xmx3g",
    "-Dchronicle.analytics.disable=true", "-Dsplitheap.excache.policy=fifo"})
public class HitPathBenchmark
{
    /**
     * Accesses of one random loop.
     */
    public static final int ACCESSES = 1 << 20;

    private static final String LOOPS = "io.splitheap.bench.loops.";
    private static final int POLLUTION_ROUNDS = 3;
    private static final int COLD_LINES = 16;

    /**
     * Element type: long, int, double or byte.
     */
    @Param({"long"})
    public String type;

    /**
     * Elements of the arrays.
     */
    @Param({"1048576", "67108864"})
    public int elements;

    private ArrayLoops plain;
    private ArrayLoops rewritten;
    private Object heap;
    private Object far;
    private int[] indexes;
    private FarMemory farMemory;

    /**
     * Loads both copies of the loops, fills a heap array and a far array alike (every far line resident and
     * dirty), and runs the rewritten loops over the far array first.
     *
     * @throws Exception if the loops cannot be loaded.
     */
    @Setup(Level.Trial)
    public void setUp() throws Exception
    {
        final ElementType elementType = ElementType.valueOf(type.toUpperCase());
        final String name = LOOPS + Character.toUpperCase(type.charAt(0)) + type.substring(1) + "Loops";
        plain = (ArrayLoops)Class.forName(name).getConstructor().newInstance();
        rewritten = (ArrayLoops)new RewritingClassLoader(LOOPS).loadClass(name).getConstructor().newInstance();

        final LocalBackend backend = new LocalBackend(4096);
        final long bytes = (long)elements << elementType.shift();
        final ExCache cache = new ExCache(bytes + (4L << 20), 4096, "fifo", 0, 64, backend,
            TimeUnit.SECONDS.toNanos(60));
        farMemory = new FarMemory(cache, backend, 64L << 20, 0, new ErrorLog("hit-path-benchmark", System.err),
            false, 0, false);
        FarMemory.install(farMemory);
        far = farMemory.allocate(elementType, elements, -1);
        heap = plain.newArray(elements);
        plain.sequentialWrite(heap, 7);
        rewritten.sequentialWrite(far, 7);

        final SplittableRandom random = new SplittableRandom(42);
        indexes = new int[ACCESSES];
        for (int i = 0; i < ACCESSES; i++)
        {
            indexes[i] = random.nextInt(elements);
        }
        if (rewritten.sequentialRead(far) != plain.sequentialRead(heap) ||
            rewritten.randomRead(far, indexes) != plain.randomRead(heap, indexes))
        {
            throw new IllegalStateException("the far array does not hold what the heap array holds");
        }
        for (int round = 0; round < POLLUTION_ROUNDS; round++)
        {
            rewritten.sequentialRead(far);
            rewritten.sequentialWrite(far, 7);
            rewritten.randomRead(far, indexes);
            rewritten.randomWrite(far, indexes, 7);
        }
        if (trainSlowPaths())
        {
            trainSlowPaths(elementType);
        }
    }

    /**
     * Whether the setup also makes every rewritten loop take its slow paths once it is compiled, as any program
     * that misses does: a fresh far array's lines are not resident, so the first read or write of each goes out of
     * line. {@link HitPathMissedBenchmark} says yes.
     *
     * @return false here.
     */
    protected boolean trainSlowPaths()
    {
        return false;
    }

    private void trainSlowPaths(final ElementType elementType)
    {
        final int coldElements = (int)((COLD_LINES * 4096L) >> elementType.shift());
        final int[] coldIndexes = new int[ACCESSES];
        final SplittableRandom random = new SplittableRandom(43);
        for (int i = 0; i < ACCESSES; i++)
        {
            coldIndexes[i] = random.nextInt(coldElements);
        }
        for (int round = 0; round < POLLUTION_ROUNDS; round++)
        {
            rewritten.sequentialRead(farMemory.allocate(elementType, coldElements, -1));
            rewritten.sequentialWrite(farMemory.allocate(elementType, coldElements, -1), 7);
            rewritten.randomRead(farMemory.allocate(elementType, coldElements, -1), coldIndexes);
            rewritten.randomWrite(farMemory.allocate(elementType, coldElements, -1), coldIndexes, 7);
            rewritten.sequentialRead(far);
            rewritten.sequentialWrite(far, 7);
            rewritten.randomRead(far, indexes);
            rewritten.randomWrite(far, indexes, 7);
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
     * Sequential read, heap array, compiled loop.
     *
     * @return the sum.
     */
    @Benchmark
    public long sequentialReadHeap()
    {
        return plain.sequentialRead(heap);
    }

    /**
     * Sequential read, heap array, rewritten loop.
     *
     * @return the sum.
     */
    @Benchmark
    public long sequentialReadRewritten()
    {
        return rewritten.sequentialRead(heap);
    }

    /**
     * Sequential read, far array (hits), rewritten loop.
     *
     * @return the sum.
     */
    @Benchmark
    public long sequentialReadFar()
    {
        return rewritten.sequentialRead(far);
    }

    /**
     * Sequential write, heap array, compiled loop.
     *
     * @param blackhole keeps the array live.
     */
    @Benchmark
    public void sequentialWriteHeap(final Blackhole blackhole)
    {
        plain.sequentialWrite(heap, 1);
        blackhole.consume(heap);
    }

    /**
     * Sequential write, heap array, rewritten loop.
     *
     * @param blackhole keeps the array live.
     */
    @Benchmark
    public void sequentialWriteRewritten(final Blackhole blackhole)
    {
        rewritten.sequentialWrite(heap, 1);
        blackhole.consume(heap);
    }

    /**
     * Sequential write, far array (hits), rewritten loop.
     *
     * @param blackhole keeps the array live.
     */
    @Benchmark
    public void sequentialWriteFar(final Blackhole blackhole)
    {
        rewritten.sequentialWrite(far, 1);
        blackhole.consume(far);
    }

    /**
     * Random read, heap array, compiled loop.
     *
     * @return the sum.
     */
    @Benchmark
    public long randomReadHeap()
    {
        return plain.randomRead(heap, indexes);
    }

    /**
     * Random read, heap array, rewritten loop.
     *
     * @return the sum.
     */
    @Benchmark
    public long randomReadRewritten()
    {
        return rewritten.randomRead(heap, indexes);
    }

    /**
     * Random read, far array (hits), rewritten loop.
     *
     * @return the sum.
     */
    @Benchmark
    public long randomReadFar()
    {
        return rewritten.randomRead(far, indexes);
    }

    /**
     * Random write, heap array, compiled loop.
     *
     * @param blackhole keeps the array live.
     */
    @Benchmark
    public void randomWriteHeap(final Blackhole blackhole)
    {
        plain.randomWrite(heap, indexes, 1);
        blackhole.consume(heap);
    }

    /**
     * Random write, heap array, rewritten loop.
     *
     * @param blackhole keeps the array live.
     */
    @Benchmark
    public void randomWriteRewritten(final Blackhole blackhole)
    {
        rewritten.randomWrite(heap, indexes, 1);
        blackhole.consume(heap);
    }

    /**
     * Random write, far array (hits), rewritten loop.
     *
     * @param blackhole keeps the array live.
     */
    @Benchmark
    public void randomWriteFar(final Blackhole blackhole)
    {
        rewritten.randomWrite(far, indexes, 1);
        blackhole.consume(far);
    }
}
