package io.splitheap.samples.columnscan;

import io.splitheap.samples.support.DoubleChunks;
import io.splitheap.samples.support.IntChunks;

/**
 * {@code SELECT category, count(*), sum(revenue), sum(quantity) WHERE region = ? GROUP BY category}.
 */
public final class RevenueByCategoryQuery implements ScanQuery
{
    /**
     * Metric 0: sum of revenue.
     */
    public static final int REVENUE = 0;

    /**
     * Metric 1: sum of quantity.
     */
    public static final int QUANTITY = 1;

    private final int region;

    /**
     * The query for one region.
     *
     * @param region to select.
     */
    public RevenueByCategoryQuery(final int region)
    {
        this.region = region;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public String describe()
    {
        return "revenue and quantity by category where region=" + region;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public GroupResult newResult()
    {
        return new GroupResult(Table.CATEGORIES, GroupResult.Kind.SUM, GroupResult.Kind.SUM);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void scan(final Table table, final long first, final long end, final GroupResult result)
    {
        final IntChunks regions = table.regions();
        final IntChunks categories = table.categories();
        final DoubleChunks revenues = table.revenues();
        final DoubleChunks quantities = table.quantities();
        for (long row = first; row < end; row++)
        {
            if (regions.get(row) == region)
            {
                final int category = categories.get(row);
                result.countRow(category);
                result.add(category, REVENUE, revenues.get(row));
                result.add(category, QUANTITY, quantities.get(row));
            }
        }
    }
}
