package io.splitheap.agent.excache;

/**
 * Encoding of a per-array line-table entry. One {@code long} per line of a far array says where the line is, and
 * doubles as the seqlock of readers: a reader reads the entry, reads the frame, and accepts the value only if the
 * entry is unchanged. A frame is never reused for another line without the entry changing first, and every mapping
 * carries a fresh generation, so an unchanged entry means the frame still held this line.
 * <pre>
 *   resident:  | 0 | generation (30 bits) | dirty (1 bit) | frame + 1 (32 bits) |   (always &gt; 0)
 *   UNTOUCHED  0   never written: reads as zeros, no frame, no round trip
 *   EVICTED   -1   written before; the data is on its memory node or in the write-back buffer
 *   LOADING   -2   a thread (or a prefetch) is filling a frame for it
 *   EVICTING  -3   the evictor is taking its frame
 *   LOCALIZING -4  the array is moving to a heap array (see the JDK boundary)
 *   LOCALIZED -5   the array lives in its heap backing array now
 *   DEAD      -6   the array was freed
 * </pre>
 */
public final class LineState
{
    /**
     * Never written.
     */
    public static final long UNTOUCHED = 0;

    /**
     * Not resident; data is remote or in the write-back buffer.
     */
    public static final long EVICTED = -1;

    /**
     * Being filled.
     */
    public static final long LOADING = -2;

    /**
     * Being evicted.
     */
    public static final long EVICTING = -3;

    /**
     * Being moved to the heap.
     */
    public static final long LOCALIZING = -4;

    /**
     * Lives in the heap backing array.
     */
    public static final long LOCALIZED = -5;

    /**
     * Freed.
     */
    public static final long DEAD = -6;

    /**
     * Dirty flag of a resident entry: the frame holds writes not yet written back.
     */
    public static final long DIRTY = 1L << 32;

    /**
     * Mask of frame + 1 in a resident entry.
     */
    public static final long FRAME_MASK = 0xFFFF_FFFFL;

    /**
     * Shift of the generation in a resident entry.
     */
    public static final int GENERATION_SHIFT = 33;

    /**
     * Largest generation before it wraps (wrapping is harmless after 2^30 mappings of a frame).
     */
    public static final long GENERATION_MASK = (1L << 30) - 1;

    /**
     * Set on a resident entry to make it a readahead trigger: the hit path sees a negative entry and takes the slow
     * path once, which clears the bit and fetches the next window of the stream ({@code ExCache}). Armed entries are
     * at most {@code -2^31}, far from the small negative states.
     */
    public static final long ARMED = Long.MIN_VALUE;

    private LineState()
    {
    }

    /**
     * A resident entry.
     *
     * @param generation mapping generation.
     * @param frame      frame index.
     * @param dirty      whether it holds unwritten-back data.
     * @return the entry.
     */
    public static long resident(final long generation, final int frame, final boolean dirty)
    {
        return ((generation & GENERATION_MASK) << GENERATION_SHIFT) | (dirty ? DIRTY : 0) | (frame + 1L);
    }

    /**
     * How many fills ago a resident entry was filled, given the generation of the latest fill (modulo the
     * generation's 30 bits).
     *
     * @param entry  a resident entry.
     * @param latest the latest generation.
     * @return fills since.
     */
    public static long age(final long entry, final long latest)
    {
        return (latest - (entry >>> GENERATION_SHIFT)) & GENERATION_MASK;
    }

    /**
     * Whether an entry is a resident one armed as a readahead trigger.
     *
     * @param entry an entry.
     * @return true when armed.
     */
    public static boolean isArmed(final long entry)
    {
        return entry < Integer.MIN_VALUE;
    }

    /**
     * The resident entry behind an armed one; any other entry unchanged.
     *
     * @param entry an entry.
     * @return the entry without the trigger.
     */
    public static long disarm(final long entry)
    {
        return isArmed(entry) ? entry & ~ARMED : entry;
    }

    /**
     * The frame of a resident entry.
     *
     * @param entry a resident entry.
     * @return frame index.
     */
    public static int frame(final long entry)
    {
        return (int)((entry & FRAME_MASK) - 1);
    }

    /**
     * Whether a resident entry is dirty.
     *
     * @param entry a resident entry.
     * @return true if dirty.
     */
    public static boolean isDirty(final long entry)
    {
        return (entry & DIRTY) != 0;
    }

    /**
     * Names an entry for diagnostics.
     *
     * @param entry the entry.
     * @return a short description.
     */
    public static String describe(final long entry)
    {
        if (entry > 0)
        {
            return "resident(frame=" + frame(entry) + (isDirty(entry) ? ",dirty" : "") + ")";
        }
        switch ((int)entry)
        {
            case 0:
                return "untouched";
            case -1:
                return "evicted";
            case -2:
                return "loading";
            case -3:
                return "evicting";
            case -4:
                return "localizing";
            case -5:
                return "localized";
            default:
                return "dead";
        }
    }
}
