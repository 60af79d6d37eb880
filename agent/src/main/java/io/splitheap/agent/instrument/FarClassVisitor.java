package io.splitheap.agent.instrument;

import io.splitheap.agent.core.Sites;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodTooLargeException;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

import java.util.function.Consumer;

/**
 * Sends every method with code through the rewriting visitors: the boundary rewriter (deferred until max_locals is
 * known), then allocation, then array access. Each concern is its own visitor and can be tested alone. A guarded
 * class (see {@link ScopePolicy}) gets the same chain without allocation: it never makes far arrays but handles
 * those that reach it. A method that overrides one declared outside (a JDK interface's {@code byte[] getEncoded()})
 * and returns a primitive array returns it through the boundary, since the JDK may read it. Method references to
 * code outside that takes arrays get bridge methods (see {@link LambdaBridges}).
 */
public final class FarClassVisitor extends ClassVisitor
{
    private final MethodResolver resolver;
    private final boolean allocates;
    private String className;
    private String internalName;
    private String superName;
    private String[] interfaces;
    private String source;
    private LambdaBridges bridges;
    private SiteHelpers sites;

    /**
     * A class visitor for a rewritten class.
     *
     * @param api      ASM api.
     * @param next     the next visitor (usually a class writer).
     * @param resolver finds where calls land.
     */
    public FarClassVisitor(final int api, final ClassVisitor next, final MethodResolver resolver)
    {
        this(api, next, resolver, true);
    }

    /**
     * A class visitor.
     *
     * @param api       ASM api.
     * @param next      the next visitor (usually a class writer).
     * @param resolver  finds where calls land.
     * @param allocates true to rewrite allocations (a rewritten class), false for a guarded class.
     */
    public FarClassVisitor(final int api, final ClassVisitor next, final MethodResolver resolver,
        final boolean allocates)
    {
        super(api, next);
        this.resolver = resolver;
        this.allocates = allocates;
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
        this.internalName = name;
        this.superName = superName;
        this.interfaces = interfaces;
        this.bridges = new LambdaBridges(name, (access & Opcodes.ACC_INTERFACE) != 0, version & 0xFFFF);
        this.sites = new SiteHelpers(name, (access & Opcodes.ACC_INTERFACE) != 0, version & 0xFFFF);
        super.visit(version, access, name, signature, superName, interfaces);
    }

    /**
     * {@inheritDoc}
     */
    public void visitEnd()
    {
        bridges.emit(this);
        sites.emit(cv);
        super.visitEnd();
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

    private MethodVisitor chain(
        final MethodVisitor target, final String location, final int returnSite, final String returnType,
        final boolean scratch, final int access, final String name, final String descriptor)
    {
        final MethodVisitor arrays = new ArrayAccessVisitor(api, target, scratch ? null : sites);
        final MethodVisitor loops = scratch ? arrays : new LoopChunker(api, internalName, access, name, descriptor,
            arrays);
        final MethodVisitor allocation = allocates ? new AllocationVisitor(api, loops, location) : loops;
        return returnSite < 0 ? allocation : new ReturnToHeap(api, allocation, returnSite, returnType);
    }

    private boolean returnsToOutside(final int access, final String name, final String descriptor)
    {
        return (access & (Opcodes.ACC_STATIC | Opcodes.ACC_PRIVATE)) == 0 && !name.startsWith("<") &&
            BoundaryRewriter.isPrimitiveArray(Type.getReturnType(descriptor)) &&
            resolver.overridesOutside(internalName, superName, interfaces, name, descriptor);
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
        final int returnSite = returnsToOutside(access, name, descriptor) ? Sites.CALLS.register(location +
            ") returning its array to code outside, which overrides " + name + descriptor) : -1;
        final String returnType = Type.getReturnType(descriptor).getDescriptor();
        final MethodVisitor allocation = chain(writer, location, returnSite, returnType, false, access, name,
            descriptor);
        return new DeferredMethodVisitor(api, allocation,
            maxLocals -> new BoundaryRewriter(api, allocation, resolver, location, maxLocals, bridges),
            (target, maxLocals) -> new BoundaryRewriter(api, chain(target, location, returnSite, returnType, true,
                access, name, descriptor), resolver, location, maxLocals, bridges),
            replay -> fitsWhenRewritten(access, name, descriptor, signature, exceptions, replay), writer,
            (target, maxLocals) -> new BoundaryRewriter(api, returnSite < 0 ? new FreshArrayAccessVisitor(api, target) :
                new ReturnToHeap(api, new FreshArrayAccessVisitor(api, target), returnSite, returnType), resolver,
                location, maxLocals, bridges),
            (estimate, partly) -> System.err.println("[splitheap-agent] WARN " + className + "." + name + descriptor +
                " would be about " + estimate + " bytes of code rewritten, over the JVM's limit of 65535: " + (partly ?
                "the arrays it allocates stay on the heap and only its accesses to other arrays are rewritten" :
                "it runs unrewritten (" + (allocates ? "the arrays it allocates stay on the heap; " : "") +
                "a far array it reads would look empty)") + "; the rest of the class is " +
                (allocates ? "rewritten" : "guarded") +
                (allocates && !partly ? ". exclude= the class to keep all of its arrays local" : "")));
    }
}
