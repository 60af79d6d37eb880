package io.splitheap.agent.runtime;

import java.lang.invoke.MethodHandles;
import java.util.function.BiFunction;

/**
 * {@code MethodHandles.Lookup.defineHiddenClass} and {@code defineHiddenClassWithClassData} for rewritten and
 * guarded code. The JVM does not show hidden classes to class file transformers, so a framework that defines one at
 * run time (generated accessors, serializers, proxies) would get code that reads a far array as its empty
 * placeholder. Calls to these two methods are redirected here, and the class file is rewritten (or guarded, by the
 * agent's scope, as the transformer would treat a class of that name) before it is defined. The class file may
 * itself be a far array: it is read where it lives. Without an installed rewriter (no agent), the bytes are defined
 * as they are.
 */
public final class FarHiddenClasses
{
    private static volatile BiFunction<byte[], ClassLoader, byte[]> rewriter;

    private FarHiddenClasses()
    {
    }

    /**
     * Sets the rewriter hidden class files go through (the agent does, with its scope).
     *
     * @param classRewriter class file and defining loader to rewritten class file, or null for none.
     */
    public static void install(final BiFunction<byte[], ClassLoader, byte[]> classRewriter)
    {
        rewriter = classRewriter;
    }

    /**
     * {@code lookup.defineHiddenClass(bytes, initialize, options)} with the class file rewritten.
     *
     * @param lookup     the lookup that defines the class.
     * @param bytes      the class file.
     * @param initialize whether to initialize the class.
     * @param options    class options.
     * @return the lookup of the hidden class.
     * @throws IllegalAccessException as the JDK's method.
     */
    public static MethodHandles.Lookup defineHiddenClass(final MethodHandles.Lookup lookup, final byte[] bytes,
        final boolean initialize, final MethodHandles.Lookup.ClassOption... options) throws IllegalAccessException
    {
        return lookup.defineHiddenClass(rewrite(lookup, bytes, options != null), initialize, options);
    }

    /**
     * {@code lookup.defineHiddenClassWithClassData(bytes, data, initialize, options)} with the class file rewritten.
     *
     * @param lookup     the lookup that defines the class.
     * @param bytes      the class file.
     * @param data       the class data.
     * @param initialize whether to initialize the class.
     * @param options    class options.
     * @return the lookup of the hidden class.
     * @throws IllegalAccessException as the JDK's method.
     */
    public static MethodHandles.Lookup defineHiddenClassWithClassData(final MethodHandles.Lookup lookup,
        final byte[] bytes, final Object data, final boolean initialize,
        final MethodHandles.Lookup.ClassOption... options) throws IllegalAccessException
    {
        return lookup.defineHiddenClassWithClassData(rewrite(lookup, bytes, options != null && data != null), data,
            initialize, options);
    }

    /**
     * The class file to define: a heap copy if it is far, rewritten only when the JDK would accept the call, so that
     * a call the JDK refuses (a null argument, a lookup without full privilege, bytes that are not a class file)
     * fails with the JDK's own exception, as without the agent.
     */
    private static byte[] rewrite(final MethodHandles.Lookup lookup, final byte[] bytes, final boolean argumentsValid)
    {
        if (lookup == null || bytes == null)
        {
            return bytes;
        }
        byte[] classFile = bytes;
        if (FarArrays.far(bytes) != null)
        {
            classFile = new byte[FarArrays.length(bytes)];
            FarArrays.arraycopy(bytes, 0, classFile, 0, classFile.length);
        }
        final BiFunction<byte[], ClassLoader, byte[]> current = rewriter;
        if (current == null || !argumentsValid || !lookup.hasFullPrivilegeAccess() || !isClassFile(classFile))
        {
            return classFile;
        }
        return current.apply(classFile, lookup.lookupClass().getClassLoader());
    }

    private static boolean isClassFile(final byte[] classFile)
    {
        return classFile.length >= 10 && (classFile[0] & 0xFF) == 0xCA && (classFile[1] & 0xFF) == 0xFE &&
            (classFile[2] & 0xFF) == 0xBA && (classFile[3] & 0xFF) == 0xBE;
    }
}
