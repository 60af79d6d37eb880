package io.splitheap.objectfixtures;

/**
 * A far class extending a plain one.
 */
public class FarOfPlain extends PlainBase
{
    private long farValue = 11;

    /**
     * The values.
     *
     * @return both levels' fields.
     */
    public String describe()
    {
        farValue *= plainValue;
        plainValue++;
        return "plain=" + plainValue + " far=" + farValue;
    }
}
