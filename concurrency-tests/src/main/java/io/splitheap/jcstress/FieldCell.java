package io.splitheap.jcstress;

/**
 * What a jcstress test does with an object whose fields are far, implemented by a class loaded rewritten as the agent
 * rewrites it ({@link RewrittenCells}); this interface is outside the rewritten package, so the test's class and the
 * rewritten one share it.
 */
public interface FieldCell
{
    /**
     * A new cell of the same class, made by its rewritten constructor (which takes its far field block).
     *
     * @return the cell.
     */
    FieldCell fresh();

    /**
     * Stores into the cell's far field from a method of the cell's class that pins its block once.
     *
     * @param value the value.
     */
    void storeInPinnedMethod(long value);

    /**
     * Reads the field from another class, one access at a time.
     *
     * @return the value.
     */
    long readPerAccess();

    /**
     * Reads the field from a method of the cell's class that pins its block once.
     *
     * @return the value.
     */
    long readInPinnedMethod();
}
