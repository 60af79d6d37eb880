package io.splitheap.agent.instrument;

import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * For a method that returns a primitive array and overrides one declared by code that handles no far arrays (a JDK
 * interface such as {@code Key.getEncoded()} or {@code ClassFileTransformer.transform}): the JDK may call it and
 * read the array, so every {@code areturn} hands back the array through {@code FarBoundary.toHeap}, which moves a far
 * array to the heap first (and teaches its allocation site to allocate locally).
 */
final class ReturnToHeap extends MethodVisitor
{
    private final int site;
    private final String arrayType;

    ReturnToHeap(final int api, final MethodVisitor next, final int site, final String arrayType)
    {
        super(api, next);
        this.site = site;
        this.arrayType = arrayType;
    }

    /**
     * {@inheritDoc}
     */
    public void visitInsn(final int opcode)
    {
        if (opcode == Opcodes.ARETURN)
        {
            super.visitLdcInsn(site);
            super.visitMethodInsn(Opcodes.INVOKESTATIC, RuntimeNames.BOUNDARY, "toHeap",
                "(Ljava/lang/Object;I)Ljava/lang/Object;", false);
            super.visitTypeInsn(Opcodes.CHECKCAST, arrayType);
        }
        super.visitInsn(opcode);
    }
}
