package io.splitheap.jcstress.broken;

import io.splitheap.agent.runtime.FarAccess;
import io.splitheap.agent.runtime.FarChunks;
import io.splitheap.jcstress.BrokenVariants;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJ_Result;

/**
 * A deliberately broken chunked loop: it takes the line's frame but lets go of the pin before storing, as a rewriter
 * that forgot to pin would. Evictions then recycle the frame under it and its stores are lost (or land in another
 * line). This test must fail; it shows that the tests of the real protocol can. It runs only with
 * {@code mvn verify -pl concurrency-tests -am -Pbroken-jcstress} (see docs/OPERATIONS.md).
 */
@JCStressTest
@Description("Broken on purpose: raw stores into a frame that is no longer pinned, with evictions.")
@Outcome(id = "7, 9", expect = Expect.ACCEPTABLE, desc = "both stores survived this time")
@Outcome(expect = Expect.FORBIDDEN, desc = "a store was lost: the broken variant is caught")
@State
public class UnpinnedChunkWritesTest
{
    private static final int FIRST = 5;
    private static final int COUNT = 64;
    private static final int OTHER = 300;

    private final long[] data = BrokenVariants.newLongs();

    /**
     * Pins, unpins at once, then stores through the stale base while everything is evicted.
     */
    @Actor
    public void chunk()
    {
        final long base = FarChunks.pin(data, FIRST, 1, 0);
        FarChunks.unpinAll();
        BrokenVariants.evictEverything(FIRST);
        for (int i = FIRST; i < FIRST + COUNT; i++)
        {
            FarChunks.putLong(base + ((long)i << 3), 7);
        }
        BrokenVariants.evictEverything(FIRST + 1);
    }

    /**
     * A hit-path store to the same line, and evictions.
     */
    @Actor
    public void element()
    {
        BrokenVariants.evictEverything(OTHER);
        FarAccess.lastore(data, OTHER, 9);
        BrokenVariants.evictEverything(OTHER + 1);
    }

    /**
     * After both.
     *
     * @param result (chunk stores folded, element store).
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
