package io.splitheap.objectfixtures;

/**
 * A plain class that a far one extends.
 */
public class PlainBase
{
    protected int plainValue = 5;
}
