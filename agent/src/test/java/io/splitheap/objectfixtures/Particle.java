package io.splitheap.objectfixtures;

/**
 * A far class with a field of every primitive type, a final one, a volatile one, a static one and a reference.
 */
public class Particle
{
    static long created;

    double x;
    double y;
    long id;
    int count;
    float charge;
    short kind;
    char tag;
    byte flags;
    boolean alive;
    final double mass;
    volatile long version;
    String name;

    /**
     * A particle.
     *
     * @param id   its id.
     * @param mass its mass.
     */
    public Particle(final long id, final double mass)
    {
        this.id = id;
        this.mass = mass;
        this.alive = true;
        this.name = "p" + id;
        created++;
    }

    /**
     * A particle through another constructor.
     *
     * @param id its id.
     */
    public Particle(final long id)
    {
        this(id, id * 0.5);
    }

    /**
     * Moves the particle.
     *
     * @param dt time step.
     */
    public void move(final double dt)
    {
        x += dt * (id % 7);
        y -= dt * charge;
        count++;
        version++;
    }

    /**
     * Divides the count, after moving: throws with the object's block pinned when {@code by} is 0.
     *
     * @param by the divisor.
     * @return the new count.
     */
    public int divideCount(final int by)
    {
        x += 1;
        count = count / by;
        return count;
    }

    /**
     * Weighs the particle with a loop over an array: not pinned, so that the loop may run a line at a time.
     *
     * @param weights the weights to add.
     * @return the new position.
     */
    public double weigh(final double[] weights)
    {
        double total = 0;
        for (int i = 0; i < weights.length; i++)
        {
            total += weights[i];
        }
        x = total * mass;
        return x;
    }

    /**
     * Every field in one line.
     *
     * @return the values.
     */
    public String describe()
    {
        return name + " id=" + id + " x=" + x + " y=" + y + " count=" + count + " charge=" + charge + " kind=" + kind +
            " tag=" + (int)tag + " flags=" + flags + " alive=" + alive + " mass=" + mass + " version=" + version;
    }

    /**
     * An inner class that writes its outer object's fields.
     */
    public final class Kick
    {
        /**
         * Kicks.
         *
         * @param by amount.
         */
        public void apply(final double by)
        {
            x += by;
            count += 10;
        }
    }
}
