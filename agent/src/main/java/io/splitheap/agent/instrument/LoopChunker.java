package io.splitheap.agent.instrument;

import net.bytebuddy.jar.asm.MethodVisitor;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.AnalyzerException;

/**
 * The rewriting step that versions counted loops over arrays (see {@link ChunkedLoops}) on a method's whole code. A
 * method it cannot analyse goes on unchanged.
 */
final class LoopChunker extends TreeMethodStage
{
    private final String owner;

    LoopChunker(
        final int api,
        final String owner,
        final int access,
        final String name,
        final String descriptor,
        final MethodVisitor next)
    {
        super(api, access, name, descriptor, next);
        this.owner = owner;
    }

    /**
     * {@inheritDoc}
     */
    void transform(final MethodNode code)
    {
        try
        {
            ChunkedLoops.apply(code, owner, LoopChunker::estimate);
        }
        catch (final AnalyzerException ex)
        {
            // a method the analyser cannot follow keeps element-by-element access
        }
    }

    private static int estimate(final MethodNode code)
    {
        final CodeSizeEstimate size = new CodeSizeEstimate(net.bytebuddy.jar.asm.Opcodes.ASM9);
        code.instructions.accept(new AsmBridge().toByteBuddy(size));
        return size.rewrittenBytes();
    }
}
