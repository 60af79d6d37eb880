package io.splitheap.agent.instrument;

import java.util.List;

/**
 * Which classes are rewritten: every class the application loads except the JDK, Splitheap's agent and a small
 * deny-list; {@code include=} narrows to given package or class prefixes and {@code exclude=} removes some.
 * <p>
 * Application classes outside that scope are <em>guarded</em> by default ({@code outside=guard}): they never allocate
 * far arrays, but their array accesses and their calls into the JDK are made far-aware like rewritten code's, so a
 * far array that reaches them by any path (an argument, a field, reflection, a collection) reads and writes
 * correctly. With {@code outside=plain} they are left unchanged. Calls from rewritten or guarded code into classes
 * that handle no far arrays (the JDK, plain classes) cross the JDK boundary. Names are internal
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
    private final boolean guardOutside;
    private final FarClassSelection farClasses;

    /**
     * A policy that leaves classes outside the scope plain (unchanged).
     *
     * @param include prefixes to rewrite (empty: everything not excluded).
     * @param exclude prefixes never to rewrite.
     */
    public ScopePolicy(final List<String> include, final List<String> exclude)
    {
        this(include, exclude, false);
    }

    /**
     * A policy.
     *
     * @param include      prefixes to rewrite (empty: everything not excluded).
     * @param exclude      prefixes never to rewrite.
     * @param guardOutside whether application classes outside the scope are guarded.
     */
    public ScopePolicy(final List<String> include, final List<String> exclude, final boolean guardOutside)
    {
        this(include, exclude, guardOutside, FarClassSelection.none());
    }

    /**
     * A policy that also moves the fields of some classes to far memory.
     *
     * @param include      prefixes to rewrite (empty: everything not excluded).
     * @param exclude      prefixes never to rewrite.
     * @param guardOutside whether application classes outside the scope are guarded.
     * @param farClasses   the classes named by {@code far.classes=}.
     */
    public ScopePolicy(
        final List<String> include, final List<String> exclude, final boolean guardOutside,
        final FarClassSelection farClasses)
    {
        this.include = normalise(include);
        this.exclude = normalise(exclude);
        this.guardOutside = guardOutside;
        this.farClasses = farClasses;
    }

    /**
     * The classes named by {@code far.classes=}.
     *
     * @return the selection (empty when the option is).
     */
    public FarClassSelection farClasses()
    {
        return farClasses;
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
     * Whether a class is guarded: an application class outside the scope, whose array accesses and JDK calls are
     * made far-aware although it allocates no far arrays.
     *
     * @param internalName class name with slashes.
     * @return true if guarded.
     */
    public boolean isGuarded(final String internalName)
    {
        return guardOutside && internalName != null && !internalName.startsWith("[") &&
            !startsWithAny(internalName, JDK) && !startsWithAny(internalName, DENY) && !isRewritten(internalName);
    }

    /**
     * Whether a class's code handles far arrays itself (it is rewritten or guarded), so that rewritten code may hand
     * it far arrays without moving them to the heap.
     *
     * @param internalName class name with slashes.
     * @return true if rewritten or guarded.
     */
    public boolean handlesFarArrays(final String internalName)
    {
        return isRewritten(internalName) || isGuarded(internalName);
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
