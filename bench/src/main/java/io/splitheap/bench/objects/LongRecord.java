package io.splitheap.bench.objects;

/**
 * An object with four {@code long} fields.
 */
final class LongRecord
{
    long a;
    long b;
    long c;
    long d;

    LongRecord(final long value)
    {
        a = value;
        b = value;
        c = value;
        d = value;
    }
}
