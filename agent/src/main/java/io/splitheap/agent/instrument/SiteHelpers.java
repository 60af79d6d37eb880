package io.splitheap.agent.instrument;

import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One small static helper per array access site, added to the class the site is in. Each helper starts with the
 * JVM's own check ({@code a != null && i >= 0 && i < a.length}) and the plain access, and calls
 * {@code FarAccess.xxxFar} otherwise. Because every site has its own method, the JIT keeps a branch profile per site:
 * a site that only ever saw heap arrays compiles to the plain access with the far branch as an uncommon trap (so its
 * loops keep range-check elimination and vectorisation), however many far accesses other sites make. With one shared
 * helper, a single far access anywhere made the far branch look taken for every local loop.
 * <p>
 * Helpers need stack map frames (class files from Java 6 on) and, in interfaces, static methods (Java 8 on); other
 * classes, and classes with more than {@link #MAX_SITES} sites, call the shared {@code FarAccess} helpers instead.
 */
final class SiteHelpers
{
    static final int MAX_SITES = 4096;

    private static final int JAVA_6 = 50;
    private static final int JAVA_8 = 52;
    private static final int JAVA_9 = 53;
    private static final String PREFIX = "splitheap$access$";

    private static final AtomicInteger GLOBAL_SITES = new AtomicInteger();

    private final String owner;
    private final boolean isInterface;
    private final int version;
    private final List<Integer> opcodes = new ArrayList<>();

    SiteHelpers(final String owner, final boolean isInterface, final int version)
    {
        this.owner = owner;
        this.isInterface = isInterface;
        this.version = version;
    }

    /**
     * Emits the call that replaces an array instruction: to a new helper of this class, or to the shared one.
     *
     * @param target  where the rewritten code goes.
     * @param opcode  the array instruction.
     * @param replace name and descriptor of the shared helper ({@link ArrayAccessVisitor#replacement}).
     */
    void call(final MethodVisitor target, final int opcode, final String[] replace)
    {
        if (version < JAVA_6 || (isInterface && version < JAVA_8) || opcodes.size() >= MAX_SITES)
        {
            target.visitMethodInsn(Opcodes.INVOKESTATIC, RuntimeNames.ACCESS, replace[0], replace[1], false);
            return;
        }
        target.visitMethodInsn(Opcodes.INVOKESTATIC, owner, PREFIX + opcodes.size(), replace[1], isInterface);
        opcodes.add(opcode);
    }

    /**
     * Adds the helpers to the class. They go straight to the class writer: they are not rewritten themselves. A
     * helper's slow path passes a number of its own to the shared helper, which keys a memo of the last far array
     * the site saw.
     *
     * @param writer the class writer (below the rewriting visitors).
     */
    void emit(final ClassVisitor writer)
    {
        final int access = Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC |
            (isInterface && version < JAVA_9 ? Opcodes.ACC_PUBLIC : Opcodes.ACC_PRIVATE);
        for (int site = 0; site < opcodes.size(); site++)
        {
            final int opcode = opcodes.get(site);
            final String[] replace = ArrayAccessVisitor.replacement(opcode);
            final MethodVisitor method = writer.visitMethod(access, PREFIX + site, replace[1], null, null);
            method.visitCode();
            if (opcode == Opcodes.ARRAYLENGTH)
            {
                writeLength(method);
            }
            else if (opcode == Opcodes.BALOAD || opcode == Opcodes.BASTORE)
            {
                writeBytes(method, opcode, replace);
            }
            else
            {
                writeAccess(method, opcode, replace);
            }
            method.visitMaxs(0, 0);
            method.visitEnd();
        }
        opcodes.clear();
    }

    private static void writeAccess(final MethodVisitor method, final int opcode, final String[] replace)
    {
        final Label far = new Label();
        method.visitVarInsn(Opcodes.ALOAD, 0);
        method.visitJumpInsn(Opcodes.IFNULL, far);
        method.visitVarInsn(Opcodes.ILOAD, 1);
        method.visitJumpInsn(Opcodes.IFLT, far);
        method.visitVarInsn(Opcodes.ILOAD, 1);
        method.visitVarInsn(Opcodes.ALOAD, 0);
        method.visitInsn(Opcodes.ARRAYLENGTH);
        method.visitJumpInsn(Opcodes.IF_ICMPGE, far);
        loadArguments(method, replace[1]);
        method.visitInsn(opcode);
        method.visitInsn(returnOpcode(replace[1]));
        method.visitLabel(far);
        method.visitFrame(Opcodes.F_SAME, 0, null, 0, null);
        callFar(method, replace);
    }

    /**
     * {@code baload}/{@code bastore} serve {@code byte[]} and {@code boolean[]} alike: the fast path is for
     * {@code byte[]}, everything else (booleans, far arrays, errors) goes to the shared slow path.
     */
    private static void writeBytes(final MethodVisitor method, final int opcode, final String[] replace)
    {
        final Label far = new Label();
        method.visitVarInsn(Opcodes.ALOAD, 0);
        method.visitTypeInsn(Opcodes.INSTANCEOF, "[B");
        method.visitJumpInsn(Opcodes.IFEQ, far);
        method.visitVarInsn(Opcodes.ILOAD, 1);
        method.visitJumpInsn(Opcodes.IFLT, far);
        method.visitVarInsn(Opcodes.ILOAD, 1);
        method.visitVarInsn(Opcodes.ALOAD, 0);
        method.visitTypeInsn(Opcodes.CHECKCAST, "[B");
        method.visitInsn(Opcodes.ARRAYLENGTH);
        method.visitJumpInsn(Opcodes.IF_ICMPGE, far);
        method.visitVarInsn(Opcodes.ALOAD, 0);
        method.visitTypeInsn(Opcodes.CHECKCAST, "[B");
        method.visitVarInsn(Opcodes.ILOAD, 1);
        if (opcode == Opcodes.BASTORE)
        {
            method.visitVarInsn(Opcodes.ILOAD, 2);
        }
        method.visitInsn(opcode);
        method.visitInsn(returnOpcode(replace[1]));
        method.visitLabel(far);
        method.visitFrame(Opcodes.F_SAME, 0, null, 0, null);
        callFar(method, replace);
    }

    private static void writeLength(final MethodVisitor method)
    {
        final Label zero = new Label();
        final Label slow = new Label();
        method.visitVarInsn(Opcodes.ALOAD, 0);
        method.visitJumpInsn(Opcodes.IFNULL, slow);
        method.visitVarInsn(Opcodes.ALOAD, 0);
        method.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/reflect/Array", "getLength",
            "(Ljava/lang/Object;)I", false);
        method.visitInsn(Opcodes.DUP);
        method.visitJumpInsn(Opcodes.IFEQ, zero);
        method.visitInsn(Opcodes.IRETURN);
        method.visitLabel(zero);
        method.visitFrame(Opcodes.F_SAME1, 0, null, 1, new Object[]{Opcodes.INTEGER});
        method.visitInsn(Opcodes.POP);
        method.visitLabel(slow);
        method.visitFrame(Opcodes.F_SAME, 0, null, 0, null);
        method.visitVarInsn(Opcodes.ALOAD, 0);
        method.visitMethodInsn(Opcodes.INVOKESTATIC, RuntimeNames.ACCESS, "arraylength", "(Ljava/lang/Object;)I",
            false);
        method.visitInsn(Opcodes.IRETURN);
    }

    /**
     * The slow path: the shared {@code xxxFar} helper, told a number of this site (global, so that sites of
     * different classes do not share the descriptor memo it keys).
     */
    private static void callFar(final MethodVisitor method, final String[] replace)
    {
        loadArguments(method, replace[1]);
        method.visitLdcInsn(GLOBAL_SITES.getAndIncrement());
        final String descriptor = replace[1].replace(")", "I)");
        method.visitMethodInsn(Opcodes.INVOKESTATIC, RuntimeNames.ACCESS, replace[0] + "Far", descriptor, false);
        method.visitInsn(returnOpcode(replace[1]));
    }

    private static void loadArguments(final MethodVisitor method, final String descriptor)
    {
        int slot = 0;
        for (final Type argument : Type.getArgumentTypes(descriptor))
        {
            method.visitVarInsn(argument.getOpcode(Opcodes.ILOAD), slot);
            slot += argument.getSize();
        }
    }

    private static int returnOpcode(final String descriptor)
    {
        return Type.getReturnType(descriptor).getOpcode(Opcodes.IRETURN);
    }
}
