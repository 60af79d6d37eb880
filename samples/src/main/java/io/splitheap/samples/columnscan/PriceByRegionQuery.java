package io.splitheap.samples.columnscan;

import io.splitheap.samples.support.DoubleChunks;
import io.splitheap.samples.support.IntChunks;
import io.splitheap.samples.support.LongChunks;

/**
 * {@code SELECT region, count(*), sum(price), min(price), max(price) WHERE timestamp >= ? AND timestamp < ?
 * GROUP BY region}.
 */
public final class PriceByRegionQuery implements ScanQuery
{
    /**
     * Metric 0: sum of price.
     */
    public static final int PRICE_SUM = 0;

    /**
     * Metric 1: lowest price.
     */
    public static final int PRICE_MIN = 1;

    /**
     * Metric 2: highest price.
     */
    public static final int PRICE_MAX = 2;

    private final long fromMillis;
    private final long toMillis;

    /**
     * The query for a time window.
     *
     * @param fromMillis inclusive start of the window.
     * @param toMillis   exclusive end of the window.
     */
    public PriceByRegionQuery(final long fromMillis, final long toMillis)
    {
        this.fromMillis = fromMillis;
        this.toMillis = toMillis;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public String describe()
    {
        return "price sum/min/max by region where timestamp in [" + fromMillis + ", " + toMillis + ")";
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public GroupResult newResult()
    {
        return new GroupResult(Table.REGIONS, GroupResult.Kind.SUM, GroupResult.Kind.MIN, GroupResult.Kind.MAX);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void scan(final Table table, final long first, final long end, final GroupResult result)
    {
        final LongChunks timestamps = table.timestamps();
        final IntChunks regions = table.regions();
        final DoubleChunks prices = table.prices();
        for (long row = first; row < end; row++)
        {
            final long timestamp = timestamps.get(row);
            if (timestamp >= fromMillis && timestamp < toMillis)
            {
                final int region = regions.get(row);
                final double price = prices.get(row);
                result.countRow(region);
                result.add(region, PRICE_SUM, price);
                result.extreme(region, PRICE_MIN, price);
                result.extreme(region, PRICE_MAX, price);
            }
        }
    }
}
