package io.splitheap.samples.kvstore;

import io.splitheap.samples.support.SplitMix64;

/**
 * YCSB's zipfian generator (Gray et al., "Quickly generating billion-record synthetic databases"): item 0 is the
 * most popular, item {@code i} is drawn with probability proportional to {@code 1 / (i + 1)^theta}. The generator
 * holds no random state, so threads share it and pass their own {@link SplitMix64}. It uses {@link StrictMath} so
 * that every JDK draws the same items.
 */
public final class ZipfianGenerator
{
    /**
     * YCSB's default zipfian constant.
     */
    public static final double DEFAULT_THETA = 0.99;

    private static final int EXACT_TERMS = 10_000;

    private final long items;
    private final double zetaN;
    private final double alpha;
    private final double eta;
    private final double secondThreshold;

    /**
     * A generator over {@code [0, items)}.
     *
     * @param items number of items, at least one.
     * @param theta zipfian constant in (0, 1).
     */
    public ZipfianGenerator(final long items, final double theta)
    {
        if (items < 1 || !(theta > 0 && theta < 1))
        {
            throw new IllegalArgumentException("bad zipfian parameters: items=" + items + " theta=" + theta);
        }
        this.items = items;
        zetaN = zeta(items, theta);
        alpha = 1.0 / (1.0 - theta);
        final double zeta2 = zeta(2, theta);
        eta = (1 - StrictMath.pow(2.0 / items, 1 - theta)) / (1 - zeta2 / zetaN);
        secondThreshold = 1.0 + StrictMath.pow(0.5, theta);
    }

    /**
     * Draw an item.
     *
     * @param random source of randomness.
     * @return an item in {@code [0, items)}.
     */
    public long next(final SplitMix64 random)
    {
        final double u = random.nextDouble();
        final double uz = u * zetaN;
        if (uz < 1.0 || items == 1)
        {
            return 0;
        }
        if (uz < secondThreshold)
        {
            return 1;
        }
        final long item = (long)(items * StrictMath.pow(eta * u - eta + 1, alpha));
        return Math.min(item, items - 1);
    }

    /**
     * The generalised harmonic number {@code sum for i in 1..n of 1 / i^theta}: exact for the first 10,000 terms,
     * then the Euler-Maclaurin formula for the rest, so that large key spaces start quickly.
     *
     * @param n     number of terms.
     * @param theta exponent in (0, 1).
     * @return the sum.
     */
    static double zeta(final long n, final double theta)
    {
        final long exact = Math.min(n, EXACT_TERMS - 1);
        double sum = 0;
        for (long i = 1; i <= exact; i++)
        {
            sum += 1.0 / StrictMath.pow(i, theta);
        }
        if (n <= exact)
        {
            return sum;
        }
        final double m = EXACT_TERMS;
        final double x = n;
        final double integral = (StrictMath.pow(x, 1 - theta) - StrictMath.pow(m, 1 - theta)) / (1 - theta);
        final double ends = (StrictMath.pow(m, -theta) + StrictMath.pow(x, -theta)) / 2;
        final double slopes = theta * (StrictMath.pow(m, -theta - 1) - StrictMath.pow(x, -theta - 1)) / 12;
        return sum + integral + ends + slopes;
    }
}
