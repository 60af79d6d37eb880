package io.splitheap.jcstress.farcells;

/**
 * Reads a cell's field from outside its class: a {@code getfield} that the rewriting turns into one far access.
 */
final class CellReader
{
    private CellReader()
    {
    }

    static long valueOf(final Cell cell)
    {
        return cell.value;
    }
}
