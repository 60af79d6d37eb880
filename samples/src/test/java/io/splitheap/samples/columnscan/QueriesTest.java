package io.splitheap.samples.columnscan;

import io.splitheap.samples.support.Partitions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QueriesTest
{
    private static final int ROWS = 30_000;
    private static Table table;
    private static GroupResult derived;

    @BeforeAll
    static void generateAndDerive()
    {
        table = new Table(ROWS);
        TableGenerator.fill(table, 42, 3);
        derived = Scan.run(table, new DeriveRevenueQuery(), parts(), 3);
    }

    @Test
    void shouldScanInSeveralPartitions()
    {
        assertEquals(7, parts().count());
    }

    @Test
    void shouldGenerateValuesInTheirDomains()
    {
        for (long row = 0; row < ROWS; row++)
        {
            assertTrue(table.categories().get(row) >= 0 && table.categories().get(row) < Table.CATEGORIES);
            assertTrue(table.regions().get(row) >= 0 && table.regions().get(row) < Table.REGIONS);
            assertTrue(table.prices().get(row) >= 1.0 && table.prices().get(row) <= 1000.0);
            assertTrue(table.quantities().get(row) >= 1.0 && table.quantities().get(row) <= 64.0);
            assertTrue(row == 0 || table.timestamps().get(row) > table.timestamps().get(row - 1));
        }
    }

    @Test
    void shouldWriteDerivedRevenueOfEveryRow()
    {
        final long[] counts = new long[Table.CATEGORIES];
        final double[] sums = new double[Table.CATEGORIES];
        for (long row = 0; row < ROWS; row++)
        {
            final int category = table.categories().get(row);
            final double revenue = table.prices().get(row) * table.quantities().get(row) *
                (1.0 - DeriveRevenueQuery.discount(category));
            assertEquals(revenue, table.revenues().get(row));
            counts[category]++;
            sums[category] += revenue;
        }
        for (int c = 0; c < Table.CATEGORIES; c++)
        {
            assertEquals(counts[c], derived.count(c));
            assertEquals(sums[c], derived.value(c, DeriveRevenueQuery.REVENUE), Math.abs(sums[c]) * 1e-12);
        }
        assertEquals(ROWS, derived.totalCount());
    }

    @Test
    void shouldAggregateRevenueByCategoryForOneRegion()
    {
        final GroupResult result = Scan.run(table, new RevenueByCategoryQuery(3), parts(), 2);
        final long[] counts = new long[Table.CATEGORIES];
        final double[][] sums = new double[Table.CATEGORIES][2];
        for (long row = 0; row < ROWS; row++)
        {
            if (table.regions().get(row) == 3)
            {
                final int category = table.categories().get(row);
                counts[category]++;
                sums[category][0] += table.revenues().get(row);
                sums[category][1] += table.quantities().get(row);
            }
        }
        assertGroups(counts, sums, result);
        assertTrue(result.totalCount() > ROWS / 10);
    }

    @Test
    void shouldAggregatePriceStatisticsByRegionInATimeWindow()
    {
        final long from = TableGenerator.START_MILLIS + 5_000 * TableGenerator.MILLIS_PER_ROW + 500;
        final long to = from + 10_000 * TableGenerator.MILLIS_PER_ROW;
        final GroupResult result = Scan.run(table, new PriceByRegionQuery(from, to), parts(), 3);
        final long[] counts = new long[Table.REGIONS];
        final double[][] stats = new double[Table.REGIONS][];
        for (int r = 0; r < Table.REGIONS; r++)
        {
            stats[r] = new double[]{ 0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY };
        }
        for (long row = 0; row < ROWS; row++)
        {
            final long timestamp = table.timestamps().get(row);
            if (timestamp >= from && timestamp < to)
            {
                final int region = table.regions().get(row);
                final double price = table.prices().get(row);
                counts[region]++;
                stats[region][0] += price;
                stats[region][1] = Math.min(stats[region][1], price);
                stats[region][2] = Math.max(stats[region][2], price);
            }
        }
        assertGroups(counts, stats, result);
        assertEquals(10_000, result.totalCount(), 2);
    }

    @Test
    void shouldAggregateQuantityByCategoryInAPriceBand()
    {
        final GroupResult result = Scan.run(table, new QuantityByCategoryQuery(100.0, 250.5), parts(), 3);
        final long[] counts = new long[Table.CATEGORIES];
        final double[][] sums = new double[Table.CATEGORIES][2];
        for (long row = 0; row < ROWS; row++)
        {
            final double price = table.prices().get(row);
            if (price >= 100.0 && price < 250.5)
            {
                final int category = table.categories().get(row);
                counts[category]++;
                sums[category][0] += table.quantities().get(row);
                sums[category][1] += price * table.quantities().get(row);
            }
        }
        assertGroups(counts, sums, result);
    }

    @Test
    void shouldGiveBitIdenticalResultsForAnyThreadCount()
    {
        final ScanQuery query = ColumnScanSample.aggregation(2, 42, ROWS);
        final long single = Scan.run(table, query, parts(), 1).hash(0);
        assertEquals(single, Scan.run(table, query, parts(), 2).hash(0));
        assertEquals(single, Scan.run(table, query, parts(), 3).hash(0));
    }

    private static Partitions parts()
    {
        return Scan.partitions(table);
    }

    private static void assertGroups(final long[] counts, final double[][] metrics, final GroupResult result)
    {
        for (int g = 0; g < counts.length; g++)
        {
            assertEquals(counts[g], result.count(g), "group " + g);
            for (int m = 0; m < metrics[g].length; m++)
            {
                final double expected = metrics[g][m];
                assertEquals(expected, result.value(g, m), Double.isInfinite(expected) ? 0 : Math.abs(expected) * 1e-12,
                    "group " + g + " metric " + m);
            }
        }
    }
}
