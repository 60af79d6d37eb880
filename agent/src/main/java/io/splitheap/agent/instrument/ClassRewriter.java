package io.splitheap.agent.instrument;

import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.pool.TypePool;

/**
 * Rewrites one class file directly, without an agent: what the transformer does, for tests and tools (a class
 * outside the scope is guarded).
 */
public final class ClassRewriter
{
    private final ScopePolicy scope;

    /**
     * A rewriter.
     *
     * @param scope which classes are rewritten.
     */
    public ClassRewriter(final ScopePolicy scope)
    {
        this.scope = scope;
    }

    /**
     * Rewrites a class file.
     *
     * @param classFile the bytes.
     * @param loader    resolves the class's supertypes (may be null for the system loader).
     * @return the rewritten bytes (the same bytes for a class the scope leaves plain).
     */
    public byte[] rewrite(final byte[] classFile, final ClassLoader loader)
    {
        final ClassReader reader = new ClassReader(classFile);
        if (!scope.handlesFarArrays(reader.getClassName()))
        {
            return classFile;
        }
        final ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
        final TypePool pool = TypePool.Default.of(loader == null ? ClassFileLocator.ForClassLoader.ofSystemLoader() :
            ClassFileLocator.ForClassLoader.of(loader));
        reader.accept(FarObjectsClassVisitor.wrap(new FarClassVisitor(Opcodes.ASM9, writer,
            new MethodResolver(scope, pool), scope.isRewritten(reader.getClassName())), scope,
            new FarObjectLayouts(scope, pool)), ClassReader.EXPAND_FRAMES);
        return writer.toByteArray();
    }
}
