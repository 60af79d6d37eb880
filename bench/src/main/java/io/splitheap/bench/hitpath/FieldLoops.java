package io.splitheap.bench.hitpath;

/**
 * The loops the field benchmark measures, over objects with fields of one type. Implementations in
 * {@code io.splitheap.bench.objects} are plain Java; the benchmark runs each as compiled, as the agent rewrites it,
 * and as the agent rewrites it with the objects' class named by {@code far.classes=}.
 */
public interface FieldLoops
{
    /**
     * New objects, each with its fields set from its index.
     *
     * @param count objects.
     * @return an array of them.
     */
    Object newObjects(int count);

    /**
     * Sums one field of every object, in order.
     *
     * @param objects the array of objects.
     * @return the sum.
     */
    long read(Object objects);

    /**
     * Writes one field of every object, in order.
     *
     * @param objects the array of objects.
     * @param seed    mixed into the values.
     */
    void write(Object objects, long seed);
}
