package io.splitheap.bench.hitpath;

/**
 * The loops the hit-path benchmark measures, over one element type. Implementations in
 * {@code io.splitheap.bench.loops} are plain Java, written as an application would write them; the benchmark runs
 * each twice, as compiled and as the agent rewrites it.
 */
public interface ArrayLoops
{
    /**
     * A new array of this type.
     *
     * @param length elements.
     * @return the array.
     */
    Object newArray(int length);

    /**
     * Sums every element in index order.
     *
     * @param array the array.
     * @return the sum.
     */
    long sequentialRead(Object array);

    /**
     * Writes every element in index order.
     *
     * @param array the array.
     * @param seed  mixed into the values.
     */
    void sequentialWrite(Object array, int seed);

    /**
     * Sums the elements at the given indexes.
     *
     * @param array   the array.
     * @param indexes where to read.
     * @return the sum.
     */
    long randomRead(Object array, int[] indexes);

    /**
     * Writes the elements at the given indexes.
     *
     * @param array   the array.
     * @param indexes where to write.
     * @param seed    mixed into the values.
     */
    void randomWrite(Object array, int[] indexes, int seed);
}
