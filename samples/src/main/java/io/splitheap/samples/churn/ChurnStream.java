package io.splitheap.samples.churn;

import io.splitheap.samples.support.Checksum;
import io.splitheap.samples.support.SplitMix64;

import java.util.ArrayDeque;

/**
 * One stream of the churn sample: allocates arrays of a random element type and a size between
 * {@link #MIN_BYTES} and {@link #MAX_BYTES} (log-uniform, at most half the stream's live set), writes one element
 * in every 4 KiB and a few at random, keeps the newest arrays alive while they fit in its share of the live set,
 * and before dropping the oldest reads every written element back (and some never written, which must be zero)
 * into its hash. So data must survive eviction and write-back while alive, and a range reused after an array died
 * must not show the old array's data.
 */
final class ChurnStream
{
    /**
     * Independent streams; threads share them out, so results do not depend on the thread count.
     */
    static final int STREAMS = 8;

    static final int MIN_BYTES = 64 * 1024;
    static final int MAX_BYTES = 16 * 1024 * 1024;
    private static final int STRIDE_BYTES = 4096;
    private static final int RANDOM_TOUCHES = 16;

    private final SplitMix64 random;
    private final long liveBytes;
    private final long volume;
    private final ArrayDeque<Object> live = new ArrayDeque<>();
    private final ArrayDeque<long[]> seeds = new ArrayDeque<>();
    private long hash = Checksum.SEED;
    private long arrays;
    private long liveNow;
    private long peakLive;

    ChurnStream(final long seed, final long liveBytes, final long volume)
    {
        this.random = new SplitMix64(seed);
        this.liveBytes = Math.max(MIN_BYTES, liveBytes);
        this.volume = volume;
    }

    void run()
    {
        long allocated = 0;
        while (allocated < volume)
        {
            final int bytes = size();
            final int kind = random.nextInt(4);
            final long seed = random.nextLong();
            while (!live.isEmpty() && liveNow + bytes > liveBytes)
            {
                drop();
            }
            final Object array = allocate(kind, bytes);
            write(array, seed);
            live.addLast(array);
            seeds.addLast(new long[]{seed});
            liveNow += bytes;
            peakLive = Math.max(peakLive, liveNow);
            allocated += bytes;
            arrays++;
        }
        while (!live.isEmpty())
        {
            drop();
        }
    }

    long hash()
    {
        return hash;
    }

    long arrays()
    {
        return arrays;
    }

    long peakLiveBytes()
    {
        return peakLive;
    }

    private int size()
    {
        final int minShift = 31 - Integer.numberOfLeadingZeros(MIN_BYTES);
        final int maxShift = Math.max(minShift + 1,
            31 - Integer.numberOfLeadingZeros((int)Math.min(MAX_BYTES, Math.max(MIN_BYTES, liveBytes / 2))));
        final int shift = minShift + random.nextInt(maxShift - minShift);
        return (1 << shift) + random.nextInt(1 << shift) / 8 * 8;
    }

    private static Object allocate(final int kind, final int bytes)
    {
        switch (kind)
        {
            case 0:
                return new long[bytes / Long.BYTES];
            case 1:
                return new int[bytes / Integer.BYTES];
            case 2:
                return new double[bytes / Double.BYTES];
            default:
                return new byte[bytes];
        }
    }

    private void drop()
    {
        final Object array = live.removeFirst();
        final long seed = seeds.removeFirst()[0];
        hash = Checksum.combine(hash, read(array, seed));
        liveNow -= bytes(array);
    }

    private static long bytes(final Object array)
    {
        if (array instanceof long[])
        {
            return ((long[])array).length * (long)Long.BYTES;
        }
        if (array instanceof int[])
        {
            return ((int[])array).length * (long)Integer.BYTES;
        }
        if (array instanceof double[])
        {
            return ((double[])array).length * (long)Double.BYTES;
        }
        return ((byte[])array).length;
    }

    private static void write(final Object array, final long seed)
    {
        final SplitMix64 values = new SplitMix64(seed);
        if (array instanceof long[])
        {
            final long[] a = (long[])array;
            for (int i = 0; i < a.length; i += STRIDE_BYTES / Long.BYTES)
            {
                a[i] = values.nextLong();
            }
            for (int k = 0; k < RANDOM_TOUCHES; k++)
            {
                a[values.nextInt(a.length)] += k;
            }
        }
        else if (array instanceof int[])
        {
            final int[] a = (int[])array;
            for (int i = 0; i < a.length; i += STRIDE_BYTES / Integer.BYTES)
            {
                a[i] = (int)values.nextLong();
            }
            for (int k = 0; k < RANDOM_TOUCHES; k++)
            {
                a[values.nextInt(a.length)] += k;
            }
        }
        else if (array instanceof double[])
        {
            final double[] a = (double[])array;
            for (int i = 0; i < a.length; i += STRIDE_BYTES / Double.BYTES)
            {
                a[i] = values.nextDouble();
            }
            for (int k = 0; k < RANDOM_TOUCHES; k++)
            {
                a[values.nextInt(a.length)] += k;
            }
        }
        else
        {
            final byte[] a = (byte[])array;
            for (int i = 0; i < a.length; i += STRIDE_BYTES)
            {
                a[i] = (byte)values.nextLong();
            }
            for (int k = 0; k < RANDOM_TOUCHES; k++)
            {
                a[values.nextInt(a.length)] += (byte)k;
            }
        }
    }

    /**
     * Hashes every element written (each stride element, and the random ones), and the element just after each
     * stride element, which was never written unless a random touch hit it and must otherwise be zero.
     */
    private static long read(final Object array, final long seed)
    {
        final SplitMix64 positions = new SplitMix64(seed ^ 0x9E3779B97F4A7C15L);
        long h = Checksum.SEED;
        if (array instanceof long[])
        {
            final long[] a = (long[])array;
            for (int i = 0; i < a.length; i += STRIDE_BYTES / Long.BYTES)
            {
                h = Checksum.combine(h, a[i]);
                h = Checksum.combine(h, i + 1 < a.length ? a[i + 1] : 0);
            }
            h = Checksum.combine(h, a[positions.nextInt(a.length)]);
        }
        else if (array instanceof int[])
        {
            final int[] a = (int[])array;
            for (int i = 0; i < a.length; i += STRIDE_BYTES / Integer.BYTES)
            {
                h = Checksum.combine(h, a[i]);
                h = Checksum.combine(h, i + 1 < a.length ? a[i + 1] : 0);
            }
            h = Checksum.combine(h, a[positions.nextInt(a.length)]);
        }
        else if (array instanceof double[])
        {
            final double[] a = (double[])array;
            for (int i = 0; i < a.length; i += STRIDE_BYTES / Double.BYTES)
            {
                h = Checksum.combine(h, a[i]);
                h = Checksum.combine(h, i + 1 < a.length ? a[i + 1] : 0.0);
            }
            h = Checksum.combine(h, a[positions.nextInt(a.length)]);
        }
        else
        {
            final byte[] a = (byte[])array;
            for (int i = 0; i < a.length; i += STRIDE_BYTES)
            {
                h = Checksum.combine(h, a[i]);
                h = Checksum.combine(h, i + 1 < a.length ? a[i + 1] : 0);
            }
            h = Checksum.combine(h, a[positions.nextInt(a.length)]);
        }
        return h;
    }
}
