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
 * Writes under a monitor (two elements of different lines) are seen together by the next thread that takes the
 * monitor, across evictions inside and outside the critical section.
 */
@JCStressTest
@Description("Two far-array writes under a lock, evictions; the other thread reads both under the same lock.")
@Outcome(id = {"0, 0", "5, 6"}, expect = Expect.ACCEPTABLE, desc = "before or after the writer's critical section")
@Outcome(expect = Expect.FORBIDDEN, desc = "a torn or lost update")
@State
public class MonitorHandOffAcrossEvictionTest
{
    private final long[] data = SharedFarMemory.newLongs(4 * SharedFarMemory.LINE_LONGS);

    /**
     * Writer.
     */
    @Actor
    public void writer()
    {
        synchronized (this)
        {
            FarAccess.lastore(data, 1, 5);
            SharedFarMemory.evictEverything(1);
            FarAccess.lastore(data, 3 * SharedFarMemory.LINE_LONGS, 6);
        }
        SharedFarMemory.evictEverything(2);
    }

    /**
     * Reader.
     *
     * @param result both elements.
     */
    @Actor
    public void reader(final JJ_Result result)
    {
        synchronized (this)
        {
            result.r1 = FarAccess.laload(data, 1);
            result.r2 = FarAccess.laload(data, 3 * SharedFarMemory.LINE_LONGS);
        }
    }
}
