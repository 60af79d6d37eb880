package io.splitheap.samples.support;

/**
 * A primitive array of any length kept as chunk arrays of at most 64 MiB each, so that working sets of many GiB
 * fit (a Java array holds at most 2^31 - 1 elements) and the far-memory agent can spread the chunks over memory
 * nodes. Element {@code i} lives in chunk {@code i >>> shift} at {@code i & mask}; every chunk but the last is full.
 */
public interface ChunkedArray
{
    /**
     * Bytes in one full chunk.
     */
    int CHUNK_BYTES = 64 * 1024 * 1024;

    /**
     * Number of elements.
     *
     * @return the length.
     */
    long length();

    /**
     * Bytes of element data (headers not counted).
     *
     * @return length times the element size.
     */
    long bytes();

    /**
     * Number of chunk arrays.
     *
     * @return the chunk count.
     */
    int chunkCount();

    /**
     * Bytes of element data in one chunk.
     *
     * @param chunk index of the chunk.
     * @return the chunk's size in bytes.
     */
    long chunkBytes(int chunk);

    /**
     * Hash of every element of one chunk, in index order, with {@link Checksum#combine(long, long)}.
     *
     * @param chunk index of the chunk.
     * @return the chunk's hash.
     */
    long hashChunk(int chunk);

    /**
     * Number of chunks needed for {@code length} elements.
     *
     * @param length elements.
     * @param shift  log2 of the elements in a full chunk.
     * @return the chunk count.
     */
    static int chunkCount(final long length, final int shift)
    {
        if (length < 0)
        {
            throw new IllegalArgumentException("negative array length: length=" + length);
        }
        final long count = (length + (1L << shift) - 1) >>> shift;
        if (count > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("array too long: length=" + length);
        }
        return (int)count;
    }

    /**
     * Elements in chunk {@code chunk} of an array of {@code length} elements.
     *
     * @param length elements in the whole array.
     * @param shift  log2 of the elements in a full chunk.
     * @param chunk  index of the chunk.
     * @return the chunk's length.
     */
    static int chunkLength(final long length, final int shift, final int chunk)
    {
        return (int)Math.min(1L << shift, length - ((long)chunk << shift));
    }
}
