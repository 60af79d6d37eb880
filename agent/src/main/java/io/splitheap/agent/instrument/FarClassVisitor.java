package io.splitheap.agent.instrument;

import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodTooLargeException;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

import java.util.function.Consumer;

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

    private boolean fitsWhenRewritten(
        final int access,
        final String name,
        final String descriptor,
        final String signature,
        final String[] exceptions,
        final Consumer<MethodVisitor> replay)
    {
        final ClassWriter scratch = new ClassWriter(0);
        scratch.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "io/splitheap/agent/SizeCheck", null, "java/lang/Object",
            null);
        final MethodVisitor method = scratch.visitMethod(access, name, descriptor, signature, exceptions);
        replay.accept(method);
        method.visitEnd();
        scratch.visitEnd();
        try
        {
            scratch.toByteArray();
            return true;
        }
        catch (final MethodTooLargeException ex)
        {
            return false;
        }
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
        final MethodVisitor allocation = new AllocationVisitor(api, new ArrayAccessVisitor(api, writer), location);
        return new DeferredMethodVisitor(api, allocation,
            maxLocals -> new BoundaryRewriter(api, allocation, resolver, location, maxLocals),
            (target, maxLocals) -> new BoundaryRewriter(api,
                new AllocationVisitor(api, new ArrayAccessVisitor(api, target), location), resolver, location,
                maxLocals),
            replay -> fitsWhenRewritten(access, name, descriptor, signature, exceptions, replay), writer,
            estimate -> System.err.println("[splitheap-agent] WARN " + className + "." + name + descriptor +
                " would be about " + estimate + " bytes of code rewritten, over the JVM's limit of 65535: it runs " +
                "unrewritten (the arrays it allocates stay on the heap; a far array it reads would look empty); the " +
                "rest of the class is rewritten. exclude= the class to keep all of its arrays local"));
    }
}
