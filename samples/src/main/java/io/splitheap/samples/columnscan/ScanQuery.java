package io.splitheap.samples.columnscan;

/**
 * A query that scans a range of rows into a partial {@link GroupResult}.
 */
public interface ScanQuery
{
    /**
     * What the query computes, for the progress output.
     *
     * @return a short description with its parameters.
     */
    String describe();

    /**
     * An empty result of the query's shape.
     *
     * @return the result to scan into.
     */
    GroupResult newResult();

    /**
     * Scan rows {@code [first, end)}.
     *
     * @param table  to scan.
     * @param first  first row.
     * @param end    row after the last.
     * @param result to accumulate into.
     */
    void scan(Table table, long first, long end, GroupResult result);
}
