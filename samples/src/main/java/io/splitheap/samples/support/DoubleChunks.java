package io.splitheap.samples.support;

/**
 * A {@code double} array of any length as chunks of at most 64 MiB (2^23 elements). Values are hashed as {@link Double#doubleToRawLongBits(double)}.
 * <p>
 * Hot loops should take a chunk with {@link #chunk(int)} and walk it directly; {@link #get(long)} and
 * {@link #set(long, double)} are for random access.
 */
public final class DoubleChunks implements ChunkedArray
{
    /**
     * log2 of the elements in a full chunk.
     */
    public static final int SHIFT = 23;

    /**
     * Mask of an element's index within its chunk.
     */
    public static final int MASK = (1 << SHIFT) - 1;

    private final double[][] chunks;
    private final long length;

    /**
     * Allocate a zeroed array.
     *
     * @param length number of elements.
     */
    public DoubleChunks(final long length)
    {
        final int count = ChunkedArray.chunkCount(length, SHIFT);
        this.length = length;
        chunks = new double[count][];
        for (int i = 0; i < count; i++)
        {
            chunks[i] = new double[ChunkedArray.chunkLength(length, SHIFT, i)];
        }
    }

    /**
     * Element at an index.
     *
     * @param index of the element.
     * @return its value.
     */
    public double get(final long index)
    {
        return chunks[(int)(index >>> SHIFT)][(int)index & MASK];
    }

    /**
     * Set the element at an index.
     *
     * @param index of the element.
     * @param value to store.
     */
    public void set(final long index, final double value)
    {
        chunks[(int)(index >>> SHIFT)][(int)index & MASK] = value;
    }

    /**
     * One chunk array, for sequential loops.
     *
     * @param chunk index of the chunk.
     * @return the array holding elements {@code chunk << SHIFT} onwards.
     */
    public double[] chunk(final int chunk)
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
        return length * Double.BYTES;
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
        return (long)chunks[chunk].length * Double.BYTES;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public long hashChunk(final int chunk)
    {
        long hash = Checksum.SEED;
        for (final double value : chunks[chunk])
        {
            hash = Checksum.combine(hash, Double.doubleToRawLongBits(value));
        }
        return hash;
    }
}
