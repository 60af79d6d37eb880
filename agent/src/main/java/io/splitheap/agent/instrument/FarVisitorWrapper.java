package io.splitheap.agent.instrument;

import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.field.FieldList;
import net.bytebuddy.description.method.MethodList;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.pool.TypePool;

/**
 * Plugs the rewriting into Byte Buddy: asks the class writer to recompute max stack and locals, and the reader for
 * expanded frames (the loop chunker builds the frames of the code it adds from the loop's own). Rewritten classes get
 * the whole rewrite, guarded ones (see {@link ScopePolicy}) all of it but allocation.
 */
public final class FarVisitorWrapper implements AsmVisitorWrapper
{
    private final ScopePolicy scope;

    /**
     * A wrapper.
     *
     * @param scope which classes are rewritten.
     */
    public FarVisitorWrapper(final ScopePolicy scope)
    {
        this.scope = scope;
    }

    /**
     * {@inheritDoc}
     */
    public int mergeWriter(final int flags)
    {
        return flags | ClassWriter.COMPUTE_MAXS;
    }

    /**
     * {@inheritDoc}
     */
    public int mergeReader(final int flags)
    {
        return flags | ClassReader.EXPAND_FRAMES;
    }

    /**
     * {@inheritDoc}
     */
    public ClassVisitor wrap(
        final TypeDescription instrumentedType,
        final ClassVisitor classVisitor,
        final Implementation.Context implementationContext,
        final TypePool typePool,
        final FieldList<FieldDescription.InDefinedShape> fields,
        final MethodList<?> methods,
        final int writerFlags,
        final int readerFlags)
    {
        return FarObjectsClassVisitor.wrap(new FarClassVisitor(Opcodes.ASM9, classVisitor,
            new MethodResolver(scope, typePool), scope.isRewritten(instrumentedType.getInternalName())), scope,
            new FarObjectLayouts(scope, typePool));
    }
}
