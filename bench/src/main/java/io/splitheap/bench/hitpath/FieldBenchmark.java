package io.splitheap.bench.hitpath;

import io.splitheap.agent.backend.LocalBackend;
import io.splitheap.agent.core.FarMemory;
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

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Far object fields on the hit path: the same loops ({@code io.splitheap.bench.objects}) reading or writing one field
 * of each of {@link #objects} objects, as compiled ({@code *Heap}, the baseline), as the agent rewrites them with no
 * far class ({@code *Rewritten}), and as it rewrites them with the objects' class named by {@code far.classes=}, every
 * line of their field blocks resident ({@code *Far}). {@code bin/splitheap bench micro} prints them as
 * {@code MICRO op=field-read|field-write} lines ({@link MicroBench}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "-Xmx3g",
    "-Dchronicle.analytics.disable=true", "-Dsplitheap.excache.policy=fifo"})
public class FieldBenchmark
{
    /**
     * Objects of one loop, by default.
     */
    public static final int OBJECTS = 1 << 20;

    private static final String OBJECT_LOOPS = "io.splitheap.bench.objects.";

    /**
     * Field type: long, int or double.
     */
    @Param({"long"})
    public String type;

    /**
     * Objects of one loop.
     */
    @Param({"1048576"})
    public int objects;

    private FieldLoops plain;
    private FieldLoops rewritten;
    private FieldLoops far;
    private Object heapObjects;
    private Object rewrittenObjects;
    private Object farObjects;
    private FarMemory farMemory;

    /**
     * Loads the three copies of the loops and makes their objects (the far ones' field blocks all resident).
     *
     * @throws Exception if the loops cannot be loaded.
     */
    @Setup(Level.Trial)
    public void setUp() throws Exception
    {
        final String name = OBJECT_LOOPS + Character.toUpperCase(type.charAt(0)) + type.substring(1) + "Fields";
        plain = (FieldLoops)Class.forName(name).getConstructor().newInstance();
        rewritten = (FieldLoops)new RewritingClassLoader(OBJECT_LOOPS).loadClass(name).getConstructor().newInstance();
        far = (FieldLoops)new RewritingClassLoader(OBJECT_LOOPS, List.of(OBJECT_LOOPS + "*Record")).loadClass(name)
            .getConstructor().newInstance();

        final LocalBackend backend = new LocalBackend(4096);
        final ExCache cache = new ExCache(2L * objects * 4 * Long.BYTES + (4L << 20), 4096, "fifo", 0, 64, backend,
            TimeUnit.SECONDS.toNanos(60));
        farMemory = new FarMemory(cache, backend, 64L << 20, 0, new ErrorLog("field-benchmark", System.err),
            false, 0, false);
        FarMemory.install(farMemory);
        heapObjects = plain.newObjects(objects);
        rewrittenObjects = rewritten.newObjects(objects);
        farObjects = far.newObjects(objects);
        if (far.read(farObjects) != plain.read(heapObjects) || rewritten.read(rewrittenObjects) !=
            plain.read(heapObjects) || cache.stats().evictions() != 0)
        {
            throw new IllegalStateException("the far objects do not hold what the heap objects hold");
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
     * Reads one field of every object, compiled loop, heap objects.
     *
     * @return the sum.
     */
    @Benchmark
    public long readHeap()
    {
        return plain.read(heapObjects);
    }

    /**
     * Reads one field of every object, rewritten loop, heap objects.
     *
     * @return the sum.
     */
    @Benchmark
    public long readRewritten()
    {
        return rewritten.read(rewrittenObjects);
    }

    /**
     * Reads one field of every object, rewritten loop, far objects (hits).
     *
     * @return the sum.
     */
    @Benchmark
    public long readFar()
    {
        return far.read(farObjects);
    }

    /**
     * Writes one field of every object, compiled loop, heap objects.
     */
    @Benchmark
    public void writeHeap()
    {
        plain.write(heapObjects, 7);
    }

    /**
     * Writes one field of every object, rewritten loop, heap objects.
     */
    @Benchmark
    public void writeRewritten()
    {
        rewritten.write(rewrittenObjects, 7);
    }

    /**
     * Writes one field of every object, rewritten loop, far objects (hits).
     */
    @Benchmark
    public void writeFar()
    {
        far.write(farObjects, 7);
    }
}
