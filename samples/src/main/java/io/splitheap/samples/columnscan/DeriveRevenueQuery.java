package io.splitheap.samples.columnscan;

import io.splitheap.samples.support.DoubleChunks;
import io.splitheap.samples.support.IntChunks;

/**
 * Writes the derived column {@code revenue = price * quantity * (1 - discount(category))} for every row, and
 * returns rows and revenue by category.
 */
public final class DeriveRevenueQuery implements ScanQuery
{
    /**
     * Metric 0: sum of revenue.
     */
    public static final int REVENUE = 0;

    /**
     * Discount of a category: 0%, 5%, 10%, 15% or 20%.
     *
     * @param category the category.
     * @return the discount as a fraction.
     */
    public static double discount(final int category)
    {
        return (category % 5) * 0.05;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public String describe()
    {
        return "derive revenue = price * quantity * (1 - discount(category)), group by category";
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public GroupResult newResult()
    {
        return new GroupResult(Table.CATEGORIES, GroupResult.Kind.SUM);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void scan(final Table table, final long first, final long end, final GroupResult result)
    {
        final IntChunks categories = table.categories();
        final DoubleChunks prices = table.prices();
        final DoubleChunks quantities = table.quantities();
        final DoubleChunks revenues = table.revenues();
        final double[] keep = new double[Table.CATEGORIES];
        for (int c = 0; c < keep.length; c++)
        {
            keep[c] = 1.0 - discount(c);
        }
        for (long row = first; row < end; row++)
        {
            final int category = categories.get(row);
            final double revenue = prices.get(row) * quantities.get(row) * keep[category];
            revenues.set(row, revenue);
            result.countRow(category);
            result.add(category, REVENUE, revenue);
        }
    }
}
