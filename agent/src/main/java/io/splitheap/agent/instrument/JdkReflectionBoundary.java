package io.splitheap.agent.instrument;

import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.agrona.ErrorHandler;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Far arrays that the JDK finds by itself, not as arguments: {@code java.beans} (XMLEncoder, persistence delegates,
 * {@code Statement}/{@code Expression}) and JMX (standard MBeans and MXBeans) read a bean's properties by calling
 * its getters reflectively, all through {@code sun.reflect.misc.MethodUtil.invoke}. This transformer rewrites that
 * one JDK method so that its result goes through {@code FarBoundary.fromReflection} before it returns: a far array
 * a getter returns reaches the JDK moved to the heap, as at any boundary call. The JDK's own module is made to read
 * the agent's (see {@code SplitheapAgent.openModules}).
 */
public final class JdkReflectionBoundary implements ClassFileTransformer
{
    static final String METHOD_UTIL = "sun/reflect/misc/MethodUtil";
    private static final String INVOKE_DESCRIPTOR =
        "(Ljava/lang/reflect/Method;Ljava/lang/Object;[Ljava/lang/Object;)Ljava/lang/Object;";

    private static final AtomicBoolean INSTALLED = new AtomicBoolean();

    private final ErrorHandler errorHandler;

    private JdkReflectionBoundary(final ErrorHandler errorHandler)
    {
        this.errorHandler = errorHandler;
    }

    /**
     * Rewrites {@code MethodUtil.invoke} (loading the class if needed, without initialising it), once per JVM: the
     * rewritten method stays in place for the JVM's life (the transformer stays registered, so that a
     * retransformation by another agent keeps it), and is harmless once the agent has stopped.
     *
     * @param instrumentation the JVM's instrumentation (able to retransform).
     * @param errorHandler    told if the JDK's class cannot be rewritten (then the JDK reads far arrays as empty).
     */
    public static void install(final Instrumentation instrumentation, final ErrorHandler errorHandler)
    {
        if (!INSTALLED.compareAndSet(false, true))
        {
            return;
        }
        try
        {
            final Class<?> methodUtil = Class.forName(METHOD_UTIL.replace('/', '.'), false, null);
            instrumentation.addTransformer(new JdkReflectionBoundary(errorHandler), true);
            instrumentation.retransformClasses(methodUtil);
        }
        catch (final Exception | LinkageError ex)
        {
            errorHandler.onError(new IllegalStateException("cannot rewrite " + METHOD_UTIL.replace('/', '.') +
                ": java.beans and JMX will read far arrays that getters return as empty arrays", ex));
        }
    }

    /**
     * {@inheritDoc}
     */
    public byte[] transform(
        final Module module,
        final ClassLoader loader,
        final String className,
        final Class<?> classBeingRedefined,
        final ProtectionDomain protectionDomain,
        final byte[] classFile)
    {
        if (loader != null || !METHOD_UTIL.equals(className))
        {
            return null;
        }
        try
        {
            return rewrite(classFile);
        }
        catch (final RuntimeException ex)
        {
            errorHandler.onError(new IllegalStateException("cannot rewrite " + METHOD_UTIL.replace('/', '.') +
                ": java.beans and JMX will read far arrays that getters return as empty arrays", ex));
            return null;
        }
    }

    /**
     * {@code MethodUtil}'s class file with every return of {@code invoke} passing its value through
     * {@code FarBoundary.fromReflection} (one call on the returned reference: no new branch, frame or local).
     *
     * @param classFile the original class file.
     * @return the rewritten one.
     */
    static byte[] rewrite(final byte[] classFile)
    {
        final ClassReader reader = new ClassReader(classFile);
        final ClassWriter writer = new ClassWriter(reader, 0);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer)
        {
            public MethodVisitor visitMethod(final int access, final String name, final String descriptor,
                final String signature, final String[] exceptions)
            {
                final MethodVisitor method = super.visitMethod(access, name, descriptor, signature, exceptions);
                if (!"invoke".equals(name) || !INVOKE_DESCRIPTOR.equals(descriptor))
                {
                    return method;
                }
                return new MethodVisitor(Opcodes.ASM9, method)
                {
                    public void visitInsn(final int opcode)
                    {
                        if (opcode == Opcodes.ARETURN)
                        {
                            super.visitMethodInsn(Opcodes.INVOKESTATIC, RuntimeNames.BOUNDARY, "fromReflection",
                                "(Ljava/lang/Object;)Ljava/lang/Object;", false);
                        }
                        super.visitInsn(opcode);
                    }
                };
            }
        }, 0);
        return writer.toByteArray();
    }
}
