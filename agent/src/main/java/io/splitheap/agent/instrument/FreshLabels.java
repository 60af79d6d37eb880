package io.splitheap.agent.instrument;

import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Passes code on with every label replaced by a label of its own, so that recorded code can be written a second
 * time (ASM labels remember the offset their first method writer gave them).
 */
final class FreshLabels extends MethodVisitor
{
    private final Map<Label, Label> copies = new IdentityHashMap<>();

    FreshLabels(final int api, final MethodVisitor next)
    {
        super(api, next);
    }

    private Label copy(final Label label)
    {
        return label == null ? null : copies.computeIfAbsent(label, ignored -> new Label());
    }

    private Label[] copy(final Label[] labels)
    {
        final Label[] result = new Label[labels.length];
        for (int i = 0; i < labels.length; i++)
        {
            result[i] = copy(labels[i]);
        }
        return result;
    }

    private Object[] copyFrameTypes(final Object[] types)
    {
        if (types == null)
        {
            return null;
        }
        final Object[] result = types.clone();
        for (int i = 0; i < result.length; i++)
        {
            if (result[i] instanceof Label)
            {
                result[i] = copy((Label)result[i]);
            }
        }
        return result;
    }

    public void visitFrame(
        final int type, final int numLocal, final Object[] local, final int numStack, final Object[] stack)
    {
        super.visitFrame(type, numLocal, copyFrameTypes(local), numStack, copyFrameTypes(stack));
    }

    public void visitJumpInsn(final int opcode, final Label label)
    {
        super.visitJumpInsn(opcode, copy(label));
    }

    public void visitLabel(final Label label)
    {
        super.visitLabel(copy(label));
    }

    public void visitTableSwitchInsn(final int min, final int max, final Label dflt, final Label... labels)
    {
        super.visitTableSwitchInsn(min, max, copy(dflt), copy(labels));
    }

    public void visitLookupSwitchInsn(final Label dflt, final int[] keys, final Label[] labels)
    {
        super.visitLookupSwitchInsn(copy(dflt), keys, copy(labels));
    }

    public void visitTryCatchBlock(final Label start, final Label end, final Label handler, final String type)
    {
        super.visitTryCatchBlock(copy(start), copy(end), copy(handler), type);
    }

    public void visitLocalVariable(
        final String name, final String descriptor, final String signature, final Label start, final Label end,
        final int index)
    {
        super.visitLocalVariable(name, descriptor, signature, copy(start), copy(end), index);
    }

    public void visitLineNumber(final int line, final Label start)
    {
        super.visitLineNumber(line, copy(start));
    }
}
