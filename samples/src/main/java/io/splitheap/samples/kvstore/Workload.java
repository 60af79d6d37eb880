package io.splitheap.samples.kvstore;

import io.splitheap.samples.support.Hashing;
import io.splitheap.samples.support.SplitMix64;
import io.splitheap.samples.support.Workers;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A YCSB-like mix of reads and updates over the loaded keys, chosen by a zipfian law. The op sequence is cut into
 * segments of {@link #SEGMENT_OPS} ops, each with its own random stream, and threads take whole segments: op
 * {@code j} is the same whatever the thread count. An update adds {@code delta(key, j)} to the key's value under
 * a per-slot lock; addition commutes, so the final table does not depend on the order in which threads apply
 * updates.
 */
public final class Workload
{
    /**
     * Ops per segment of the op sequence.
     */
    public static final int SEGMENT_OPS = 4096;

    private static final int LOCK_STRIPES = 1024;
    private static final long OPS_STREAM = -3;

    private final LongLongTable table;
    private final KeySpace keys;
    private final ZipfianGenerator zipfian;
    private final int readPercent;
    private final long seed;
    private final Object[] locks = new Object[LOCK_STRIPES];
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong readHits = new AtomicLong();
    private final AtomicLong updates = new AtomicLong();
    private final AtomicLong readSink = new AtomicLong();

    /**
     * A workload over a loaded table.
     *
     * @param table       holding the keys of {@code keys}.
     * @param keys        the loaded keys.
     * @param zipfian     chooses items of {@code keys}.
     * @param readPercent share of reads in percent; the rest are updates.
     * @param seed        of the op sequence.
     */
    public Workload(
        final LongLongTable table,
        final KeySpace keys,
        final ZipfianGenerator zipfian,
        final int readPercent,
        final long seed)
    {
        this.table = table;
        this.keys = keys;
        this.zipfian = zipfian;
        this.readPercent = readPercent;
        this.seed = Hashing.streamSeed(seed, OPS_STREAM);
        for (int i = 0; i < LOCK_STRIPES; i++)
        {
            locks[i] = new Object();
        }
    }

    /**
     * Run ops {@code 0 .. ops - 1}.
     *
     * @param ops     number of ops.
     * @param threads to run them on.
     */
    public void run(final long ops, final int threads)
    {
        final long segments = (ops + SEGMENT_OPS - 1) / SEGMENT_OPS;
        if (segments > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("too many ops: ops=" + ops);
        }
        Workers.forEach(threads, (int)segments, (final int s) ->
            runSegment(s, (long)s * SEGMENT_OPS, Math.min(ops, (s + 1L) * SEGMENT_OPS)));
    }

    /**
     * The amount an update adds to a key's value.
     *
     * @param key the updated key.
     * @param op  number of the op in the sequence.
     * @return the delta.
     */
    public static long delta(final long key, final long op)
    {
        return Hashing.mix64(key + op * Hashing.GOLDEN);
    }

    /**
     * Reads performed.
     *
     * @return the count.
     */
    public long reads()
    {
        return reads.get();
    }

    /**
     * Reads that found their key.
     *
     * @return the count.
     */
    public long readHits()
    {
        return readHits.get();
    }

    /**
     * Updates performed.
     *
     * @return the count.
     */
    public long updates()
    {
        return updates.get();
    }

    private void runSegment(final int segment, final long firstOp, final long endOp)
    {
        final SplitMix64 random = new SplitMix64(Hashing.streamSeed(seed, segment));
        long segmentReads = 0;
        long segmentHits = 0;
        long segmentUpdates = 0;
        long sink = 0;
        for (long op = firstOp; op < endOp; op++)
        {
            final long key = keys.keyOf(zipfian.next(random));
            final boolean read = random.nextInt(100) < readPercent;
            final long slot = table.find(key);
            if (read)
            {
                segmentReads++;
                if (slot >= 0)
                {
                    segmentHits++;
                    sink += table.valueAt(slot);
                }
            }
            else if (slot >= 0)
            {
                segmentUpdates++;
                synchronized (locks[(int)(slot & (LOCK_STRIPES - 1))])
                {
                    table.addToValue(slot, delta(key, op));
                }
            }
            else
            {
                throw new IllegalStateException("update of a key that was never loaded: key=" + key + " op=" + op);
            }
        }
        reads.addAndGet(segmentReads);
        readHits.addAndGet(segmentHits);
        updates.addAndGet(segmentUpdates);
        readSink.addAndGet(sink);
    }
}
