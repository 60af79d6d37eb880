package io.splitheap.objectfixtures;

/**
 * Named by far.classes, but a record: its fields stay on the heap.
 *
 * @param a a value.
 * @param b another.
 */
public record FarRecord(int a, long b)
{
}
