package io.splitheap.samples.particles;

import io.splitheap.samples.OptionSpec;
import io.splitheap.samples.Sample;
import io.splitheap.samples.SampleOptions;
import io.splitheap.samples.SampleResult;
import io.splitheap.samples.support.Checksum;
import io.splitheap.samples.support.Partitions;
import io.splitheap.samples.support.SplitMix64;
import io.splitheap.samples.support.Workers;

import java.io.PrintStream;
import java.util.List;

/**
 * A particle simulation over millions of small objects: {@link Particle}s with nine primitive fields each, held in a
 * plain {@code Particle[]}, moved step by step. The working set is the particles' field bytes (72 each), which is
 * what {@code far.classes=io.splitheap.samples.particles.*} moves to far memory; ops counts particle steps.
 */
public final class ParticlesSample implements Sample
{
    /**
     * Time steps of the measured phase.
     */
    public static final String STEPS = "--steps";

    /**
     * Default of {@link #STEPS}.
     */
    public static final int STEPS_DEFAULT = 10;

    /**
     * Bytes of fields per particle: seven doubles, a long and an int, in 8-byte slots.
     */
    public static final long FIELD_BYTES = 72;

    private static final int PARTS = 64;
    private static final double DT = 0.05;
    private static final double SPEED = 200;

    /**
     * {@inheritDoc}
     */
    @Override
    public String name()
    {
        return "particles";
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public String summary()
    {
        return "a particle simulation over millions of objects with primitive fields (far.classes=)";
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public List<OptionSpec> options()
    {
        return List.of(new OptionSpec(STEPS, "N", "time steps to simulate, 1 to 100000 (default 10)"));
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public SampleResult run(final SampleOptions options, final PrintStream out)
    {
        final int steps = (int)options.longOption(STEPS, STEPS_DEFAULT, 1, 100_000);
        final long count = Math.max(1, options.workingSet() / FIELD_BYTES);
        if (count > Integer.MAX_VALUE - 8)
        {
            throw new IllegalArgumentException("too many particles for one array: " + count);
        }
        out.println(options.describe() + " steps=" + steps + " particles=" + count);

        final long generateStart = System.nanoTime();
        final Particle[] particles = new Particle[(int)count];
        final Partitions parts = Partitions.of(count, PARTS, 1024);
        Workers.forEach(options.threads(), parts.count(), part ->
        {
            final SplitMix64 random = new SplitMix64(options.seed() + part);
            for (long i = parts.start(part); i < parts.end(part); i++)
            {
                particles[(int)i] = new Particle(spread(random), spread(random), spread(random),
                    speed(random), speed(random), speed(random), 0.5 + random.nextDouble());
            }
        });
        out.println("created particles=" + count + " field_bytes=" + count * FIELD_BYTES + " in " +
            SampleResult.seconds(System.nanoTime() - generateStart) + " s");

        final long start = System.nanoTime();
        for (int step = 0; step < steps; step++)
        {
            Workers.forEach(options.threads(), parts.count(), part ->
            {
                final int end = (int)parts.end(part);
                for (int i = (int)parts.start(part); i < end; i++)
                {
                    particles[i].step(DT);
                }
            });
        }
        final long nanos = System.nanoTime() - start;

        final long[] partHashes = new long[parts.count()];
        final long[] partBounces = new long[parts.count()];
        Workers.forEach(options.threads(), parts.count(), part ->
        {
            long hash = Checksum.SEED;
            long bounces = 0;
            for (int i = (int)parts.start(part); i < (int)parts.end(part); i++)
            {
                hash = particles[i].hash(hash);
                bounces += particles[i].bounces();
            }
            partHashes[part] = hash;
            partBounces[part] = bounces;
        });
        long hash = Checksum.combine(Checksum.SEED, count);
        long bounces = 0;
        for (int part = 0; part < parts.count(); part++)
        {
            hash = Checksum.combine(hash, partHashes[part]);
            bounces += partBounces[part];
        }
        out.println("simulated steps=" + steps + " bounces=" + bounces);
        return new SampleResult(name(), Checksum.finish(hash), nanos, count * steps);
    }

    private static double speed(final SplitMix64 random)
    {
        return (random.nextDouble() * 2 - 1) * SPEED;
    }

    private static double spread(final SplitMix64 random)
    {
        return (random.nextDouble() * 2 - 1) * Particle.BOX;
    }
}
