package io.splitheap.objectfixtures;

/**
 * Named by far.classes, but an enum: its fields stay on the heap.
 */
public enum FarEnum
{
    ONE(1), TWO(2);

    final int weight;

    FarEnum(final int weight)
    {
        this.weight = weight;
    }
}
