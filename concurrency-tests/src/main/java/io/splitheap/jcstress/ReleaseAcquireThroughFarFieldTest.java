package io.splitheap.jcstress;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJ_Result;

/**
 * A far object field (far.classes=) written before a volatile write (release) is seen by a thread that reads the
 * volatile (acquire) and then the field, although the block's line is evicted and written back in between. The
 * field's class and a class reading it are loaded rewritten exactly as the agent rewrites them ({@link RewrittenCells}):
 * the writer stores through a method that pins its object's block and stores into it directly, the reader reads
 * from another class through the per-access path, and again through a pinned method.
 */
@JCStressTest
@Description("Far field write in a pinned method, eviction, volatile release; volatile acquire, far field reads.")
@Outcome(id = "1, 42", expect = Expect.ACCEPTABLE, desc = "saw the release and the write")
@Outcome(id = {"0, 0", "0, 42"}, expect = Expect.ACCEPTABLE, desc = "did not see the release yet")
@Outcome(id = "1, 0", expect = Expect.FORBIDDEN, desc = "saw the release but lost the write")
@Outcome(expect = Expect.FORBIDDEN, desc = "the two reads of the field disagree")
@State
public class ReleaseAcquireThroughFarFieldTest
{
    private final FieldCell cell = RewrittenCells.newCell();
    private volatile long flag;

    /**
     * Writer: a pinned store, evict everything, release.
     */
    @Actor
    public void writer()
    {
        cell.storeInPinnedMethod(42);
        SharedFarMemory.evictEverything(5);
        flag = 1;
        SharedFarMemory.evictEverything(6);
    }

    /**
     * Reader: acquire, then read the field per access and through a pinned method.
     *
     * @param result (flag, field), or (flag, -1) if the two reads disagree.
     */
    @Actor
    public void reader(final JJ_Result result)
    {
        result.r1 = flag;
        final long perAccess = cell.readPerAccess();
        final long pinned = cell.readInPinnedMethod();
        result.r2 = perAccess == pinned || perAccess == 0 ? pinned : -1;
    }
}
