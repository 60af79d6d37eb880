package io.splitheap.agent.instrument;

import java.util.List;

/**
 * Which classes are rewritten: every class the application loads except the JDK, Splitheap's agent and a small
 * deny-list; {@code include=} narrows to given package or class prefixes and {@code exclude=} removes some.
 * Calls from rewritten code into classes outside the scope cross the JDK boundary. Names are internal
 * ({@code java/lang/String}); options accept dotted or slashed prefixes.
 */
public final class ScopePolicy
{
    private static final String[] JDK = {
        "java/", "javax/", "jdk/", "sun/", "com/sun/", "org/ietf/jgss/", "org/w3c/dom/", "org/xml/sax/",
        "org/jcp/xml/", "org/omg/"
    };

    private static final String[] DENY = {
        "io/splitheap/agent/", "net/bytebuddy/", "org/objectweb/asm/"
    };

    private final String[] include;
    private final String[] exclude;

    /**
     * A policy.
     *
     * @param include prefixes to rewrite (empty: everything not excluded).
     * @param exclude prefixes never to rewrite.
     */
    public ScopePolicy(final List<String> include, final List<String> exclude)
    {
        this.include = normalise(include);
        this.exclude = normalise(exclude);
    }

    /**
     * Whether a class is rewritten.
     *
     * @param internalName class name with slashes.
     * @return true if in scope.
     */
    public boolean isRewritten(final String internalName)
    {
        if (internalName == null || internalName.startsWith("[") || startsWithAny(internalName, JDK) ||
            startsWithAny(internalName, DENY) || startsWithAny(internalName, exclude))
        {
            return false;
        }
        return include.length == 0 || startsWithAny(internalName, include);
    }

    /**
     * Whether a class belongs to the JDK.
     *
     * @param internalName class name with slashes.
     * @return true for JDK packages.
     */
    public static boolean isJdk(final String internalName)
    {
        return startsWithAny(internalName, JDK);
    }

    private static String[] normalise(final List<String> prefixes)
    {
        return prefixes.stream().map(String::trim).filter(p -> !p.isEmpty()).map(p -> p.replace('.', '/'))
            .toArray(String[]::new);
    }

    private static boolean startsWithAny(final String name, final String[] prefixes)
    {
        for (final String prefix : prefixes)
        {
            if (name.startsWith(prefix))
            {
                return true;
            }
        }
        return false;
    }
}
