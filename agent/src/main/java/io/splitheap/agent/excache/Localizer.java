package io.splitheap.agent.excache;

import io.splitheap.agent.events.LocalizationEvent;
import org.agrona.UnsafeApi;

/**
 * Moves a far array to a heap array of its own ("localizes" it), for uninstrumented code that must see the real
 * array (see the JDK boundary). Afterwards the placeholder stays the array's identity; accesses through it go to
 * the heap array, and the heap array is what uninstrumented code receives.
 * <p>
 * Lines move in batches of at most a quarter of the cache's frames (so that threads filling other lines still find
 * frames): each line of a batch is moved to {@code LOCALIZING}, so no new access to it starts. A store that had
 * already passed its line check may still be about to land in the frame: a global safepoint ({@link Handshake})
 * makes every hit-path writer's hazard visible, and the copy of a line waits until no hazard names its frame and no
 * pin holds it (a slow-path store, a chunked loop). Then the batch's lines say {@code LOCALIZED} and accesses go to
 * the heap array. The heap array is handed out (as {@code backing}) only once every line is in it.
 */
public final class Localizer
{
    private Localizer()
    {
    }

    /**
     * Localizes an array (idempotent).
     *
     * @param array the far array.
     * @return its heap array.
     */
    public static Object localize(final FarArray array)
    {
        Object backing = array.backing;
        if (backing != null)
        {
            return backing;
        }
        synchronized (array)
        {
            backing = array.backing;
            if (backing != null)
            {
                return backing;
            }
            final ExCache cache = array.cache;
            final Object heap = array.type.newHeapArray(array.length);
            array.heap = heap;
            final long bytes = (long)array.length << array.type.shift();
            final LocalizationEvent event = LocalizationEvent.begin(array.type.javaName(), bytes);
            final int batch = Math.max(1, cache.frameCount() / 4);
            final LineTable lines = array.lines;
            final long[] saved = new long[Math.min(batch, lines.lineCount())];
            for (int first = 0; first < lines.lineCount(); first += batch)
            {
                final int count = Math.min(batch, lines.lineCount() - first);
                for (int i = 0; i < count; i++)
                {
                    saved[i] = claim(cache, array, first + i);
                }
                cache.handshake();
                for (int i = 0; i < count; i++)
                {
                    if (saved[i] > 0)
                    {
                        cache.awaitWriters(array, first + i, LineState.frame(saved[i]));
                    }
                    copyLine(cache, array, first + i, saved[i], heap, bytes);
                    lines.entry(first + i, LineState.LOCALIZED);
                    if (saved[i] > 0)
                    {
                        cache.releaseFrameOf(saved[i]);
                    }
                }
            }
            array.backing = heap;
            cache.stats().localizations.incrementAndGet();
            event.commit();
            return heap;
        }
    }

    private static long claim(final ExCache cache, final FarArray array, final int line)
    {
        while (true)
        {
            final long entry = array.lines.entry(line);
            if (entry == LineState.LOADING || entry == LineState.EVICTING)
            {
                cache.awaitChange(array, line, entry);
                continue;
            }
            if (array.lines.cas(line, entry, LineState.LOCALIZING))
            {
                return LineState.disarm(entry);
            }
        }
    }

    private static void copyLine(
        final ExCache cache,
        final FarArray array,
        final int line,
        final long entry,
        final Object backing,
        final long arrayBytes)
    {
        final long offset = (long)line << cache.lineShift();
        final long chunk = Math.min(cache.lineSize(), arrayBytes - offset);
        final long target = array.type.baseOffset() + offset;
        if (entry > 0)
        {
            UnsafeApi.copyMemory(null, cache.frameAddress(LineState.frame(entry)), backing, target, chunk);
        }
        else if (entry == LineState.EVICTED)
        {
            final long buffer = UnsafeApi.allocateMemory(cache.lineSize());
            try
            {
                final long lineAddress = array.lines.lineAddress(line);
                if (!cache.writeBacks().copyIfPending(lineAddress, buffer))
                {
                    cache.backend().readLine(lineAddress, buffer, cache.lineSize());
                }
                UnsafeApi.copyMemory(null, buffer, backing, target, chunk);
            }
            finally
            {
                UnsafeApi.freeMemory(buffer);
            }
        }
    }
}
