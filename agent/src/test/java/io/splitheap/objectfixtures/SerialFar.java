package io.splitheap.objectfixtures;

import java.io.Serializable;

/**
 * Named by far.classes, but Serializable: its fields stay on the heap, and reflection sees them.
 */
public class SerialFar implements Serializable
{
    private static final long serialVersionUID = 1L;

    long value = 17;
}
