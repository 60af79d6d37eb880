package io.splitheap.samples.columnscan;

import io.splitheap.samples.support.Hashing;
import io.splitheap.samples.support.Partitions;
import io.splitheap.samples.support.Workers;

/**
 * Fills a table with sales. Every value is a function of the seed and the row number, so the table is the same for
 * any thread count; threads fill contiguous row ranges front to back.
 */
public final class TableGenerator
{
    /**
     * Timestamp of row 0: 2023-11-14T22:13:20Z.
     */
    public static final long START_MILLIS = 1_700_000_000_000L;

    /**
     * Milliseconds between consecutive rows, on average.
     */
    public static final long MILLIS_PER_ROW = 1000;

    private TableGenerator()
    {
    }

    /**
     * Fill every column but revenue.
     *
     * @param table   to fill.
     * @param seed    of the data.
     * @param threads to fill with.
     */
    public static void fill(final Table table, final long seed, final int threads)
    {
        final long rowSeed = Hashing.streamSeed(seed, -4);
        final long idSalt = Hashing.streamSeed(seed, -5);
        final Partitions parts = Partitions.of(table.rows(), 4096, 4096);
        Workers.forEach(threads, parts.count(), (final int p) ->
        {
            for (long row = parts.start(p), end = parts.end(p); row < end; row++)
            {
                final long a = Hashing.mix64(rowSeed + row * Hashing.GOLDEN);
                final long b = Hashing.mix64(a ^ rowSeed);
                table.ids().set(row, Hashing.mix64(row ^ idSalt));
                table.categories().set(row, (int)(((a & 0xFFFF) * ((a >>> 16) & 0xFFFF)) >>> 27));
                table.regions().set(row, (int)((a >>> 32) & (Table.REGIONS - 1)));
                table.prices().set(row, (100 + Long.remainderUnsigned(a >>> 35, 99_901)) / 100.0);
                table.quantities().set(row, (double)(1 + (b & 63)));
                table.timestamps().set(row, START_MILLIS + row * MILLIS_PER_ROW + ((b >>> 6) & 511));
            }
        });
    }
}
