package io.splitheap.jcstress;

import io.splitheap.agent.runtime.FarAccess;
import io.splitheap.agent.runtime.FarChunks;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJ_Result;

/**
 * A chunked loop (what the rewriter makes of {@code for (i...) a[i] = ...} over a far array) pins its line and
 * stores into the frame directly, without a check per element, while another thread evicts everything and writes
 * the same line element by element: neither thread's stores may be lost, the pin must keep the frame from being
 * recycled, and the element-by-element store must not be overwritten by a stale write-back.
 */
@JCStressTest
@Description("Chunk-pinned raw stores and hit-path stores to one far line, with dirty evictions in between.")
@Outcome(id = "7, 9", expect = Expect.ACCEPTABLE, desc = "both threads' stores survive")
@Outcome(expect = Expect.FORBIDDEN, desc = "a store was lost or landed elsewhere")
@State
public class ChunkedWritesAcrossEvictionTest
{
    private static final int FIRST = 5;
    private static final int COUNT = 64;
    private static final int OTHER = 300;

    private final long[] data = SharedFarMemory.newLongs(SharedFarMemory.LINE_LONGS);

    /**
     * The chunked loop: pin, store a run of elements directly, evict everything while pinned, release.
     */
    @Actor
    public void chunk()
    {
        final long base = FarChunks.pin(data, FIRST, 1, 0);
        if (base == 0)
        {
            throw new IllegalStateException("could not pin a far line");
        }
        for (int i = FIRST; i < FIRST + COUNT; i++)
        {
            FarChunks.putLong(base + ((long)i << 3), 7);
        }
        SharedFarMemory.evictEverything(FIRST);
        FarChunks.putLong(base + ((long)(FIRST + COUNT - 1) << 3), 7);
        FarChunks.unpinAll();
        SharedFarMemory.evictEverything(FIRST + 1);
    }

    /**
     * A store through the hit path to the same line, and evictions.
     */
    @Actor
    public void element()
    {
        SharedFarMemory.evictEverything(OTHER);
        FarAccess.lastore(data, OTHER, 9);
        SharedFarMemory.evictEverything(OTHER + 1);
    }

    /**
     * After both: every chunk store (folded: 7 if all of them are 7) and the element store.
     *
     * @param result (chunk stores, element store).
     */
    @Arbiter
    public void check(final JJ_Result result)
    {
        long all = 7;
        for (int i = FIRST; i < FIRST + COUNT; i++)
        {
            if (FarAccess.laload(data, i) != 7)
            {
                all = FarAccess.laload(data, i);
            }
        }
        result.r1 = all;
        result.r2 = FarAccess.laload(data, OTHER);
    }
}
