package io.splitheap.agent.instrument;

import io.splitheap.agent.TestFarMemory;
import io.splitheap.agent.runtime.FarAccess;
import io.splitheap.agent.runtime.FarArrays;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A method that fits the JVM's 64 KiB code limit but would not once rewritten (a static table of array literals,
 * as generated code and test fixtures have) keeps its own arrays on the heap and its accesses to them plain, while its
 * accesses to arrays from elsewhere are rewritten (so a far array it is given reads correctly); the rest of its class
 * is rewritten.
 */
class LargeMethodTest
{
    private static final String NAME = "io/splitheap/generated/Tables";
    private static final int ELEMENTS = 9000;

    @Test
    void shouldRewriteTheRestOfAClassWhoseMethodWouldGrowTooLarge() throws Exception
    {
        try (TestFarMemory ignored = new TestFarMemory(16 * 4096, "fifo"))
        {
            final byte[] original = tables();
            final byte[] rewritten = new ClassRewriter(new ScopePolicy(List.of("io.splitheap.generated"), List.of()))
                .rewrite(original, getClass().getClassLoader());
            final Class<?> type = new ClassLoader(getClass().getClassLoader())
            {
                Class<?> define()
                {
                    return defineClass(NAME.replace('/', '.'), rewritten, 0, rewritten.length);
                }
            }.define();

            final byte[] table = (byte[])type.getMethod("table").invoke(null);
            assertEquals(ELEMENTS, table.length, "the unrewritten method's array is a heap array");
            for (int i = 0; i < ELEMENTS; i++)
            {
                assertEquals((byte)(i % 100), table[i], "element " + i);
            }
            assertNull(FarArrays.far(table));
            final Object far = type.getMethod("small").invoke(null);
            assertNotNull(FarArrays.far(far), "the other method was rewritten");
            FarAccess.bastore(far, 15, 77);
            final byte[] copied = (byte[])type.getMethod("tableFrom", byte[].class).invoke(null, far);
            assertEquals(77, copied[0], "the large method read the far array it was given");
            assertEquals((byte)0, copied[1]);
            assertNull(FarArrays.far(copied), "its own array stayed on the heap");
        }
    }

    /**
     * {@code new byte[]{0, 1, ..., modulus - 1, 0, 1, ...}} of {@link #ELEMENTS} elements, as javac compiles a literal.
     */
    private static void byteArrayLiteral(final MethodVisitor method, final int modulus)
    {
        method.visitIntInsn(Opcodes.SIPUSH, ELEMENTS);
        method.visitIntInsn(Opcodes.NEWARRAY, Opcodes.T_BYTE);
        for (int i = 0; i < ELEMENTS; i++)
        {
            method.visitInsn(Opcodes.DUP);
            method.visitIntInsn(Opcodes.SIPUSH, i);
            method.visitIntInsn(Opcodes.BIPUSH, i % modulus);
            method.visitInsn(Opcodes.BASTORE);
        }
    }

    private static byte[] tables()
    {
        final ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, NAME, null, "java/lang/Object", null);
        final MethodVisitor table = writer.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "table", "()[B", null,
            null);
        table.visitCode();
        byteArrayLiteral(table, 100);
        table.visitInsn(Opcodes.ARETURN);
        table.visitMaxs(0, 0);
        table.visitEnd();
        final MethodVisitor from = writer.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "tableFrom", "([B)[B",
            null, null);
        from.visitCode();
        byteArrayLiteral(from, 1);
        // table[0] = source[source.length - 1]
        from.visitInsn(Opcodes.DUP);
        from.visitInsn(Opcodes.ICONST_0);
        from.visitVarInsn(Opcodes.ALOAD, 0);
        from.visitVarInsn(Opcodes.ALOAD, 0);
        from.visitInsn(Opcodes.ARRAYLENGTH);
        from.visitInsn(Opcodes.ICONST_1);
        from.visitInsn(Opcodes.ISUB);
        from.visitInsn(Opcodes.BALOAD);
        from.visitInsn(Opcodes.BASTORE);
        from.visitInsn(Opcodes.ARETURN);
        from.visitMaxs(0, 0);
        from.visitEnd();
        final MethodVisitor small = writer.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "small", "()[B", null,
            null);
        small.visitCode();
        small.visitIntInsn(Opcodes.BIPUSH, 16);
        small.visitIntInsn(Opcodes.NEWARRAY, Opcodes.T_BYTE);
        small.visitInsn(Opcodes.ARETURN);
        small.visitMaxs(0, 0);
        small.visitEnd();
        writer.visitEnd();
        return writer.toByteArray();
    }
}
