package io.splitheap.jcstress;

import io.splitheap.agent.runtime.FarAccess;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJ_Result;

/**
 * A write to a far array made before a volatile write (release) is seen by a thread that reads the volatile
 * (acquire) and then the array, although the line is evicted and written back in between.
 */
@JCStressTest
@Description("Far-array write, eviction, volatile release; volatile acquire, far-array read.")
@Outcome(id = "1, 42", expect = Expect.ACCEPTABLE, desc = "saw the release and the write")
@Outcome(id = {"0, 0", "0, 42"}, expect = Expect.ACCEPTABLE, desc = "did not see the release yet")
@Outcome(id = "1, 0", expect = Expect.FORBIDDEN, desc = "saw the release but lost the write")
@State
public class ReleaseAcquireAcrossEvictionTest
{
    private static final int INDEX = 3 * SharedFarMemory.LINE_LONGS + 17;

    private final long[] data = SharedFarMemory.newLongs(4 * SharedFarMemory.LINE_LONGS);
    private volatile long flag;

    /**
     * Writer: store, evict everything, release.
     */
    @Actor
    public void writer()
    {
        FarAccess.lastore(data, INDEX, 42);
        SharedFarMemory.evictEverything(INDEX);
        flag = 1;
        SharedFarMemory.evictEverything(INDEX + 1);
    }

    /**
     * Reader: acquire, then read the array.
     *
     * @param result (flag, element).
     */
    @Actor
    public void reader(final JJ_Result result)
    {
        result.r1 = flag;
        result.r2 = FarAccess.laload(data, INDEX);
    }
}
