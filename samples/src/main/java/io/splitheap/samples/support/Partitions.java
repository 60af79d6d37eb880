package io.splitheap.samples.support;

/**
 * Splits {@code [0, total)} into contiguous parts. The split depends only on the total, never on the thread
 * count, so per-part results combined in part order are the same for any number of threads.
 */
public final class Partitions
{
    private final long total;
    private final int count;

    private Partitions(final long total, final int count)
    {
        this.total = total;
        this.count = count;
    }

    /**
     * Split a range into at most {@code maxParts} parts of at least {@code minPartSize} elements (one part if the
     * range is smaller).
     *
     * @param total       elements in the range.
     * @param maxParts    upper bound on the number of parts.
     * @param minPartSize lower bound on the size of a part.
     * @return the partitioning.
     */
    public static Partitions of(final long total, final int maxParts, final long minPartSize)
    {
        if (total < 0 || maxParts < 1 || total > Long.MAX_VALUE / maxParts)
        {
            throw new IllegalArgumentException("cannot partition: total=" + total + " maxParts=" + maxParts);
        }
        final long bySize = Math.max(1, total / Math.max(1, minPartSize));
        return new Partitions(total, (int)Math.min(maxParts, bySize));
    }

    /**
     * Number of parts.
     *
     * @return the count.
     */
    public int count()
    {
        return count;
    }

    /**
     * First element of a part.
     *
     * @param part index of the part, {@code count()} gives the total.
     * @return the inclusive start.
     */
    public long start(final int part)
    {
        return total * part / count;
    }

    /**
     * End of a part.
     *
     * @param part index of the part.
     * @return the exclusive end.
     */
    public long end(final int part)
    {
        return start(part + 1);
    }
}
