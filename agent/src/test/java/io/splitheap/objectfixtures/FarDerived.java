package io.splitheap.objectfixtures;

/**
 * A far class extending a far class: its fields are read and written by the superclass constructor (through
 * {@link #peek()}) before its own initializers run.
 */
public class FarDerived extends FarBase
{
    long childValue = 42;
    long writtenEarly;

    /**
     * A derived object.
     */
    public FarDerived()
    {
        super();
    }

    @Override
    long peek()
    {
        writtenEarly = 99;
        return childValue;
    }

    /**
     * The values.
     *
     * @return both levels' fields.
     */
    public String describe()
    {
        return "base=" + baseValue + " seenBySuper=" + seenBySuper + " child=" + childValue + " early=" + writtenEarly;
    }
}
