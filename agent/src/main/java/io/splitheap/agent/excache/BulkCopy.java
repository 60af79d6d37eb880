package io.splitheap.agent.excache;

import org.agrona.UnsafeApi;

/**
 * Copies between far arrays and heap memory a line at a time, so that copying, cloning or sorting a far array
 * needs one line of local memory however large the array is. Reads validate each chunk like the hit path; writes
 * pin the frame like a slow-path store.
 */
public final class BulkCopy
{
    private BulkCopy()
    {
    }

    /**
     * Copies bytes out of a far array.
     *
     * @param source       the far array.
     * @param sourceOffset byte offset in it.
     * @param target       heap array, or null for a native address.
     * @param targetOffset offset in the heap array (including its base offset) or a native address.
     * @param bytes        how many.
     */
    public static void copyOut(
        final FarArray source, final long sourceOffset, final Object target, final long targetOffset, final long bytes)
    {
        final ExCache cache = source.cache;
        final int lineShift = cache.lineShift();
        final long lineMask = cache.lineSize() - 1;
        long done = 0;
        while (done < bytes)
        {
            final long offset = sourceOffset + done;
            final int line = (int)(offset >>> lineShift);
            final long chunk = Math.min(bytes - done, cache.lineSize() - (offset & lineMask));
            while (true)
            {
                final long entry = cache.resolveRead(source, line);
                if (entry == LineState.LOCALIZED)
                {
                    UnsafeApi.copyMemory(source.heap, source.type.baseOffset() + offset, target,
                        targetOffset + done, chunk);
                    break;
                }
                if (entry == LineState.UNTOUCHED)
                {
                    UnsafeApi.setMemory(target, targetOffset + done, chunk, (byte)0);
                    break;
                }
                UnsafeApi.copyMemory(null, source.lines.frameAddress(entry, offset), target, targetOffset + done,
                    chunk);
                UnsafeApi.loadFence();
                if (source.lines.entry(line) == entry)
                {
                    break;
                }
            }
            done += chunk;
        }
    }

    /**
     * Copies bytes into a far array.
     *
     * @param source       heap array, or null for a native address.
     * @param sourceOffset offset in the heap array (including its base offset) or a native address.
     * @param target       the far array.
     * @param targetOffset byte offset in it.
     * @param bytes        how many.
     */
    public static void copyIn(
        final Object source, final long sourceOffset, final FarArray target, final long targetOffset, final long bytes)
    {
        final ExCache cache = target.cache;
        final int lineShift = cache.lineShift();
        final long lineMask = cache.lineSize() - 1;
        long done = 0;
        while (done < bytes)
        {
            final long offset = targetOffset + done;
            final int line = (int)(offset >>> lineShift);
            final long chunk = Math.min(bytes - done, cache.lineSize() - (offset & lineMask));
            final long entry = cache.pinForWrite(target, line);
            if (entry == LineState.LOCALIZED)
            {
                UnsafeApi.copyMemory(source, sourceOffset + done, target.heap, target.type.baseOffset() + offset,
                    chunk);
            }
            else
            {
                try
                {
                    UnsafeApi.copyMemory(source, sourceOffset + done, null, target.lines.frameAddress(entry, offset),
                        chunk);
                }
                finally
                {
                    cache.unpin(entry);
                }
            }
            done += chunk;
        }
    }

    /**
     * Copies bytes between far arrays (possibly the same one, overlapping) through a one-line buffer.
     *
     * @param source       source array.
     * @param sourceOffset byte offset in it.
     * @param target       target array.
     * @param targetOffset byte offset in it.
     * @param bytes        how many.
     */
    public static void copyFarToFar(
        final FarArray source,
        final long sourceOffset,
        final FarArray target,
        final long targetOffset,
        final long bytes)
    {
        final int chunkSize = source.cache.lineSize();
        final byte[] buffer = new byte[(int)Math.min(bytes, chunkSize)];
        final long base = UnsafeApi.arrayBaseOffset(byte[].class);
        final boolean backwards =
            source == target && targetOffset > sourceOffset && targetOffset < sourceOffset + bytes;
        long remaining = bytes;
        while (remaining > 0)
        {
            final long chunk = Math.min(remaining, chunkSize);
            final long at = backwards ? remaining - chunk : bytes - remaining;
            copyOut(source, sourceOffset + at, buffer, base, chunk);
            copyIn(buffer, base, target, targetOffset + at, chunk);
            remaining -= chunk;
        }
    }
}
