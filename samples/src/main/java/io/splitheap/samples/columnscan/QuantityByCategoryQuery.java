package io.splitheap.samples.columnscan;

import io.splitheap.samples.support.DoubleChunks;
import io.splitheap.samples.support.IntChunks;

/**
 * {@code SELECT category, count(*), sum(quantity), sum(price * quantity) WHERE price >= ? AND price < ?
 * GROUP BY category}.
 */
public final class QuantityByCategoryQuery implements ScanQuery
{
    /**
     * Metric 0: sum of quantity.
     */
    public static final int QUANTITY = 0;

    /**
     * Metric 1: sum of price times quantity.
     */
    public static final int GROSS = 1;

    private final double minPrice;
    private final double maxPrice;

    /**
     * The query for a price band.
     *
     * @param minPrice inclusive lower bound.
     * @param maxPrice exclusive upper bound.
     */
    public QuantityByCategoryQuery(final double minPrice, final double maxPrice)
    {
        this.minPrice = minPrice;
        this.maxPrice = maxPrice;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public String describe()
    {
        return "quantity and gross by category where price in [" + minPrice + ", " + maxPrice + ")";
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
        final DoubleChunks prices = table.prices();
        final IntChunks categories = table.categories();
        final DoubleChunks quantities = table.quantities();
        for (long row = first; row < end; row++)
        {
            final double price = prices.get(row);
            if (price >= minPrice && price < maxPrice)
            {
                final int category = categories.get(row);
                final double quantity = quantities.get(row);
                result.countRow(category);
                result.add(category, QUANTITY, quantity);
                result.add(category, GROSS, price * quantity);
            }
        }
    }
}
