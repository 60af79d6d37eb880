package io.splitheap.agent;

import io.splitheap.agent.instrument.ClassRewriter;
import io.splitheap.agent.instrument.ScopePolicy;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Loads classes under a package prefix from the test class path, rewritten (or guarded, or left plain) as the agent
 * would, child first; every other class comes from the parent. Each instance gives fresh, independent copies of the
 * rewritten classes.
 */
public final class RewritingClassLoader extends ClassLoader
{
    private final String prefix;
    private final ClassRewriter rewriter;

    /**
     * A loader.
     *
     * @param prefix dotted package prefix of the classes to rewrite.
     */
    public RewritingClassLoader(final String prefix)
    {
        this(prefix, new ScopePolicy(List.of(prefix), List.of()));
    }

    /**
     * A loader for classes under a prefix, each rewritten or guarded as a scope policy says.
     *
     * @param prefix dotted package prefix of the classes loaded here.
     * @param scope  which of them are rewritten (the others are guarded if the policy guards outside classes).
     */
    public RewritingClassLoader(final String prefix, final ScopePolicy scope)
    {
        super(RewritingClassLoader.class.getClassLoader());
        this.prefix = prefix;
        this.rewriter = new ClassRewriter(scope);
    }

    /**
     * {@inheritDoc}
     */
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
                final byte[] original = read(name);
                final byte[] rewritten = rewriter.rewrite(original, getParent());
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
