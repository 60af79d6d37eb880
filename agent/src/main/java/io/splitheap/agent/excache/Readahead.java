package io.splitheap.agent.excache;

import io.splitheap.agent.backend.PageBackend;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sequential readahead, as the Linux page cache does it: a miss whose previous line was filled a moment ago (among the
 * last {@link #RECENT_FILLS} fills) or is on its way starts a stream and fetches a window after it. Every line
 * fetched at a multiple of half a window is published armed ({@link LineState#ARMED}); the access that finds a line
 * armed tops the stream up to two windows ahead of itself, half a window (one request) at a time, so about two windows
 * are in flight while the program works through the lines before them. (Arming the first line of every fetch instead
 * would let a stream decay into one-line requests: each trigger would fetch just the one line past the last.) Streams
 * are detected from the line table alone, so threads sweeping neighbouring partitions of one array do not disturb each
 * other, and random access (whose previous line, if cached at all, was filled long ago) starts none. Consecutive
 * lines go to the backend as one request ({@link PageBackend#readLinesAsync}), which splits it at vRegions and at the
 * largest request. Lines in flight are bounded ({@link PageBackend#readaheadBudgetBytes}): replies nobody has polled
 * yet must not fill the transport's window.
 */
final class Readahead
{
    static final int RECENT_FILLS = 256;

    private final AtomicInteger inFlight = new AtomicInteger();
    private final int maxInFlight;
    private final int spacing;
    private final Frames frames;
    private final WriteBacks writeBacks;
    private final PageBackend backend;
    private final CacheStats stats;
    private final int window;
    private final int lineSize;

    /**
     * Readahead for one cache.
     *
     * @param frames     the cache's frames.
     * @param writeBacks lines on their way to the nodes, read before the nodes.
     * @param backend    where lines live.
     * @param stats      counters.
     * @param window     lines per window (0 disables readahead).
     * @param lineSize   line size in bytes.
     */
    Readahead(
        final Frames frames,
        final WriteBacks writeBacks,
        final PageBackend backend,
        final CacheStats stats,
        final int window,
        final int lineSize)
    {
        this.frames = frames;
        this.writeBacks = writeBacks;
        this.backend = backend;
        this.stats = stats;
        this.window = window;
        this.lineSize = lineSize;
        this.spacing = Math.max(1, window / 2);
        this.maxInFlight = (int)Math.max(window, Math.min(1 << 20, backend.readaheadBudgetBytes() / lineSize));
    }

    /**
     * After a miss on {@code line}: starts a stream if the line before it was filled a moment ago (or is on its way).
     *
     * @param array the array.
     * @param line  the line that missed.
     */
    void afterMiss(final FarArray array, final int line)
    {
        if (window > 0 && line > 0 && isRecentOrComing(array.lines.entry(line - 1)))
        {
            fetch(array, line + 1, window);
        }
    }

    /**
     * After an access found {@code line} armed (and disarmed it): fetches the next window of its stream.
     *
     * @param array the array.
     * @param line  the armed line.
     */
    void onTrigger(final FarArray array, final int line)
    {
        fetch(array, line + 1, 2 * window);
    }

    private boolean isRecentOrComing(final long entry)
    {
        final long resident = LineState.disarm(entry);
        return entry == LineState.LOADING ||
            resident > 0 && LineState.age(resident, frames.generation()) < RECENT_FILLS;
    }

    /**
     * Fetches the evicted lines among {@code count} lines from {@code from}, consecutive ones in one request, and arms
     * those at a multiple of {@link #spacing}. Lines already cached or on their way are skipped; it stops at the first frame that cannot be had without waiting, or when the budget of lines in flight
     * is spent.
     */
    private void fetch(final FarArray array, final int from, final int count)
    {
        final LineTable table = array.lines;
        final int end = Math.min(table.lineCount(), from + count);
        int line = from;
        while (line < end)
        {
            if (table.entry(line) != LineState.EVICTED)
            {
                line++;
                continue;
            }
            final int room = Math.min(end - line, maxInFlight - inFlight.get());
            if (room <= 0)
            {
                return;
            }
            final int first = line;
            final long[] frameAddresses = new long[room];
            final int[] frameIndexes = new int[room];
            int taken = 0;
            boolean stop = false;
            while (taken < room && table.entry(line) == LineState.EVICTED &&
                table.cas(line, LineState.EVICTED, LineState.LOADING))
            {
                final int frame = frames.allocate();
                if (frame < 0)
                {
                    table.entry(line, LineState.EVICTED);
                    stop = true;
                    break;
                }
                final long frameAddress = frames.frameAddress(frame);
                stats.prefetches.incrementAndGet();
                if (writeBacks.copyIfPending(table.lineAddress(line), frameAddress))
                {
                    // its newest data is still in the write-back buffer: ends the run of lines read from the node
                    table.entry(line, arm(frames.map(array, line, frame, false, true), isSpaced(line)));
                    line++;
                    break;
                }
                frameAddresses[taken] = frameAddress;
                frameIndexes[taken++] = frame;
                line++;
            }
            if (taken > 0)
            {
                stop |= !send(array, first, taken, frameAddresses, frameIndexes);
            }
            if (stop)
            {
                return;
            }
        }
    }

    private boolean send(
        final FarArray array,
        final int first,
        final int count,
        final long[] frameAddresses,
        final int[] frameIndexes)
    {
        final LineTable table = array.lines;
        inFlight.addAndGet(count);
        stats.readaheadRequests.incrementAndGet();
        final boolean started = backend.readLinesAsync(table.lineAddress(first), frameAddresses, count, lineSize,
            error ->
            {
                inFlight.addAndGet(-count);
                for (int i = 0; i < count; i++)
                {
                    if (error == null)
                    {
                        final long entry = frames.map(array, first + i, frameIndexes[i], false, true);
                        table.entry(first + i, arm(entry, isSpaced(first + i)));
                    }
                    else
                    {
                        frames.release(frameIndexes[i]);
                        table.entry(first + i, LineState.EVICTED);
                    }
                }
            });
        if (!started)
        {
            inFlight.addAndGet(-count);
            for (int i = 0; i < count; i++)
            {
                frames.release(frameIndexes[i]);
                table.entry(first + i, LineState.EVICTED);
            }
        }
        return started;
    }

    private boolean isSpaced(final int line)
    {
        return line % spacing == 0;
    }

    private static long arm(final long entry, final boolean arm)
    {
        return arm ? entry | LineState.ARMED : entry;
    }
}
