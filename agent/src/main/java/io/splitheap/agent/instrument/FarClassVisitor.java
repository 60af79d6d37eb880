package io.splitheap.agent.instrument;

import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Sends every method with code through the rewriting visitors: the boundary rewriter (deferred until max_locals is
 * known), then allocation, then array access. Each concern is its own visitor and can be tested alone.
 */
public final class FarClassVisitor extends ClassVisitor
{
    private final MethodResolver resolver;
    private String className;
    private String source;

    /**
     * A class visitor.
     *
     * @param api      ASM api.
     * @param next     the next visitor (usually a class writer).
     * @param resolver finds where calls land.
     */
    public FarClassVisitor(final int api, final ClassVisitor next, final MethodResolver resolver)
    {
        super(api, next);
        this.resolver = resolver;
    }

    /**
     * {@inheritDoc}
     */
    public void visit(
        final int version,
        final int access,
        final String name,
        final String signature,
        final String superName,
        final String[] interfaces)
    {
        this.className = name.replace('/', '.');
        super.visit(version, access, name, signature, superName, interfaces);
    }

    /**
     * {@inheritDoc}
     */
    public void visitSource(final String source, final String debug)
    {
        this.source = source;
        super.visitSource(source, debug);
    }

    /**
     * {@inheritDoc}
     */
    public MethodVisitor visitMethod(
        final int access,
        final String name,
        final String descriptor,
        final String signature,
        final String[] exceptions)
    {
        final MethodVisitor writer = super.visitMethod(access, name, descriptor, signature, exceptions);
        if (writer == null || (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0)
        {
            return writer;
        }
        final String location = className + "." + name + "(" + (source == null ? "Unknown Source" : source);
        final MethodVisitor arrayAccess = new ArrayAccessVisitor(api, writer);
        final MethodVisitor allocation = new AllocationVisitor(api, arrayAccess, location);
        return new DeferredMethodVisitor(api, allocation,
            maxLocals -> new BoundaryRewriter(api, allocation, resolver, location, maxLocals));
    }
}
