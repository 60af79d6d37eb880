package io.splitheap.jcstress;

import io.splitheap.agent.runtime.FarObjects;
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
 * field is accessed as rewritten code does: the writer through a method that pins its object's block and stores
 * into it directly, the reader through the per-access path, and again through a pinned block.
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
    private static final int SLOTS = 9;
    private static final int FIELD = 5;

    private final long[] arena = SharedFarMemory.fieldBlock(SLOTS);
    private final int base = FarObjects.base();
    private volatile long flag;

    /**
     * Writer: a pinned store, evict everything, release.
     */
    @Actor
    public void writer()
    {
        final long block = FarObjects.pinBlock(arena, base, 1);
        FarObjects.putSlot(42, block, arena, base, FIELD);
        FarObjects.unpinBlock(block);
        SharedFarMemory.evictEverything(base + FIELD);
        flag = 1;
        SharedFarMemory.evictEverything(base + FIELD + 1);
    }

    /**
     * Reader: acquire, then read the field per access and through a pinned block.
     *
     * @param result (flag, field), or (flag, -1) if the two reads disagree.
     */
    @Actor
    public void reader(final JJ_Result result)
    {
        result.r1 = flag;
        final long perAccess = FarObjects.getSlot(0, arena, base, FIELD);
        final long block = FarObjects.pinBlock(arena, base, 0);
        final long pinned = FarObjects.getSlot(block, arena, base, FIELD);
        FarObjects.unpinBlock(block);
        result.r2 = perAccess == pinned || perAccess == 0 ? pinned : -1;
    }
}
