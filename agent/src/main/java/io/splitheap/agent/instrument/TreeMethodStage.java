package io.splitheap.agent.instrument;

import net.bytebuddy.jar.asm.AnnotationVisitor;
import net.bytebuddy.jar.asm.Attribute;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.TypePath;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;

import java.util.ArrayList;
import java.util.List;

/**
 * A rewriting step that needs a method's whole code: records it into an ASM tree (across {@link AsmBridge}),
 * transforms it ({@link #transform}), and plays it on to the next visitor when the code is complete
 * ({@code visitMaxs}). Declarations (parameters, annotations) go straight on to the next visitor.
 */
abstract class TreeMethodStage extends MethodVisitor
{
    private final MethodVisitor next;
    private final MethodNode method;
    private final AsmBridge bridge = new AsmBridge();
    private final List<Attribute> attributes = new ArrayList<>();

    TreeMethodStage(
        final int api,
        final int access,
        final String name,
        final String descriptor,
        final MethodVisitor next)
    {
        super(api);
        this.next = next;
        this.method = new MethodNode(org.objectweb.asm.Opcodes.ASM9, access, name, descriptor, null, null);
        this.mv = bridge.toAsm(api, method);
    }

    /**
     * {@inheritDoc}
     */
    public void visitParameter(final String name, final int access)
    {
        next.visitParameter(name, access);
    }

    /**
     * {@inheritDoc}
     */
    public AnnotationVisitor visitAnnotationDefault()
    {
        return next.visitAnnotationDefault();
    }

    /**
     * {@inheritDoc}
     */
    public AnnotationVisitor visitAnnotation(final String descriptor, final boolean visible)
    {
        return next.visitAnnotation(descriptor, visible);
    }

    /**
     * {@inheritDoc}
     */
    public AnnotationVisitor visitTypeAnnotation(
        final int typeRef, final TypePath typePath, final String descriptor, final boolean visible)
    {
        return next.visitTypeAnnotation(typeRef, typePath, descriptor, visible);
    }

    /**
     * {@inheritDoc}
     */
    public void visitAnnotableParameterCount(final int parameterCount, final boolean visible)
    {
        next.visitAnnotableParameterCount(parameterCount, visible);
    }

    /**
     * {@inheritDoc}
     */
    public AnnotationVisitor visitParameterAnnotation(
        final int parameter, final String descriptor, final boolean visible)
    {
        return next.visitParameterAnnotation(parameter, descriptor, visible);
    }

    /**
     * {@inheritDoc}
     */
    public void visitAttribute(final Attribute attribute)
    {
        attributes.add(attribute);
    }

    /**
     * {@inheritDoc}
     */
    public void visitMaxs(final int maxStack, final int maxLocals)
    {
        super.visitMaxs(maxStack, maxLocals);
        transform(method);
        final org.objectweb.asm.MethodVisitor replay = bridge.toByteBuddy(next);
        replay.visitCode();
        for (final TryCatchBlockNode block : method.tryCatchBlocks)
        {
            block.accept(replay);
        }
        method.instructions.accept(replay);
        if (method.localVariables != null)
        {
            method.localVariables.forEach(variable -> variable.accept(replay));
        }
        attributes.forEach(next::visitAttribute);
        replay.visitMaxs(method.maxStack, method.maxLocals);
    }

    /**
     * {@inheritDoc}
     */
    public void visitEnd()
    {
        next.visitEnd();
    }

    /**
     * Transforms the recorded code in place.
     *
     * @param code the method, complete with max stack and locals.
     */
    abstract void transform(MethodNode code);
}
