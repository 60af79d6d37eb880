package io.splitheap.agent.instrument;

import io.splitheap.agent.core.Sites;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * Rewrites primitive array allocation ({@code newarray}, and {@code multianewarray} of up to four dimensions whose
 * innermost element is primitive) into calls to {@code io.splitheap.agent.runtime.FarAlloc}, passing the site id
 * numbered here. Reference arrays stay as they are.
 */
public final class AllocationVisitor extends MethodVisitor
{
    private static final int MAX_DIMENSIONS = 4;
    private static final String[] NEWARRAY_NAMES = {
        null, null, null, null, "Boolean", "Char", "Float", "Double", "Byte", "Short", "Int", "Long"
    };
    private static final String[] NEWARRAY_DESCRIPTORS = {
        null, null, null, null, "Z", "C", "F", "D", "B", "S", "I", "J"
    };

    private final String location;
    private int line;

    /**
     * A visitor.
     *
     * @param api      ASM api.
     * @param next     the next visitor.
     * @param location class and method, for site descriptions.
     */
    public AllocationVisitor(final int api, final MethodVisitor next, final String location)
    {
        super(api, next);
        this.location = location;
    }

    /**
     * {@inheritDoc}
     */
    public void visitLineNumber(final int line, final Label start)
    {
        this.line = line;
        super.visitLineNumber(line, start);
    }

    /**
     * {@inheritDoc}
     */
    public void visitIntInsn(final int opcode, final int operand)
    {
        if (opcode != Opcodes.NEWARRAY)
        {
            super.visitIntInsn(opcode, operand);
            return;
        }
        if (operand < Opcodes.T_BOOLEAN || operand > Opcodes.T_LONG)
        {
            throw new IllegalArgumentException("newarray of type " + operand + " in " + location);
        }
        final String name = "new" + NEWARRAY_NAMES[operand] + "Array";
        final String descriptor = "(II)[" + NEWARRAY_DESCRIPTORS[operand];
        super.visitLdcInsn(site());
        super.visitMethodInsn(Opcodes.INVOKESTATIC, RuntimeNames.ALLOC, name, descriptor, false);
    }

    /**
     * {@inheritDoc}
     */
    public void visitMultiANewArrayInsn(final String descriptor, final int dimensions)
    {
        final Type type = Type.getType(descriptor);
        final boolean primitiveLeaf = type.getElementType().getSort() != Type.OBJECT;
        if (!primitiveLeaf || dimensions > MAX_DIMENSIONS || dimensions < 2)
        {
            super.visitMultiANewArrayInsn(descriptor, dimensions);
            return;
        }
        super.visitLdcInsn(type);
        super.visitLdcInsn(site());
        final StringBuilder helper = new StringBuilder("(");
        helper.append("I".repeat(dimensions)).append("Ljava/lang/Class;I)Ljava/lang/Object;");
        super.visitMethodInsn(Opcodes.INVOKESTATIC, RuntimeNames.ALLOC, "multiNewArray", helper.toString(), false);
        super.visitTypeInsn(Opcodes.CHECKCAST, descriptor);
    }

    private int site()
    {
        return Sites.ALLOCATIONS.register(location + ":" + line);
    }
}
