package io.splitheap.agent.instrument;

import io.splitheap.agent.core.Sites;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * The JDK boundary at call sites. {@code System.arraycopy} and primitive-array {@code clone()} become far-aware
 * runtime calls. A call whose implementation is not rewritten (see {@link MethodResolver}) and that takes
 * primitive arrays gets each such argument passed through {@code FarBoundary.toHeap}; a primitive array it returns
 * goes through {@code FarBoundary.fromHeap}. Arguments below the top of the stack are first stored in fresh
 * locals (from {@code max_locals} up, with no branch in between, so no stack map frame changes).
 */
public final class BoundaryRewriter extends MethodVisitor
{
    private static final String TO_HEAP = "(Ljava/lang/Object;I)Ljava/lang/Object;";
    private static final String FROM_HEAP = "(Ljava/lang/Object;)Ljava/lang/Object;";

    private final MethodResolver resolver;
    private final String location;
    private final int firstFreeLocal;
    private int maxLocalUsed;
    private int line;

    /**
     * A rewriter.
     *
     * @param api            ASM api.
     * @param next           the next visitor.
     * @param resolver       finds where calls land.
     * @param location       class and method, for call-site descriptions.
     * @param firstFreeLocal the method's max_locals.
     */
    public BoundaryRewriter(
        final int api,
        final MethodVisitor next,
        final MethodResolver resolver,
        final String location,
        final int firstFreeLocal)
    {
        super(api, next);
        this.resolver = resolver;
        this.location = location;
        this.firstFreeLocal = firstFreeLocal;
        this.maxLocalUsed = firstFreeLocal;
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
    public void visitMethodInsn(
        final int opcode, final String owner, final String name, final String descriptor, final boolean isInterface)
    {
        if (opcode == Opcodes.INVOKESTATIC && "java/lang/System".equals(owner) && "arraycopy".equals(name))
        {
            super.visitMethodInsn(Opcodes.INVOKESTATIC, RuntimeNames.ARRAYS, "arraycopy", descriptor, false);
            return;
        }
        if (owner.startsWith("[") && "clone".equals(name) && isPrimitiveArray(Type.getObjectType(owner)))
        {
            super.visitMethodInsn(Opcodes.INVOKESTATIC, RuntimeNames.ARRAYS, "cloneArray",
                "(Ljava/lang/Object;)Ljava/lang/Object;", false);
            return;
        }
        final Type[] arguments = Type.getArgumentTypes(descriptor);
        final Type returnType = Type.getReturnType(descriptor);
        final int firstArray = firstPrimitiveArray(arguments);
        final boolean returnsArray = isPrimitiveArray(returnType);
        if ((firstArray < 0 && !returnsArray) || isSignaturePolymorphic(owner) ||
            !resolver.crossesBoundary(owner, name, descriptor))
        {
            super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
            return;
        }
        if (firstArray >= 0)
        {
            convertArguments(arguments, firstArray, callSite(owner, name, descriptor));
        }
        super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
        if (returnsArray)
        {
            super.visitMethodInsn(Opcodes.INVOKESTATIC, RuntimeNames.BOUNDARY, "fromHeap", FROM_HEAP, false);
            super.visitTypeInsn(Opcodes.CHECKCAST, returnType.getDescriptor());
        }
    }

    /**
     * {@inheritDoc}
     */
    public void visitMaxs(final int maxStack, final int maxLocals)
    {
        super.visitMaxs(maxStack + 4, Math.max(maxLocals, maxLocalUsed));
    }

    private void convertArguments(final Type[] arguments, final int firstArray, final int callSite)
    {
        if (firstArray == arguments.length - 1)
        {
            toHeap(arguments[firstArray], callSite);
            return;
        }
        final int[] slots = new int[arguments.length];
        int next = firstFreeLocal;
        for (int i = firstArray; i < arguments.length; i++)
        {
            slots[i] = next;
            next += arguments[i].getSize();
        }
        maxLocalUsed = Math.max(maxLocalUsed, next);
        for (int i = arguments.length - 1; i >= firstArray; i--)
        {
            super.visitVarInsn(arguments[i].getOpcode(Opcodes.ISTORE), slots[i]);
        }
        for (int i = firstArray; i < arguments.length; i++)
        {
            super.visitVarInsn(arguments[i].getOpcode(Opcodes.ILOAD), slots[i]);
            if (isPrimitiveArray(arguments[i]))
            {
                toHeap(arguments[i], callSite);
            }
        }
    }

    private void toHeap(final Type arrayType, final int callSite)
    {
        super.visitLdcInsn(callSite);
        super.visitMethodInsn(Opcodes.INVOKESTATIC, RuntimeNames.BOUNDARY, "toHeap", TO_HEAP, false);
        super.visitTypeInsn(Opcodes.CHECKCAST, arrayType.getDescriptor());
    }

    private int callSite(final String owner, final String name, final String descriptor)
    {
        return Sites.CALLS.register(location + ":" + line + " calling " + owner.replace('/', '.') + "." + name +
            descriptor);
    }

    private static int firstPrimitiveArray(final Type[] arguments)
    {
        for (int i = 0; i < arguments.length; i++)
        {
            if (isPrimitiveArray(arguments[i]))
            {
                return i;
            }
        }
        return -1;
    }

    static boolean isPrimitiveArray(final Type type)
    {
        return type.getSort() == Type.ARRAY && type.getDimensions() == 1 &&
            type.getElementType().getSort() != Type.OBJECT;
    }

    private static boolean isSignaturePolymorphic(final String owner)
    {
        return "java/lang/invoke/MethodHandle".equals(owner) || "java/lang/invoke/VarHandle".equals(owner);
    }
}
