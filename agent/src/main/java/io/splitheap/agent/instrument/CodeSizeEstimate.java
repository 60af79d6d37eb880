package io.splitheap.agent.instrument;

import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * An upper estimate of a method's bytecode size after rewriting, from its original instructions: each instruction
 * at its widest encoding, plus what the rewriters add (an array access becomes a static call, an allocation a
 * call and a cast, a call across the boundary a conversion per argument). A method whose estimate exceeds
 * {@link #LIMIT} is left unrewritten rather than making its class fail to load rewritten.
 */
final class CodeSizeEstimate extends MethodVisitor
{
    /**
     * The JVM's limit on a method's code is 65535 bytes; keep a margin for jumps ASM widens.
     */
    static final int LIMIT = 60_000;

    private static final int CALL = 3;
    private static final int CONVERSION = 3 + 3 + 3;

    private long bytes;

    CodeSizeEstimate(final int api)
    {
        super(api);
    }

    int rewrittenBytes()
    {
        return (int)Math.min(Integer.MAX_VALUE, bytes);
    }

    public void visitInsn(final int opcode)
    {
        final boolean arrayAccess = (opcode >= Opcodes.IALOAD && opcode <= Opcodes.SALOAD) ||
            (opcode >= Opcodes.IASTORE && opcode <= Opcodes.SASTORE) || opcode == Opcodes.ARRAYLENGTH;
        bytes += arrayAccess ? CALL : 1;
    }

    public void visitIntInsn(final int opcode, final int operand)
    {
        bytes += opcode == Opcodes.NEWARRAY ? 2 + CALL + CONVERSION : 3;
    }

    public void visitVarInsn(final int opcode, final int varIndex)
    {
        bytes += 4;
    }

    public void visitTypeInsn(final int opcode, final String type)
    {
        bytes += 3;
    }

    public void visitFieldInsn(final int opcode, final String owner, final String name, final String descriptor)
    {
        bytes += 3;
    }

    public void visitMethodInsn(
        final int opcode, final String owner, final String name, final String descriptor, final boolean isInterface)
    {
        bytes += 5 + (long)CONVERSION * (Type.getArgumentTypes(descriptor).length + 1);
    }

    public void visitInvokeDynamicInsn(
        final String name, final String descriptor, final Handle bootstrapMethodHandle,
        final Object... bootstrapMethodArguments)
    {
        bytes += 5;
    }

    public void visitJumpInsn(final int opcode, final Label label)
    {
        bytes += 8;
    }

    public void visitLdcInsn(final Object value)
    {
        bytes += 3;
    }

    public void visitIincInsn(final int varIndex, final int increment)
    {
        bytes += 6;
    }

    public void visitTableSwitchInsn(final int min, final int max, final Label dflt, final Label... labels)
    {
        bytes += 16 + 4L * labels.length;
    }

    public void visitLookupSwitchInsn(final Label dflt, final int[] keys, final Label[] labels)
    {
        bytes += 12 + 8L * labels.length;
    }

    public void visitMultiANewArrayInsn(final String descriptor, final int numDimensions)
    {
        bytes += 4 + CALL + CONVERSION;
    }
}
