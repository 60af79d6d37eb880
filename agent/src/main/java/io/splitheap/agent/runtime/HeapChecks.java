package io.splitheap.agent.runtime;

/**
 * The exceptions of a failing heap array access, built explicitly with the JVM's messages. The slow path of every
 * rewritten access ({@code FarAccess.*Far}) is shared by all sites, so the JIT soon sees its implicit null and range
 * checks fail often and replaces them with preallocated exceptions that have neither message nor stack trace
 * ({@code -XX:+OmitStackTraceInFastThrow}); the program's own access would have thrown at a site of its own, with both.
 */
final class HeapChecks
{
    private HeapChecks()
    {
    }

    /**
     * Throws what the JVM's array access would throw, if it would.
     *
     * @param length  the array's length, or -1 for a null array.
     * @param index   the index accessed.
     * @param message the JVM's message for a null array ({@code "Cannot load from long array"}).
     */
    static void check(final int length, final int index, final String message)
    {
        if (length < 0)
        {
            throw new NullPointerException(message);
        }
        if (index < 0 || index >= length)
        {
            throw new ArrayIndexOutOfBoundsException("Index " + index + " out of bounds for length " + length);
        }
    }
}
