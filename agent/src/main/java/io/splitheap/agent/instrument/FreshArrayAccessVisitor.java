package io.splitheap.agent.instrument;

import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * The array-access rewrite for a method too large to rewrite whole, whose own allocations stay on the heap: an
 * access whose array is provably one the method just allocated ({@code newarray}, then {@code dup}s, constant
 * indices and values, as array literals compile) stays a plain instruction; every other access (an array from a
 * parameter, a field, a call) is rewritten as {@link ArrayAccessVisitor} does, so a far array that reaches the method
 * reads and writes correctly. Provenance is tracked on the top of the operand stack for the few instructions of that
 * pattern only; any other instruction, and every label (a branch may join there), forgets it, so an access is left
 * plain only when the proof is local and certain.
 */
final class FreshArrayAccessVisitor extends MethodVisitor
{
    private static final int MAX_TRACKED = 64;

    private final boolean[] fresh = new boolean[MAX_TRACKED];
    private int depth;

    FreshArrayAccessVisitor(final int api, final MethodVisitor next)
    {
        super(api, next);
    }

    /**
     * {@inheritDoc}
     */
    public void visitInsn(final int opcode)
    {
        final String[] call = ArrayAccessVisitor.replacement(opcode);
        if (call != null)
        {
            final int arrayDepth = opcode == Opcodes.ARRAYLENGTH ? 0 : isStore(opcode) ? 2 : 1;
            if (isFresh(arrayDepth))
            {
                super.visitInsn(opcode);
            }
            else
            {
                super.visitMethodInsn(Opcodes.INVOKESTATIC, RuntimeNames.ACCESS, call[0], call[1], false);
            }
            pop(arrayDepth + 1);
            if (!isStore(opcode))
            {
                push(false);
            }
            return;
        }
        super.visitInsn(opcode);
        if (opcode == Opcodes.DUP)
        {
            push(isFresh(0));
        }
        else if (opcode == Opcodes.AASTORE)
        {
            pop(3);
        }
        else if (opcode == Opcodes.ACONST_NULL || (opcode >= Opcodes.ICONST_M1 && opcode <= Opcodes.DCONST_1))
        {
            push(false);
        }
        else
        {
            forget();
        }
    }

    /**
     * {@inheritDoc}
     */
    public void visitIntInsn(final int opcode, final int operand)
    {
        super.visitIntInsn(opcode, operand);
        if (opcode == Opcodes.NEWARRAY)
        {
            pop(1);
            push(true);
        }
        else
        {
            push(false);
        }
    }

    /**
     * {@inheritDoc}
     */
    public void visitLdcInsn(final Object value)
    {
        super.visitLdcInsn(value);
        push(false);
    }

    /**
     * {@inheritDoc}
     */
    public void visitVarInsn(final int opcode, final int index)
    {
        super.visitVarInsn(opcode, index);
        if (opcode >= Opcodes.ILOAD && opcode <= Opcodes.ALOAD)
        {
            push(false);
        }
        else if (opcode >= Opcodes.ISTORE && opcode <= Opcodes.ASTORE)
        {
            pop(1);
        }
        else
        {
            forget();
        }
    }

    /**
     * {@inheritDoc}
     */
    public void visitFieldInsn(final int opcode, final String owner, final String name, final String descriptor)
    {
        super.visitFieldInsn(opcode, owner, name, descriptor);
        if (opcode == Opcodes.GETSTATIC)
        {
            push(false);
        }
        else
        {
            forget();
        }
    }

    /**
     * {@inheritDoc}
     */
    public void visitTypeInsn(final int opcode, final String type)
    {
        super.visitTypeInsn(opcode, type);
        if (opcode == Opcodes.ANEWARRAY)
        {
            pop(1);
            push(false);
        }
        else
        {
            forget();
        }
    }

    /**
     * {@inheritDoc}
     */
    public void visitMethodInsn(
        final int opcode, final String owner, final String name, final String descriptor, final boolean isInterface)
    {
        super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
        forget();
    }

    /**
     * {@inheritDoc}
     */
    public void visitLabel(final Label label)
    {
        super.visitLabel(label);
        forget();
    }

    /**
     * {@inheritDoc}
     */
    public void visitJumpInsn(final int opcode, final Label label)
    {
        super.visitJumpInsn(opcode, label);
        forget();
    }

    /**
     * {@inheritDoc}
     */
    public void visitFrame(
        final int type, final int numLocal, final Object[] local, final int numStack, final Object[] stack)
    {
        super.visitFrame(type, numLocal, local, numStack, stack);
        forget();
    }

    /**
     * {@inheritDoc}
     */
    public void visitTableSwitchInsn(final int min, final int max, final Label dflt, final Label... labels)
    {
        super.visitTableSwitchInsn(min, max, dflt, labels);
        forget();
    }

    /**
     * {@inheritDoc}
     */
    public void visitLookupSwitchInsn(final Label dflt, final int[] keys, final Label[] labels)
    {
        super.visitLookupSwitchInsn(dflt, keys, labels);
        forget();
    }

    /**
     * {@inheritDoc}
     */
    public void visitMultiANewArrayInsn(final String descriptor, final int numDimensions)
    {
        super.visitMultiANewArrayInsn(descriptor, numDimensions);
        forget();
    }

    /**
     * {@inheritDoc}
     */
    public void visitInvokeDynamicInsn(
        final String name, final String descriptor, final net.bytebuddy.jar.asm.Handle bootstrap,
        final Object... arguments)
    {
        super.visitInvokeDynamicInsn(name, descriptor, bootstrap, arguments);
        forget();
    }

    private static boolean isStore(final int opcode)
    {
        return opcode >= Opcodes.IASTORE && opcode <= Opcodes.SASTORE;
    }

    private boolean isFresh(final int fromTop)
    {
        return fromTop < depth && fresh[depth - 1 - fromTop];
    }

    private void push(final boolean isFresh)
    {
        if (depth == MAX_TRACKED)
        {
            forget();
        }
        fresh[depth++] = isFresh;
    }

    private void pop(final int count)
    {
        depth = Math.max(0, depth - count);
    }

    private void forget()
    {
        depth = 0;
    }
}
