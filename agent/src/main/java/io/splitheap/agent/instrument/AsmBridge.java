package io.splitheap.agent.instrument;

import net.bytebuddy.jar.asm.MethodVisitor;

import java.util.HashMap;
import java.util.Map;

/**
 * Carries a method's code between Byte Buddy's copy of ASM ({@code net.bytebuddy.jar.asm}, which the rest of the
 * rewriting uses) and ASM itself ({@code org.objectweb.asm}, whose tree and analysis packages Byte Buddy does not
 * bundle). {@link #toAsm} records into an ASM visitor, {@link #toByteBuddy} plays back into a Byte Buddy one; labels
 * keep their identity across the round trip, and constants (types, handles, dynamic constants) and frame entries are
 * translated. Only code events cross: the callers keep attributes and annotations on their side.
 */
final class AsmBridge
{
    private final Map<net.bytebuddy.jar.asm.Label, org.objectweb.asm.Label> toAsm = new HashMap<>();
    private final Map<org.objectweb.asm.Label, net.bytebuddy.jar.asm.Label> toByteBuddy = new HashMap<>();

    /**
     * A Byte Buddy visitor that forwards to an ASM one.
     *
     * @param api    Byte Buddy's ASM api.
     * @param target the ASM visitor.
     * @return the forwarding visitor.
     */
    MethodVisitor toAsm(final int api, final org.objectweb.asm.MethodVisitor target)
    {
        return new ToAsm(api, target);
    }

    /**
     * An ASM visitor that forwards to a Byte Buddy one.
     *
     * @param target the Byte Buddy visitor.
     * @return the forwarding visitor.
     */
    org.objectweb.asm.MethodVisitor toByteBuddy(final MethodVisitor target)
    {
        return new ToByteBuddy(target);
    }

    private org.objectweb.asm.Label asm(final net.bytebuddy.jar.asm.Label label)
    {
        return toAsm.computeIfAbsent(label, key ->
        {
            final org.objectweb.asm.Label created = new org.objectweb.asm.Label();
            toByteBuddy.put(created, key);
            return created;
        });
    }

    private net.bytebuddy.jar.asm.Label byteBuddy(final org.objectweb.asm.Label label)
    {
        return toByteBuddy.computeIfAbsent(label, key ->
        {
            final net.bytebuddy.jar.asm.Label created = new net.bytebuddy.jar.asm.Label();
            toAsm.put(created, key);
            return created;
        });
    }

    private org.objectweb.asm.Label[] asm(final net.bytebuddy.jar.asm.Label[] labels)
    {
        final org.objectweb.asm.Label[] result = new org.objectweb.asm.Label[labels.length];
        for (int i = 0; i < labels.length; i++)
        {
            result[i] = asm(labels[i]);
        }
        return result;
    }

    private net.bytebuddy.jar.asm.Label[] byteBuddy(final org.objectweb.asm.Label[] labels)
    {
        final net.bytebuddy.jar.asm.Label[] result = new net.bytebuddy.jar.asm.Label[labels.length];
        for (int i = 0; i < labels.length; i++)
        {
            result[i] = byteBuddy(labels[i]);
        }
        return result;
    }

    private Object asmValue(final Object value)
    {
        if (value instanceof net.bytebuddy.jar.asm.Label)
        {
            return asm((net.bytebuddy.jar.asm.Label)value);
        }
        if (value instanceof net.bytebuddy.jar.asm.Type)
        {
            return org.objectweb.asm.Type.getType(((net.bytebuddy.jar.asm.Type)value).getDescriptor());
        }
        if (value instanceof net.bytebuddy.jar.asm.Handle)
        {
            final net.bytebuddy.jar.asm.Handle handle = (net.bytebuddy.jar.asm.Handle)value;
            return new org.objectweb.asm.Handle(handle.getTag(), handle.getOwner(), handle.getName(), handle.getDesc(),
                handle.isInterface());
        }
        if (value instanceof net.bytebuddy.jar.asm.ConstantDynamic)
        {
            final net.bytebuddy.jar.asm.ConstantDynamic constant = (net.bytebuddy.jar.asm.ConstantDynamic)value;
            final Object[] arguments = new Object[constant.getBootstrapMethodArgumentCount()];
            for (int i = 0; i < arguments.length; i++)
            {
                arguments[i] = asmValue(constant.getBootstrapMethodArgument(i));
            }
            return new org.objectweb.asm.ConstantDynamic(constant.getName(), constant.getDescriptor(),
                (org.objectweb.asm.Handle)asmValue(constant.getBootstrapMethod()), arguments);
        }
        return value;
    }

    private Object byteBuddyValue(final Object value)
    {
        if (value instanceof org.objectweb.asm.Label)
        {
            return byteBuddy((org.objectweb.asm.Label)value);
        }
        if (value instanceof org.objectweb.asm.Type)
        {
            return net.bytebuddy.jar.asm.Type.getType(((org.objectweb.asm.Type)value).getDescriptor());
        }
        if (value instanceof org.objectweb.asm.Handle)
        {
            final org.objectweb.asm.Handle handle = (org.objectweb.asm.Handle)value;
            return new net.bytebuddy.jar.asm.Handle(handle.getTag(), handle.getOwner(), handle.getName(),
                handle.getDesc(), handle.isInterface());
        }
        if (value instanceof org.objectweb.asm.ConstantDynamic)
        {
            final org.objectweb.asm.ConstantDynamic constant = (org.objectweb.asm.ConstantDynamic)value;
            final Object[] arguments = new Object[constant.getBootstrapMethodArgumentCount()];
            for (int i = 0; i < arguments.length; i++)
            {
                arguments[i] = byteBuddyValue(constant.getBootstrapMethodArgument(i));
            }
            return new net.bytebuddy.jar.asm.ConstantDynamic(constant.getName(), constant.getDescriptor(),
                (net.bytebuddy.jar.asm.Handle)byteBuddyValue(constant.getBootstrapMethod()), arguments);
        }
        return value;
    }

    private Object[] asmValues(final Object[] values)
    {
        if (values == null)
        {
            return null;
        }
        final Object[] result = new Object[values.length];
        for (int i = 0; i < values.length; i++)
        {
            result[i] = asmValue(values[i]);
        }
        return result;
    }

    private Object[] byteBuddyValues(final Object[] values)
    {
        if (values == null)
        {
            return null;
        }
        final Object[] result = new Object[values.length];
        for (int i = 0; i < values.length; i++)
        {
            result[i] = byteBuddyValue(values[i]);
        }
        return result;
    }

    private final class ToAsm extends MethodVisitor
    {
        private final org.objectweb.asm.MethodVisitor target;

        ToAsm(final int api, final org.objectweb.asm.MethodVisitor target)
        {
            super(api);
            this.target = target;
        }

        public void visitCode()
        {
            target.visitCode();
        }

        public void visitFrame(
            final int type, final int numLocal, final Object[] local, final int numStack, final Object[] stack)
        {
            target.visitFrame(type, numLocal, asmValues(local), numStack, asmValues(stack));
        }

        public void visitInsn(final int opcode)
        {
            target.visitInsn(opcode);
        }

        public void visitIntInsn(final int opcode, final int operand)
        {
            target.visitIntInsn(opcode, operand);
        }

        public void visitVarInsn(final int opcode, final int varIndex)
        {
            target.visitVarInsn(opcode, varIndex);
        }

        public void visitTypeInsn(final int opcode, final String type)
        {
            target.visitTypeInsn(opcode, type);
        }

        public void visitFieldInsn(final int opcode, final String owner, final String name, final String descriptor)
        {
            target.visitFieldInsn(opcode, owner, name, descriptor);
        }

        public void visitMethodInsn(
            final int opcode, final String owner, final String name, final String descriptor, final boolean itf)
        {
            target.visitMethodInsn(opcode, owner, name, descriptor, itf);
        }

        public void visitInvokeDynamicInsn(
            final String name,
            final String descriptor,
            final net.bytebuddy.jar.asm.Handle bootstrapMethodHandle,
            final Object... bootstrapMethodArguments)
        {
            target.visitInvokeDynamicInsn(name, descriptor, (org.objectweb.asm.Handle)asmValue(bootstrapMethodHandle),
                asmValues(bootstrapMethodArguments));
        }

        public void visitJumpInsn(final int opcode, final net.bytebuddy.jar.asm.Label label)
        {
            target.visitJumpInsn(opcode, asm(label));
        }

        public void visitLabel(final net.bytebuddy.jar.asm.Label label)
        {
            target.visitLabel(asm(label));
        }

        public void visitLdcInsn(final Object value)
        {
            target.visitLdcInsn(asmValue(value));
        }

        public void visitIincInsn(final int varIndex, final int increment)
        {
            target.visitIincInsn(varIndex, increment);
        }

        public void visitTableSwitchInsn(
            final int min, final int max, final net.bytebuddy.jar.asm.Label dflt,
            final net.bytebuddy.jar.asm.Label... labels)
        {
            target.visitTableSwitchInsn(min, max, asm(dflt), asm(labels));
        }

        public void visitLookupSwitchInsn(
            final net.bytebuddy.jar.asm.Label dflt, final int[] keys, final net.bytebuddy.jar.asm.Label[] labels)
        {
            target.visitLookupSwitchInsn(asm(dflt), keys, asm(labels));
        }

        public void visitMultiANewArrayInsn(final String descriptor, final int numDimensions)
        {
            target.visitMultiANewArrayInsn(descriptor, numDimensions);
        }

        public void visitTryCatchBlock(
            final net.bytebuddy.jar.asm.Label start,
            final net.bytebuddy.jar.asm.Label end,
            final net.bytebuddy.jar.asm.Label handler,
            final String type)
        {
            target.visitTryCatchBlock(asm(start), asm(end), asm(handler), type);
        }

        public void visitLocalVariable(
            final String name,
            final String descriptor,
            final String signature,
            final net.bytebuddy.jar.asm.Label start,
            final net.bytebuddy.jar.asm.Label end,
            final int index)
        {
            target.visitLocalVariable(name, descriptor, signature, asm(start), asm(end), index);
        }

        public void visitLineNumber(final int line, final net.bytebuddy.jar.asm.Label start)
        {
            target.visitLineNumber(line, asm(start));
        }

        public void visitMaxs(final int maxStack, final int maxLocals)
        {
            target.visitMaxs(maxStack, maxLocals);
        }
    }

    private final class ToByteBuddy extends org.objectweb.asm.MethodVisitor
    {
        private final MethodVisitor target;

        ToByteBuddy(final MethodVisitor target)
        {
            super(org.objectweb.asm.Opcodes.ASM9);
            this.target = target;
        }

        public void visitCode()
        {
            target.visitCode();
        }

        public void visitFrame(
            final int type, final int numLocal, final Object[] local, final int numStack, final Object[] stack)
        {
            target.visitFrame(type, numLocal, byteBuddyValues(local), numStack, byteBuddyValues(stack));
        }

        public void visitInsn(final int opcode)
        {
            target.visitInsn(opcode);
        }

        public void visitIntInsn(final int opcode, final int operand)
        {
            target.visitIntInsn(opcode, operand);
        }

        public void visitVarInsn(final int opcode, final int varIndex)
        {
            target.visitVarInsn(opcode, varIndex);
        }

        public void visitTypeInsn(final int opcode, final String type)
        {
            target.visitTypeInsn(opcode, type);
        }

        public void visitFieldInsn(final int opcode, final String owner, final String name, final String descriptor)
        {
            target.visitFieldInsn(opcode, owner, name, descriptor);
        }

        public void visitMethodInsn(
            final int opcode, final String owner, final String name, final String descriptor, final boolean itf)
        {
            target.visitMethodInsn(opcode, owner, name, descriptor, itf);
        }

        public void visitInvokeDynamicInsn(
            final String name,
            final String descriptor,
            final org.objectweb.asm.Handle bootstrapMethodHandle,
            final Object... bootstrapMethodArguments)
        {
            target.visitInvokeDynamicInsn(name, descriptor,
                (net.bytebuddy.jar.asm.Handle)byteBuddyValue(bootstrapMethodHandle),
                byteBuddyValues(bootstrapMethodArguments));
        }

        public void visitJumpInsn(final int opcode, final org.objectweb.asm.Label label)
        {
            target.visitJumpInsn(opcode, byteBuddy(label));
        }

        public void visitLabel(final org.objectweb.asm.Label label)
        {
            target.visitLabel(byteBuddy(label));
        }

        public void visitLdcInsn(final Object value)
        {
            target.visitLdcInsn(byteBuddyValue(value));
        }

        public void visitIincInsn(final int varIndex, final int increment)
        {
            target.visitIincInsn(varIndex, increment);
        }

        public void visitTableSwitchInsn(
            final int min, final int max, final org.objectweb.asm.Label dflt, final org.objectweb.asm.Label... labels)
        {
            target.visitTableSwitchInsn(min, max, byteBuddy(dflt), byteBuddy(labels));
        }

        public void visitLookupSwitchInsn(
            final org.objectweb.asm.Label dflt, final int[] keys, final org.objectweb.asm.Label[] labels)
        {
            target.visitLookupSwitchInsn(byteBuddy(dflt), keys, byteBuddy(labels));
        }

        public void visitMultiANewArrayInsn(final String descriptor, final int numDimensions)
        {
            target.visitMultiANewArrayInsn(descriptor, numDimensions);
        }

        public void visitTryCatchBlock(
            final org.objectweb.asm.Label start,
            final org.objectweb.asm.Label end,
            final org.objectweb.asm.Label handler,
            final String type)
        {
            target.visitTryCatchBlock(byteBuddy(start), byteBuddy(end), byteBuddy(handler), type);
        }

        public void visitLocalVariable(
            final String name,
            final String descriptor,
            final String signature,
            final org.objectweb.asm.Label start,
            final org.objectweb.asm.Label end,
            final int index)
        {
            target.visitLocalVariable(name, descriptor, signature, byteBuddy(start), byteBuddy(end), index);
        }

        public void visitLineNumber(final int line, final org.objectweb.asm.Label start)
        {
            target.visitLineNumber(line, byteBuddy(start));
        }

        public void visitMaxs(final int maxStack, final int maxLocals)
        {
            target.visitMaxs(maxStack, maxLocals);
        }
    }
}
