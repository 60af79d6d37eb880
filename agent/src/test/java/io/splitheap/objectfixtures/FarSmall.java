package io.splitheap.objectfixtures;

/**
 * Named by far.classes, but its primitive fields take 8 bytes of heap, what a far block costs the object: they stay.
 */
public class FarSmall
{
    int a = 1;
    int b = 2;
}
