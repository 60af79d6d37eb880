package io.splitheap.objectfixtures;

/**
 * Named by far.classes, but Cloneable: its fields stay on the heap.
 */
public class CloneFar implements Cloneable
{
    long value = 19;

    @Override
    public CloneFar clone() throws CloneNotSupportedException
    {
        return (CloneFar)super.clone();
    }
}
