package io.splitheap.objectfixtures;

/**
 * A plain, Cloneable subclass of a far class: a clone must not share the far fields of its original.
 */
public class CloneOfFar extends FarBase implements Cloneable
{
    int own = 1;

    @Override
    public CloneOfFar clone() throws CloneNotSupportedException
    {
        return (CloneOfFar)super.clone();
    }

    /**
     * The values.
     *
     * @return both levels' fields.
     */
    public String describe()
    {
        return "base=" + baseValue + " seen=" + seenBySuper + " own=" + own;
    }
}
