package io.splitheap.samples.support;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChunksTest
{
    @Test
    void shouldKeepSmallArrayInOneExactChunk()
    {
        final IntChunks ints = new IntChunks(1000);
        assertEquals(1, ints.chunkCount());
        assertEquals(1000, ints.chunk(0).length);
        assertEquals(4000, ints.bytes());
    }

    @Test
    void shouldSplitAtSixtyFourMebibytesAndAddressAcrossTheBoundary()
    {
        final long length = (1L << LongChunks.SHIFT) + 5;
        final LongChunks longs = new LongChunks(length);
        assertEquals(2, longs.chunkCount());
        assertEquals(ChunkedArray.CHUNK_BYTES, longs.chunkBytes(0));
        assertEquals(5 * Long.BYTES, longs.chunkBytes(1));

        longs.set((1L << LongChunks.SHIFT) - 1, 7);
        longs.set(1L << LongChunks.SHIFT, 8);
        longs.set(length - 1, 9);
        assertEquals(7, longs.chunk(0)[LongChunks.MASK]);
        assertEquals(8, longs.chunk(1)[0]);
        assertEquals(9, longs.get(length - 1));
    }

    @Test
    void shouldUseSixtyFourMebibyteChunksForEveryType()
    {
        assertEquals(ChunkedArray.CHUNK_BYTES, (1L << IntChunks.SHIFT) * Integer.BYTES);
        assertEquals(ChunkedArray.CHUNK_BYTES, (1L << LongChunks.SHIFT) * Long.BYTES);
        assertEquals(ChunkedArray.CHUNK_BYTES, (1L << DoubleChunks.SHIFT) * Double.BYTES);
    }

    @Test
    void shouldHashDoublesByRawBits()
    {
        final DoubleChunks positive = new DoubleChunks(1);
        final DoubleChunks negative = new DoubleChunks(1);
        negative.set(0, -0.0);
        assertTrue(0.0 == negative.get(0));
        assertNotEquals(positive.hashChunk(0), negative.hashChunk(0));
    }

    @Test
    void shouldRejectNegativeLength()
    {
        assertThrows(IllegalArgumentException.class, () -> new IntChunks(-1));
    }
}
