package io.splitheap.agent.instrument;

import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.matcher.ElementMatchers;
import net.bytebuddy.utility.JavaModule;
import org.agrona.ErrorHandler;

import java.lang.instrument.Instrumentation;
import java.util.function.BiFunction;

/**
 * Installs the class transformer with Byte Buddy's agent builder: classes of the application (not the bootstrap or
 * platform loaders', not the agent's, within {@code include=}/{@code exclude=}) are rewritten as they load, and the
 * other application classes guarded (unless {@code outside=plain}); classes loaded before the agent are left alone. Failures to rewrite a class are reported, never swallowed; the class then
 * loads unchanged.
 */
public final class FarTransformer
{
    private FarTransformer()
    {
    }

    /**
     * Installs the transformer.
     *
     * @param instrumentation the JVM's instrumentation.
     * @param scope           which classes to rewrite.
     * @param errorHandler    receives rewriting failures.
     * @return the transformer, which can be removed again.
     */
    public static ResettableClassFileTransformer install(
        final Instrumentation instrumentation, final ScopePolicy scope, final ErrorHandler errorHandler)
    {
        final ClassLoader platform = ClassLoader.getPlatformClassLoader();
        // no Nexus (the initialization strategy is NoOp): Byte Buddy would otherwise set up an Unsafe-based class
        // injector for it, which Java 24+ reports on the program's stderr. The name is relocated with Byte Buddy in
        // the shaded jar, so the program's own Byte Buddy is not affected.
        System.setProperty(net.bytebuddy.dynamic.Nexus.PROPERTY, "true");
        return new AgentBuilder.Default()
            .disableClassFormatChanges()
            .with(AgentBuilder.RedefinitionStrategy.DISABLED)
            .with(AgentBuilder.TypeStrategy.Default.DECORATE)
            .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
            // the rewriting adds no auxiliary classes: nothing to inject, and no Unsafe-based injector to set up
            // (on Java 24+ that would print sun.misc.Unsafe deprecation warnings into the program's stderr)
            .with(AgentBuilder.InjectionStrategy.Disabled.INSTANCE)
            .with(new ErrorListener(errorHandler))
            .ignore((type, loader, module, classBeingRedefined, protectionDomain) ->
                loader == null || loader == platform || !scope.handlesFarArrays(type.getInternalName()))
            .type(ElementMatchers.any())
            .transform((builder, type, loader, module, protectionDomain) -> builder.visit(new FarVisitorWrapper(scope)))
            .installOn(instrumentation);
    }

    /**
     * What hidden class files go through before they are defined ({@code FarHiddenClasses}): the transformer's
     * rewriting, for the same classes (none of the bootstrap or platform loaders', those the scope rewrites or
     * guards). A class file that cannot be rewritten is reported like a class that cannot, and defined unchanged.
     *
     * @param scope        which classes to rewrite.
     * @param errorHandler receives rewriting failures.
     * @return class file and defining loader to the class file to define.
     */
    public static BiFunction<byte[], ClassLoader, byte[]> hiddenClassRewriter(
        final ScopePolicy scope, final ErrorHandler errorHandler)
    {
        final ClassRewriter rewriter = new ClassRewriter(scope);
        final ClassLoader platform = ClassLoader.getPlatformClassLoader();
        return (classFile, loader) ->
        {
            if (loader == null || loader == platform)
            {
                return classFile;
            }
            try
            {
                return rewriter.rewrite(classFile, loader);
            }
            catch (final RuntimeException | LinkageError ex)
            {
                errorHandler.onError(new IllegalStateException("could not rewrite hidden class " +
                    className(classFile) + "; it is defined unchanged and its arrays stay on the heap", ex));
                return classFile;
            }
        };
    }

    private static String className(final byte[] classFile)
    {
        try
        {
            return new ClassReader(classFile).getClassName().replace('/', '.');
        }
        catch (final RuntimeException ex)
        {
            return "(class file unreadable: " + ex + ")";
        }
    }

    private static final class ErrorListener extends AgentBuilder.Listener.Adapter
    {
        private final ErrorHandler errorHandler;

        ErrorListener(final ErrorHandler errorHandler)
        {
            this.errorHandler = errorHandler;
        }

        public void onError(
            final String typeName,
            final ClassLoader classLoader,
            final JavaModule module,
            final boolean loaded,
            final Throwable throwable)
        {
            errorHandler.onError(new IllegalStateException("could not rewrite " + typeName +
                "; it runs unchanged and its arrays stay on the heap", throwable));
        }

        public void onTransformation(
            final TypeDescription typeDescription,
            final ClassLoader classLoader,
            final JavaModule module,
            final boolean loaded,
            final DynamicType dynamicType)
        {
        }
    }
}
