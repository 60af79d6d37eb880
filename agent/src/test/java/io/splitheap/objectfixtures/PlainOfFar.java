package io.splitheap.objectfixtures;

/**
 * A plain class (not named by far.classes) extending a far one: its own field stays on the heap.
 */
public class PlainOfFar extends FarBase
{
    int own = 3;

    /**
     * The values.
     *
     * @return both levels' fields.
     */
    public String describe()
    {
        baseValue += own;
        return "base=" + baseValue + " own=" + own + " seenBySuper=" + seenBySuper;
    }
}
