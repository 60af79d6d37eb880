package io.splitheap.bench.hitpath;

import io.splitheap.agent.instrument.ClassRewriter;
import io.splitheap.agent.instrument.FarClassSelection;
import io.splitheap.agent.instrument.ScopePolicy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Loads the classes of one package rewritten exactly as the agent rewrites them (child first), so that one JVM holds
 * both the compiled and the rewritten copy of the same loops.
 */
final class RewritingLoader extends ClassLoader
{
    private final String prefix;
    private final ClassRewriter rewriter;

    RewritingLoader(final String prefix)
    {
        this(prefix, List.of());
    }

    RewritingLoader(final String prefix, final List<String> farClasses)
    {
        super(RewritingLoader.class.getClassLoader());
        this.prefix = prefix;
        this.rewriter = new ClassRewriter(new ScopePolicy(List.of(prefix), List.of(), false,
            new FarClassSelection(farClasses, false)));
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
            throw new UncheckedIOException(ex);
        }
    }
}
