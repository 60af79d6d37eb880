package io.splitheap.samples.columnscan;

import io.splitheap.samples.support.Partitions;
import io.splitheap.samples.support.Workers;

/**
 * Runs a query over all rows: threads scan fixed row partitions into partial results, which are then merged in
 * partition order.
 */
public final class Scan
{
    private Scan()
    {
    }

    /**
     * Row partitions of a table: at most 4096, of at least 4096 rows.
     *
     * @param table to partition.
     * @return the partitions.
     */
    public static Partitions partitions(final Table table)
    {
        return Partitions.of(table.rows(), 4096, 4096);
    }

    /**
     * Run a query.
     *
     * @param table   to scan.
     * @param query   to run.
     * @param parts   row partitions.
     * @param threads to scan with.
     * @return the merged result.
     */
    public static GroupResult run(final Table table, final ScanQuery query, final Partitions parts, final int threads)
    {
        final GroupResult[] partials = new GroupResult[parts.count()];
        Workers.forEach(threads, parts.count(), (final int p) ->
        {
            final GroupResult partial = query.newResult();
            query.scan(table, parts.start(p), parts.end(p), partial);
            partials[p] = partial;
        });
        final GroupResult result = query.newResult();
        for (final GroupResult partial : partials)
        {
            result.merge(partial);
        }
        return result;
    }
}
