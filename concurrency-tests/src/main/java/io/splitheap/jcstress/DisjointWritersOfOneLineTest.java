package io.splitheap.jcstress;

import io.splitheap.agent.runtime.FarAccess;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJ_Result;

/**
 * Two threads write different elements of the same line (not a data race in Java) while the line is evicted and
 * written back: neither write may be lost to the other thread's write-back.
 */
@JCStressTest
@Description("Writes to two elements of one far line by two threads, with evictions; both survive.")
@Outcome(id = "1, 2", expect = Expect.ACCEPTABLE, desc = "both writes survive")
@Outcome(expect = Expect.FORBIDDEN, desc = "a write was lost")
@State
public class DisjointWritersOfOneLineTest
{
    private final long[] data = SharedFarMemory.newLongs(SharedFarMemory.LINE_LONGS);

    /**
     * First writer.
     */
    @Actor
    public void first()
    {
        FarAccess.lastore(data, 10, 1);
        SharedFarMemory.evictEverything(10);
    }

    /**
     * Second writer.
     */
    @Actor
    public void second()
    {
        SharedFarMemory.evictEverything(11);
        FarAccess.lastore(data, 11, 2);
        SharedFarMemory.evictEverything(12);
    }

    /**
     * After both.
     *
     * @param result both elements.
     */
    @Arbiter
    public void check(final JJ_Result result)
    {
        result.r1 = FarAccess.laload(data, 10);
        result.r2 = FarAccess.laload(data, 11);
    }
}
