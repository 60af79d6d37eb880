package io.splitheap.agent.instrument;

/**
 * Internal names and descriptors of the runtime helpers that rewritten code calls.
 */
final class RuntimeNames
{
    static final String ACCESS = "io/splitheap/agent/runtime/FarAccess";
    static final String ALLOC = "io/splitheap/agent/runtime/FarAlloc";
    static final String ARRAYS = "io/splitheap/agent/runtime/FarArrays";
    static final String BOUNDARY = "io/splitheap/agent/runtime/FarBoundary";
    static final String OBJECT = "java/lang/Object";

    private RuntimeNames()
    {
    }
}
