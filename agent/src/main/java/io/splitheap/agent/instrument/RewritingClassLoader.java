package io.splitheap.agent.instrument;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Loads the classes of one package rewritten exactly as the agent rewrites them (child first), so that one JVM holds
 * both the compiled and the rewritten copy of the same code: for benchmarks that compare the two, and for tests (a
 * jcstress test, for one) that must run rewritten bytecode in a JVM without the agent. The classes' runtime calls go
 * to the agent's runtime classes of the parent loader, so far memory must be set up there.
 */
public final class RewritingClassLoader extends ClassLoader
{
    private final String prefix;
    private final ClassRewriter rewriter;

    /**
     * Rewrites the classes whose names start with a prefix, with no far class.
     *
     * @param prefix a package name and its dot, or a class name.
     */
    public RewritingClassLoader(final String prefix)
    {
        this(prefix, List.of());
    }

    /**
     * Rewrites the classes whose names start with a prefix, moving the fields of the classes {@code far.classes=}
     * would name.
     *
     * @param prefix     a package name and its dot, or a class name.
     * @param farClasses the items of {@code far.classes=}.
     */
    public RewritingClassLoader(final String prefix, final List<String> farClasses)
    {
        this(prefix, new ScopePolicy(List.of(prefix), List.of(), false, new FarClassSelection(farClasses, false)));
    }

    /**
     * Loads the classes whose names start with a prefix, each rewritten, guarded or left plain as a scope policy says.
     * Each instance gives fresh, independent copies of them.
     *
     * @param prefix a package name and its dot, or a class name.
     * @param scope  which of them are rewritten (the others are guarded if the policy guards outside classes).
     */
    public RewritingClassLoader(final String prefix, final ScopePolicy scope)
    {
        super(RewritingClassLoader.class.getClassLoader());
        this.prefix = prefix;
        this.rewriter = new ClassRewriter(scope);
    }

    protected Class<?> loadClass(final String name, final boolean resolve) throws ClassNotFoundException
    {
        if (!name.startsWith(prefix))
        {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name))
        {
            Class<?> type = findLoadedClass(name);
            if (type == null)
            {
                final byte[] rewritten = rewriter.rewrite(read(name), getParent());
                type = defineClass(name, rewritten, 0, rewritten.length);
            }
            if (resolve)
            {
                resolveClass(type);
            }
            return type;
        }
    }

    private byte[] read(final String name) throws ClassNotFoundException
    {
        try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class"))
        {
            if (in == null)
            {
                throw new ClassNotFoundException(name);
            }
            return in.readAllBytes();
        }
        catch (final IOException ex)
        {
            throw new ClassNotFoundException(name, ex);
        }
    }
}
