package io.splitheap.bench.objects;

/**
 * An object with four {@code int} fields.
 */
final class IntRecord
{
    int a;
    int b;
    int c;
    int d;

    IntRecord(final int value)
    {
        a = value;
        b = value;
        c = value;
        d = value;
    }
}
