package io.splitheap.objectfixtures;

/**
 * A far class extending a plain one.
 */
public class FarOfPlain extends PlainBase
{
    private long farValue = 11;
    private int farCount;

    /**
     * The values.
     *
     * @return both levels' fields.
     */
    public String describe()
    {
        farValue *= plainValue;
        plainValue++;
        farCount++;
        return "plain=" + plainValue + " far=" + farValue + " count=" + farCount;
    }
}
