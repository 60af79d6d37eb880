package io.splitheap.samples.support;

/**
 * A {@code int} array of any length as chunks of at most 64 MiB (2^24 elements).
 * <p>
 * Hot loops should take a chunk with {@link #chunk(int)} and walk it directly; {@link #get(long)} and
 * {@link #set(long, int)} are for random access.
 */
public final class IntChunks implements ChunkedArray
{
    /**
     * log2 of the elements in a full chunk.
     */
    public static final int SHIFT = 24;

    /**
     * Mask of an element's index within its chunk.
     */
    public static final int MASK = (1 << SHIFT) - 1;

    private final int[][] chunks;
    private final long length;

    /**
     * Allocate a zeroed array.
     *
     * @param length number of elements.
     */
    public IntChunks(final long length)
    {
        final int count = ChunkedArray.chunkCount(length, SHIFT);
        this.length = length;
        chunks = new int[count][];
        for (int i = 0; i < count; i++)
        {
            chunks[i] = new int[ChunkedArray.chunkLength(length, SHIFT, i)];
        }
    }

    /**
     * Element at an index.
     *
     * @param index of the element.
     * @return its value.
     */
    public int get(final long index)
    {
        return chunks[(int)(index >>> SHIFT)][(int)index & MASK];
    }

    /**
     * Set the element at an index.
     *
     * @param index of the element.
     * @param value to store.
     */
    public void set(final long index, final int value)
    {
        chunks[(int)(index >>> SHIFT)][(int)index & MASK] = value;
    }

    /**
     * One chunk array, for sequential loops.
     *
     * @param chunk index of the chunk.
     * @return the array holding elements {@code chunk << SHIFT} onwards.
     */
    public int[] chunk(final int chunk)
    {
        return chunks[chunk];
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public long length()
    {
        return length;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public long bytes()
    {
        return length * Integer.BYTES;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int chunkCount()
    {
        return chunks.length;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public long chunkBytes(final int chunk)
    {
        return (long)chunks[chunk].length * Integer.BYTES;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public long hashChunk(final int chunk)
    {
        long hash = Checksum.SEED;
        for (final int value : chunks[chunk])
        {
            hash = Checksum.combine(hash, value);
        }
        return hash;
    }
}
