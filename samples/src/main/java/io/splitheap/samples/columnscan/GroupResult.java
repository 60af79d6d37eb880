package io.splitheap.samples.columnscan;

import io.splitheap.samples.support.Checksum;

/**
 * The result of a group-by: a row count and some metrics per group, each metric a sum, a minimum or a maximum.
 * Queries fill one result per row partition; partitions are merged in order so that sums of doubles come out the
 * same for any thread count.
 */
public final class GroupResult
{
    /**
     * How a metric combines values.
     */
    public enum Kind
    {
        /** Sum of values. */
        SUM,
        /** Smallest value. */
        MIN,
        /** Largest value. */
        MAX
    }

    private final Kind[] kinds;
    private final long[] counts;
    private final double[] values;

    /**
     * An empty result.
     *
     * @param groups number of groups.
     * @param kinds  one per metric.
     */
    public GroupResult(final int groups, final Kind... kinds)
    {
        this.kinds = kinds.clone();
        counts = new long[groups];
        values = new double[groups * kinds.length];
        for (int g = 0; g < groups; g++)
        {
            for (int m = 0; m < kinds.length; m++)
            {
                values[g * kinds.length + m] = kinds[m] == Kind.MIN ? Double.POSITIVE_INFINITY :
                    kinds[m] == Kind.MAX ? Double.NEGATIVE_INFINITY : 0.0;
            }
        }
    }

    /**
     * Count a row in a group.
     *
     * @param group of the row.
     */
    public void countRow(final int group)
    {
        counts[group]++;
    }

    /**
     * Add to a {@link Kind#SUM} metric.
     *
     * @param group  of the row.
     * @param metric index of the metric.
     * @param value  to add.
     */
    public void add(final int group, final int metric, final double value)
    {
        values[group * kinds.length + metric] += value;
    }

    /**
     * Offer a value to a {@link Kind#MIN} or {@link Kind#MAX} metric.
     *
     * @param group  of the row.
     * @param metric index of the metric.
     * @param value  to compare.
     */
    public void extreme(final int group, final int metric, final double value)
    {
        final int i = group * kinds.length + metric;
        values[i] = kinds[metric] == Kind.MIN ? Math.min(values[i], value) : Math.max(values[i], value);
    }

    /**
     * Fold another partition's result into this one.
     *
     * @param other result of the same query over later rows.
     */
    public void merge(final GroupResult other)
    {
        for (int g = 0; g < counts.length; g++)
        {
            counts[g] += other.counts[g];
            for (int m = 0; m < kinds.length; m++)
            {
                final int i = g * kinds.length + m;
                if (kinds[m] == Kind.SUM)
                {
                    values[i] += other.values[i];
                }
                else
                {
                    extreme(g, m, other.values[i]);
                }
            }
        }
    }

    /**
     * Rows counted in a group.
     *
     * @param group the group.
     * @return the count.
     */
    public long count(final int group)
    {
        return counts[group];
    }

    /**
     * A metric of a group.
     *
     * @param group  the group.
     * @param metric index of the metric.
     * @return its value.
     */
    public double value(final int group, final int metric)
    {
        return values[group * kinds.length + metric];
    }

    /**
     * Rows counted in all groups.
     *
     * @return the total.
     */
    public long totalCount()
    {
        long total = 0;
        for (final long count : counts)
        {
            total += count;
        }
        return total;
    }

    /**
     * Fold every count and metric into a running checksum.
     *
     * @param hash the running hash.
     * @return the new running hash.
     */
    public long hash(final long hash)
    {
        long h = hash;
        for (final long count : counts)
        {
            h = Checksum.combine(h, count);
        }
        for (final double value : values)
        {
            h = Checksum.combine(h, value);
        }
        return h;
    }
}
