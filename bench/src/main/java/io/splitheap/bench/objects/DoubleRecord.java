package io.splitheap.bench.objects;

/**
 * An object with four {@code double} fields.
 */
final class DoubleRecord
{
    double a;
    double b;
    double c;
    double d;

    DoubleRecord(final double value)
    {
        a = value;
        b = value;
        c = value;
        d = value;
    }
}
