package io.splitheap.objectfixtures;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * Programs over objects of far classes, run rewritten and plain by {@code FarObjectsTest}; each returns a text the
 * two runs must agree on.
 */
public final class ObjectPrograms
{
    private ObjectPrograms()
    {
    }

    /**
     * Every field type written and read, from the class itself, an inner class, a lambda and this class.
     *
     * @return the values.
     */
    public static String everyType()
    {
        final long before = Particle.created;
        final Particle p = new Particle(12, 3.5);
        p.charge = -1.25f;
        p.kind = (short)-300;
        p.tag = '\uffee';
        p.flags = (byte)-7;
        p.move(0.5);
        p.move(0.25);
        p.new Kick().apply(2.0);
        final DoubleSupplier lambda = () -> p.x * 2 + p.y;
        p.alive = !p.alive;
        final Particle q = new Particle(5);
        q.id += 1L << 40;
        q.count = Integer.MIN_VALUE;
        q.x = Double.NaN;
        q.y = -0.0;
        return p.describe() + " lambda=" + lambda.getAsDouble() + " | " + q.describe() + " created=" +
            (Particle.created - before);
    }

    /**
     * Many objects, so that their field blocks span more lines than the ExCache holds.
     *
     * @param count objects.
     * @return a checksum of their fields after a few updates.
     */
    public static String many(final int count)
    {
        final List<Particle> particles = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            final Particle p = new Particle(i, i * 0.25);
            p.charge = i % 5;
            particles.add(p);
        }
        for (int step = 0; step < 3; step++)
        {
            for (final Particle p : particles)
            {
                p.move(0.1 * (step + 1));
            }
        }
        long hash = 17;
        for (final Particle p : particles)
        {
            hash = hash * 31 + Double.doubleToLongBits(p.x);
            hash = hash * 31 + Double.doubleToLongBits(p.y);
            hash = hash * 31 + p.count + p.id + (long)p.mass;
        }
        return "hash=" + hash;
    }

    /**
     * Short-lived far objects: creates many, keeping only the latest few alive.
     *
     * @param count  objects to create.
     * @param window how many stay alive at a time.
     * @return a checksum of their fields.
     */
    public static String churn(final int count, final int window)
    {
        final Particle[] live = new Particle[window];
        long hash = 17;
        for (int i = 0; i < count; i++)
        {
            final Particle p = new Particle(i, i * 0.5);
            p.move(0.25);
            final Particle old = live[i % window];
            if (old != null)
            {
                hash = hash * 31 + old.count + Double.doubleToLongBits(old.x) + (long)old.mass;
            }
            live[i % window] = p;
        }
        return "hash=" + hash;
    }

    /**
     * Constructors in both inheritance directions, with a superclass constructor that calls an override.
     *
     * @return the values.
     */
    public static String inheritance()
    {
        return new FarDerived().describe() + " | " + new PlainOfFar().describe() + " | " + new FarOfPlain().describe();
    }

    /**
     * Classes that are named but cannot move: reflection and clone work as without the agent.
     *
     * @return the values.
     * @throws Exception never.
     */
    public static String ineligible() throws Exception
    {
        final SerialFar serial = new SerialFar();
        final Field field = SerialFar.class.getDeclaredField("value");
        field.setLong(serial, field.getLong(serial) + 1);
        final CloneFar original = new CloneFar();
        final CloneFar copy = original.clone();
        copy.value++;
        final CloneOfFar far = new CloneOfFar();
        far.baseValue = 100;
        final CloneOfFar farCopy = far.clone();
        farCopy.baseValue++;
        farCopy.own++;
        far.seenBySuper = -1;
        final FarRecord record = new FarRecord(3, 4);
        return "serial=" + serial.value + " clone=" + original.value + "/" + copy.value + " record=" + record +
            " enum=" + FarEnum.TWO.weight + " recordFields=" + FarRecord.class.getDeclaredFields().length +
            " cloneOfFar=" + far.describe() + "/" + farCopy.describe();
    }

    /**
     * Exceptions thrown out of methods that pin their object's field block.
     *
     * @return the values.
     */
    public static String exceptionsInPinnedMethods()
    {
        final Particle p = new Particle(3, 1.0);
        p.count = 40;
        int caught = 0;
        for (int i = 0; i < 100; i++)
        {
            try
            {
                p.divideCount(i % 3 == 0 ? 0 : 1);
            }
            catch (final ArithmeticException ex)
            {
                caught++;
            }
        }
        p.move(0.5);
        return "caught=" + caught + " " + p.describe();
    }

    /**
     * Reflection on a field of a far class that stays on the heap (a reference), by name.
     *
     * @return its value, read and written by reflection.
     * @throws Exception never.
     */
    public static String reflectOnAHeapFieldOfAFarClass() throws Exception
    {
        final Particle p = new Particle(8, 2.0);
        final Field name = Particle.class.getDeclaredField("name");
        name.set(p, "renamed");
        return "name=" + name.get(p) + " " + p.describe();
    }

    /**
     * Reflection on a moved field of a far class, by name.
     *
     * @return never: the agent refuses it.
     * @throws Exception never.
     */
    public static String reflectOnAFarField() throws Exception
    {
        return "field=" + Particle.class.getDeclaredField("x");
    }

    /**
     * Reflection over a far class's fields.
     *
     * @return the number of fields, which the agent refuses to give.
     */
    public static String reflectOverFarFields()
    {
        return "fields=" + Particle.class.getDeclaredFields().length;
    }

    /**
     * Two threads writing different fields of one object at once.
     *
     * @param rounds increments per thread.
     * @return both fields.
     * @throws InterruptedException never.
     */
    public static String concurrentWriters(final int rounds) throws InterruptedException
    {
        final Particle p = new Particle(1, 1.0);
        final Thread counter = new Thread(() ->
        {
            for (int i = 0; i < rounds; i++)
            {
                p.count++;
            }
        });
        final Thread mover = new Thread(() ->
        {
            for (int i = 0; i < rounds; i++)
            {
                p.id += 3;
            }
        });
        counter.start();
        mover.start();
        counter.join();
        mover.join();
        return "count=" + p.count + " id=" + p.id;
    }
}
