package io.splitheap.agent.instrument;

import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Bridge methods for method references into code that handles no far arrays. {@code map(Arrays::toString)} or
 * {@code map(String::new)} on byte arrays compiles to an {@code invokedynamic} whose implementation handle calls the
 * JDK directly from a class the lambda factory spins, which no rewriting reaches, so the JDK would read a far
 * array's empty placeholder. The handle is replaced by a private static bridge in the class itself that makes the
 * same call; the bridge is rewritten like the rest of the class, so its call crosses the boundary as any other.
 */
final class LambdaBridges
{
    private static final int JAVA_8 = 52;
    private static final int JAVA_9 = 53;

    private final String owner;
    private final boolean isInterface;
    private final int version;
    private final Map<String, Bridge> bridges = new LinkedHashMap<>();

    LambdaBridges(final String owner, final boolean isInterface, final int version)
    {
        this.owner = owner;
        this.isInterface = isInterface;
        this.version = version;
    }

    /**
     * The handle to use in place of a method reference's implementation.
     *
     * @param target the implementation handle.
     * @return a handle of a static bridge in this class, or the target if no bridge can be added here.
     */
    Handle bridgeFor(final Handle target)
    {
        if (isInterface && version < JAVA_8)
        {
            return target;
        }
        final String key = target.getTag() + " " + target.getOwner() + "." + target.getName() + target.getDesc();
        Bridge bridge = bridges.get(key);
        if (bridge == null)
        {
            bridge = new Bridge("splitheap$bridge$" + bridges.size(), target);
            bridges.put(key, bridge);
        }
        return new Handle(Opcodes.H_INVOKESTATIC, owner, bridge.name, bridge.descriptor(), isInterface);
    }

    /**
     * Adds the bridges to the class, through its visitor (so that they are rewritten).
     *
     * @param classVisitor the class's visitor.
     */
    void emit(final ClassVisitor classVisitor)
    {
        final int access = Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC |
            (isInterface && version < JAVA_9 ? Opcodes.ACC_PUBLIC : Opcodes.ACC_PRIVATE);
        for (final Bridge bridge : bridges.values())
        {
            final MethodVisitor method = classVisitor.visitMethod(access, bridge.name, bridge.descriptor(), null, null);
            bridge.writeCode(method);
        }
        bridges.clear();
    }

    /**
     * Whether a handle is of a kind this class bridges: a static, virtual or interface method, or a constructor.
     *
     * @param handle an implementation handle.
     * @return true if bridgeable.
     */
    static boolean isBridgeable(final Handle handle)
    {
        final int tag = handle.getTag();
        return tag == Opcodes.H_INVOKESTATIC || tag == Opcodes.H_INVOKEVIRTUAL || tag == Opcodes.H_INVOKEINTERFACE ||
            tag == Opcodes.H_NEWINVOKESPECIAL;
    }

    private static final class Bridge
    {
        private final String name;
        private final Handle target;

        Bridge(final String name, final Handle target)
        {
            this.name = name;
            this.target = target;
        }

        Type[] parameters()
        {
            final Type[] arguments = Type.getArgumentTypes(target.getDesc());
            if (target.getTag() != Opcodes.H_INVOKEVIRTUAL && target.getTag() != Opcodes.H_INVOKEINTERFACE)
            {
                return arguments;
            }
            final Type[] withReceiver = new Type[arguments.length + 1];
            withReceiver[0] = Type.getObjectType(target.getOwner());
            System.arraycopy(arguments, 0, withReceiver, 1, arguments.length);
            return withReceiver;
        }

        Type returnType()
        {
            return target.getTag() == Opcodes.H_NEWINVOKESPECIAL ? Type.getObjectType(target.getOwner()) :
                Type.getReturnType(target.getDesc());
        }

        String descriptor()
        {
            return Type.getMethodDescriptor(returnType(), parameters());
        }

        void writeCode(final MethodVisitor method)
        {
            method.visitCode();
            final int opcode;
            switch (target.getTag())
            {
                case Opcodes.H_INVOKESTATIC:
                    opcode = Opcodes.INVOKESTATIC;
                    break;
                case Opcodes.H_INVOKEINTERFACE:
                    opcode = Opcodes.INVOKEINTERFACE;
                    break;
                case Opcodes.H_NEWINVOKESPECIAL:
                    opcode = Opcodes.INVOKESPECIAL;
                    method.visitTypeInsn(Opcodes.NEW, target.getOwner());
                    method.visitInsn(Opcodes.DUP);
                    break;
                default:
                    opcode = Opcodes.INVOKEVIRTUAL;
                    break;
            }
            int slot = 0;
            for (final Type parameter : parameters())
            {
                method.visitVarInsn(parameter.getOpcode(Opcodes.ILOAD), slot);
                slot += parameter.getSize();
            }
            method.visitMethodInsn(opcode, target.getOwner(), target.getName(), target.getDesc(),
                target.isInterface());
            method.visitInsn(returnType().getOpcode(Opcodes.IRETURN));
            method.visitMaxs(slot + 2, slot);
            method.visitEnd();
        }
    }
}
