package io.splitheap.samples.particles;

import io.splitheap.samples.support.Checksum;

/**
 * One particle: position, velocity, mass and counters, all primitive fields, the shape far.classes= moves to far
 * memory (72 bytes of fields in 9 of its 8-byte slots).
 */
public final class Particle
{
    /**
     * Half the width of the box the particles bounce in.
     */
    public static final double BOX = 1000.0;

    private double x;
    private double y;
    private double z;
    private double vx;
    private double vy;
    private double vz;
    private final double mass;
    private long bounces;
    private int cell;

    /**
     * A particle.
     *
     * @param x    position.
     * @param y    position.
     * @param z    position.
     * @param vx   velocity.
     * @param vy   velocity.
     * @param vz   velocity.
     * @param mass mass, greater than 0.
     */
    public Particle(
        final double x, final double y, final double z, final double vx, final double vy, final double vz,
        final double mass)
    {
        this.x = x;
        this.y = y;
        this.z = z;
        this.vx = vx;
        this.vy = vy;
        this.vz = vz;
        this.mass = mass;
    }

    /**
     * One time step: a pull towards the centre and a drag that depend on the mass, then motion, bouncing off the
     * walls of the box, and the cell of a 16x16x16 grid the particle ends in.
     *
     * @param dt time step.
     */
    public void step(final double dt)
    {
        final double pull = -0.01 / mass;
        vx = (vx + pull * x * dt) * 0.999;
        vy = (vy + pull * y * dt) * 0.999;
        vz = (vz + pull * z * dt - 0.981 * dt) * 0.999;
        x += vx * dt;
        y += vy * dt;
        z += vz * dt;
        if (x > BOX || x < -BOX)
        {
            vx = -vx;
            x = Math.copySign(BOX, x);
            bounces++;
        }
        if (y > BOX || y < -BOX)
        {
            vy = -vy;
            y = Math.copySign(BOX, y);
            bounces++;
        }
        if (z > BOX || z < -BOX)
        {
            vz = -vz;
            z = Math.copySign(BOX, z);
            bounces++;
        }
        cell = cellOf(x) << 8 | cellOf(y) << 4 | cellOf(z);
    }

    /**
     * Folds every field into a running hash.
     *
     * @param hash the running hash.
     * @return the new one.
     */
    public long hash(final long hash)
    {
        long h = hash;
        h = Checksum.combine(h, x);
        h = Checksum.combine(h, y);
        h = Checksum.combine(h, z);
        h = Checksum.combine(h, vx);
        h = Checksum.combine(h, vy);
        h = Checksum.combine(h, vz);
        h = Checksum.combine(h, mass);
        h = Checksum.combine(h, bounces);
        return Checksum.combine(h, cell);
    }

    /**
     * Bounces off the walls so far.
     *
     * @return the count.
     */
    public long bounces()
    {
        return bounces;
    }

    private static int cellOf(final double position)
    {
        return Math.min(15, (int)((position + BOX) * 8 / BOX));
    }
}
