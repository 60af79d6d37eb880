package io.splitheap.objectfixtures;

/**
 * A far class whose constructor calls a method that subclasses override, before their own fields are initialized.
 */
public class FarBase
{
    long baseValue = 7;
    long seenBySuper;

    /**
     * A base.
     */
    public FarBase()
    {
        seenBySuper = peek();
    }

    long peek()
    {
        return baseValue;
    }
}
