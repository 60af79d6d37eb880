package io.splitheap.agent.instrument;

import io.splitheap.agent.TestFarMemory;
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
 * as generated code and test fixtures have) is left as it is, and the rest of its class is still rewritten.
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
            assertNotNull(FarArrays.far(type.getMethod("small").invoke(null)), "the other method was rewritten");
        }
    }

    private static byte[] tables()
    {
        final ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, NAME, null, "java/lang/Object", null);
        final MethodVisitor table = writer.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "table", "()[B", null,
            null);
        table.visitCode();
        table.visitIntInsn(Opcodes.SIPUSH, ELEMENTS);
        table.visitIntInsn(Opcodes.NEWARRAY, Opcodes.T_BYTE);
        for (int i = 0; i < ELEMENTS; i++)
        {
            table.visitInsn(Opcodes.DUP);
            table.visitIntInsn(Opcodes.SIPUSH, i);
            table.visitIntInsn(Opcodes.BIPUSH, i % 100);
            table.visitInsn(Opcodes.BASTORE);
        }
        table.visitInsn(Opcodes.ARETURN);
        table.visitMaxs(0, 0);
        table.visitEnd();
        final MethodVisitor small = writer.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "small", "()[J", null,
            null);
        small.visitCode();
        small.visitIntInsn(Opcodes.BIPUSH, 16);
        small.visitIntInsn(Opcodes.NEWARRAY, Opcodes.T_LONG);
        small.visitInsn(Opcodes.ARETURN);
        small.visitMaxs(0, 0);
        small.visitEnd();
        writer.visitEnd();
        return writer.toByteArray();
    }
}
