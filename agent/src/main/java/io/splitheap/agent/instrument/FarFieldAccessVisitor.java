package io.splitheap.agent.instrument;

import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.objectweb.asm.tree.InsnList;

/**
 * Rewrites {@code getfield}/{@code putfield} of far fields (see {@link FarObjectLayouts}) into a load or store of the
 * field's slot in the object's far block: {@code laload}/{@code lastore} on the block's arena, which the array
 * rewriting after this visitor turns into far accesses with a helper of the site's own. Values are kept as 8 bytes
 * ({@code double} and {@code float} as their raw bits); a store narrows as {@code putfield} does. A {@code null}
 * object throws the {@code NullPointerException} of reading its arena, at the same instruction.
 * <p>
 * In a constructor of a class whose fields move, the block is allocated just before the superclass constructor is
 * called (so a method the superclass constructor calls reads the JVM's zero, and a write it makes is kept), not
 * before a {@code this(...)} call; and if it moves a {@code final} field, a release fence precedes every return, as
 * the JVM's freeze of final fields does. Calls of {@code Class.getDeclaredFields/getFields/getDeclaredField/getField}
 * go to {@code FarObjects}, which refuses them, loudly, on far classes; and {@code Object.clone()}'s copy gets far
 * blocks of its own (a subclass of a far class may be {@code Cloneable}).
 */
final class FarFieldAccessVisitor extends MethodVisitor
{
    private static final String OBJECTS = "io/splitheap/agent/runtime/FarObjects";
    private static final int EXTRA_STACK = 4;

    private final FarObjectLayouts layouts;
    private final FarObjectLayouts.Layout constructing;
    private final String className;
    private int pendingNews;
    private boolean initialized;

    /**
     * A visitor.
     *
     * @param api          ASM api.
     * @param next         the next visitor.
     * @param layouts      which fields are far.
     * @param className    the class being rewritten.
     * @param constructing the layout of the class if this is one of its constructors and its fields move, else null.
     */
    FarFieldAccessVisitor(
        final int api,
        final MethodVisitor next,
        final FarObjectLayouts layouts,
        final String className,
        final FarObjectLayouts.Layout constructing)
    {
        super(api, next);
        this.layouts = layouts;
        this.className = className;
        this.constructing = constructing;
        this.initialized = constructing == null;
    }

    /**
     * {@inheritDoc}
     */
    public void visitTypeInsn(final int opcode, final String type)
    {
        if (opcode == Opcodes.NEW && !initialized)
        {
            pendingNews++;
        }
        super.visitTypeInsn(opcode, type);
    }

    /**
     * {@inheritDoc}
     */
    public void visitMethodInsn(
        final int opcode, final String owner, final String name, final String descriptor, final boolean isInterface)
    {
        if (opcode == Opcodes.INVOKESPECIAL && "<init>".equals(name) && !initialized)
        {
            if (pendingNews > 0)
            {
                pendingNews--;
            }
            else
            {
                // the call that initializes this: a superclass constructor, or this(...), which allocates itself
                initialized = true;
                if (!owner.equals(className))
                {
                    allocateBlock();
                }
            }
        }
        if (opcode == Opcodes.INVOKEVIRTUAL && "java/lang/Class".equals(owner) && isFieldReflection(name))
        {
            super.visitMethodInsn(Opcodes.INVOKESTATIC, OBJECTS, name, "(Ljava/lang/Class;" + descriptor.substring(1),
                false);
            return;
        }
        super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
        if (opcode == Opcodes.INVOKESPECIAL && "java/lang/Object".equals(owner) && "clone".equals(name) &&
            "()Ljava/lang/Object;".equals(descriptor))
        {
            super.visitMethodInsn(Opcodes.INVOKESTATIC, OBJECTS, "afterClone",
                "(Ljava/lang/Object;)Ljava/lang/Object;", false);
        }
    }

    /**
     * {@inheritDoc}
     */
    public void visitInsn(final int opcode)
    {
        if (opcode == Opcodes.RETURN && constructing != null && constructing.hasFinalField())
        {
            super.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/invoke/VarHandle", "releaseFence", "()V", false);
        }
        super.visitInsn(opcode);
    }

    /**
     * {@inheritDoc}
     */
    public void visitFieldInsn(final int opcode, final String owner, final String name, final String descriptor)
    {
        final FarObjectLayouts.MovedField field = opcode == Opcodes.GETFIELD || opcode == Opcodes.PUTFIELD ?
            layouts.field(owner, name, descriptor) : null;
        if (field == null)
        {
            super.visitFieldInsn(opcode, owner, name, descriptor);
        }
        else if (opcode == Opcodes.GETFIELD)
        {
            // obj -> obj, obj -> obj, arena -> arena, obj -> arena, base -> arena, index -> long -> value
            super.visitInsn(Opcodes.DUP);
            super.visitFieldInsn(Opcodes.GETFIELD, owner, field.layout.arenaField, "[J");
            super.visitInsn(Opcodes.SWAP);
            slotIndex(owner, field);
            super.visitInsn(Opcodes.LALOAD);
            fromSlot(descriptor);
        }
        else
        {
            // obj, value -> obj, long -> long, obj -> long, arena, index -> arena, index, long
            toSlot(descriptor);
            super.visitInsn(Opcodes.DUP2_X1);
            super.visitInsn(Opcodes.POP2);
            super.visitInsn(Opcodes.DUP);
            super.visitFieldInsn(Opcodes.GETFIELD, owner, field.layout.arenaField, "[J");
            super.visitInsn(Opcodes.SWAP);
            slotIndex(owner, field);
            super.visitInsn(Opcodes.DUP2_X2);
            super.visitInsn(Opcodes.POP2);
            super.visitInsn(Opcodes.LASTORE);
        }
    }

    /**
     * {@inheritDoc}
     */
    public void visitMaxs(final int maxStack, final int maxLocals)
    {
        super.visitMaxs(maxStack + EXTRA_STACK, maxLocals);
    }

    private void allocateBlock()
    {
        super.visitVarInsn(Opcodes.ALOAD, 0);
        pushInt(constructing.slots());
        super.visitMethodInsn(Opcodes.INVOKESTATIC, OBJECTS, "allocate", "(I)Ljava/lang/Object;", false);
        super.visitTypeInsn(Opcodes.CHECKCAST, "[J");
        super.visitFieldInsn(Opcodes.PUTFIELD, className, constructing.arenaField, "[J");
        super.visitVarInsn(Opcodes.ALOAD, 0);
        super.visitMethodInsn(Opcodes.INVOKESTATIC, OBJECTS, "base", "()I", false);
        super.visitFieldInsn(Opcodes.PUTFIELD, className, constructing.baseField, "I");
    }

    private void slotIndex(final String owner, final FarObjectLayouts.MovedField field)
    {
        super.visitFieldInsn(Opcodes.GETFIELD, owner, field.layout.baseField, "I");
        if (field.slot != 0)
        {
            pushInt(field.slot);
            super.visitInsn(Opcodes.IADD);
        }
    }

    private void toSlot(final String descriptor)
    {
        final InsnList code = new InsnList();
        FieldSlots.toSlot(code, descriptor);
        code.accept(new AsmBridge().toByteBuddy(mv));
    }

    private void fromSlot(final String descriptor)
    {
        final InsnList code = new InsnList();
        FieldSlots.fromSlot(code, descriptor);
        code.accept(new AsmBridge().toByteBuddy(mv));
    }

    private void pushInt(final int value)
    {
        if (value <= 5)
        {
            super.visitInsn(Opcodes.ICONST_0 + value);
        }
        else if (value <= Byte.MAX_VALUE)
        {
            super.visitIntInsn(Opcodes.BIPUSH, value);
        }
        else if (value <= Short.MAX_VALUE)
        {
            super.visitIntInsn(Opcodes.SIPUSH, value);
        }
        else
        {
            super.visitLdcInsn(value);
        }
    }

    private static boolean isFieldReflection(final String name)
    {
        return "getDeclaredFields".equals(name) || "getFields".equals(name) || "getDeclaredField".equals(name) ||
            "getField".equals(name);
    }
}
