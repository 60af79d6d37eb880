package io.splitheap.samples.columnscan;

import io.splitheap.samples.OptionSpec;
import io.splitheap.samples.Sample;
import io.splitheap.samples.SampleOptions;
import io.splitheap.samples.SampleResult;
import io.splitheap.samples.support.Checksum;
import io.splitheap.samples.support.Footprint;
import io.splitheap.samples.support.Hashing;
import io.splitheap.samples.support.Partitions;
import io.splitheap.samples.support.SplitMix64;

import java.io.PrintStream;
import java.util.List;

/**
 * Analytical scans over a columnar {@link Table}: first a query that writes the derived revenue column, then
 * {@code --queries} filter and group-by queries cycling through {@link RevenueByCategoryQuery},
 * {@link PriceByRegionQuery} and {@link QuantityByCategoryQuery} with parameters drawn from the seed. The measured
 * phase is all queries; ops counts rows scanned.
 */
public final class ColumnScanSample implements Sample
{
    /**
     * Number of group-by queries after the derived-column query.
     */
    public static final String QUERIES = "--queries";

    /**
     * Default of {@link #QUERIES}.
     */
    public static final int QUERIES_DEFAULT = 3;

    /**
     * {@inheritDoc}
     */
    @Override
    public String name()
    {
        return "columnscan";
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public String summary()
    {
        return "filter/group-by scans and a derived-column write over a columnar table";
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public List<OptionSpec> options()
    {
        return List.of(new OptionSpec(QUERIES, "N",
            "group-by queries after the derived-column query, 1 to 1000 (default 3)"));
    }

    /**
     * The i-th group-by query.
     *
     * @param index number of the query, from 0.
     * @param seed  of the run.
     * @param rows  in the table.
     * @return the query.
     */
    public static ScanQuery aggregation(final int index, final long seed, final long rows)
    {
        final SplitMix64 random = new SplitMix64(Hashing.streamSeed(seed, 1000 + index));
        switch (index % 3)
        {
            case 0:
                return new RevenueByCategoryQuery(random.nextInt(Table.REGIONS));
            case 1:
            {
                final long firstRow = (long)(random.nextDouble() * rows / 2);
                final long from = TableGenerator.START_MILLIS + firstRow * TableGenerator.MILLIS_PER_ROW;
                return new PriceByRegionQuery(from, from + (rows / 4 + 1) * TableGenerator.MILLIS_PER_ROW);
            }
            default:
            {
                final double minPrice = 1 + random.nextInt(500);
                return new QuantityByCategoryQuery(minPrice, minPrice + 50 + random.nextInt(450));
            }
        }
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public SampleResult run(final SampleOptions options, final PrintStream out)
    {
        final int queries = options.intOption(QUERIES, QUERIES_DEFAULT, 1, 1000);
        final int threads = options.threads();
        out.println(options.describe() + " queries=" + queries);

        final long generateStart = System.nanoTime();
        final Table table = new Table(options.workingSet() / Table.BYTES_PER_ROW);
        out.println(Footprint.describe(table.columns()) + " rows=" + table.rows());
        TableGenerator.fill(table, options.seed(), threads);
        out.println("generated in " + SampleResult.seconds(System.nanoTime() - generateStart) + " s");

        final Partitions parts = Scan.partitions(table);
        final GroupResult[] results = new GroupResult[queries + 1];
        final String[] descriptions = new String[queries + 1];
        final long start = System.nanoTime();
        final ScanQuery derive = new DeriveRevenueQuery();
        results[0] = Scan.run(table, derive, parts, threads);
        descriptions[0] = derive.describe();
        for (int q = 0; q < queries; q++)
        {
            final ScanQuery query = aggregation(q, options.seed(), table.rows());
            results[q + 1] = Scan.run(table, query, parts, threads);
            descriptions[q + 1] = query.describe();
        }
        final long nanos = System.nanoTime() - start;

        long hash = Checksum.of(threads, table.columns());
        for (int q = 0; q < results.length; q++)
        {
            if (q < 4 || q == results.length - 1)
            {
                out.println("query " + q + " " + descriptions[q] + ": rows=" + results[q].totalCount());
            }
            hash = results[q].hash(hash);
        }
        return new SampleResult(name(), Checksum.finish(hash), nanos, table.rows() * (queries + 1L));
    }
}
