package io.splitheap.jcstress;

import io.splitheap.agent.runtime.FarAccess;
import io.splitheap.agent.runtime.FarChunks;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJ_Result;

/**
 * Release/acquire through a chunked read: a write made before a volatile release is seen by a chunked loop that
 * acquires the volatile and then pins the line and reads the frame directly, although the line is evicted and
 * written back in between.
 */
@JCStressTest
@Description("Hit-path write, eviction, volatile release; volatile acquire, chunk-pinned raw read.")
@Outcome(id = "1, 42", expect = Expect.ACCEPTABLE, desc = "saw the release and the write")
@Outcome(id = {"0, 0", "0, 42"}, expect = Expect.ACCEPTABLE, desc = "did not see the release yet")
@Outcome(id = "1, 0", expect = Expect.FORBIDDEN, desc = "saw the release but read a stale frame")
@State
public class ChunkedReadAcquireTest
{
    private static final int INDEX = 2 * SharedFarMemory.LINE_LONGS + 33;

    private final long[] data = SharedFarMemory.newLongs(3 * SharedFarMemory.LINE_LONGS);
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
    }

    /**
     * Reader: acquire, then a chunk over the line.
     *
     * @param result (flag, element).
     */
    @Actor
    public void reader(final JJ_Result result)
    {
        result.r1 = flag;
        final long base = FarChunks.pin(data, INDEX, 0, 0);
        result.r2 = base == 0 ? -1 : FarChunks.getLong(base + ((long)INDEX << 3));
        FarChunks.unpinAll();
    }
}
