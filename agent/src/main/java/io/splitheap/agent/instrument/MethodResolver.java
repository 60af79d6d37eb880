package io.splitheap.agent.instrument;

import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.pool.TypePool;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Decides whether a call from rewritten code lands in code that is not rewritten. The owner named by the call is
 * not enough: an application class may inherit the method from the JDK (a stream subclass that does not override
 * {@code write(byte[])}), so the method is looked up through the owner's superclasses and interfaces in the class
 * files, without loading anything.
 */
public final class MethodResolver
{
    private final ScopePolicy scope;
    private static final String RUNTIME = "io/splitheap/agent/runtime/";

    private final TypePool pool;
    private final Map<String, Boolean> cache = new HashMap<>();

    /**
     * A resolver.
     *
     * @param scope which classes are rewritten.
     * @param pool  describes classes from their class files; null to judge by the call's owner only.
     */
    public MethodResolver(final ScopePolicy scope, final TypePool pool)
    {
        this.scope = scope;
        this.pool = pool;
    }

    /**
     * Whether the call executes code outside the rewritten scope.
     *
     * @param owner      the call's owner (internal name).
     * @param name       method name.
     * @param descriptor method descriptor.
     * @return true if the implementation that runs is not rewritten.
     */
    public boolean crossesBoundary(final String owner, final String name, final String descriptor)
    {
        if (owner.startsWith(RUNTIME))
        {
            // the agent's runtime helpers, which rewritten code calls with far arrays on purpose
            return false;
        }
        if (!scope.handlesFarArrays(owner))
        {
            return true;
        }
        if (pool == null || "<init>".equals(name))
        {
            return false;
        }
        final String key = owner + '.' + name + descriptor;
        final Boolean cached = cache.get(key);
        if (cached != null)
        {
            return cached;
        }
        final boolean crosses = declaringClassIsOutside(owner, name, descriptor);
        cache.put(key, crosses);
        return crosses;
    }

    /**
     * Whether a method of a class overrides or implements one declared by a supertype whose code handles no far
     * arrays (the JDK, a plain class), so that such code may call it.
     *
     * @param className  the class (internal name).
     * @param superName  its superclass, or null.
     * @param interfaces its interfaces, or null.
     * @param name       method name.
     * @param descriptor method descriptor.
     * @return true if some supertype outside declares the method.
     */
    public boolean overridesOutside(
        final String className, final String superName, final String[] interfaces, final String name,
        final String descriptor)
    {
        if (pool == null)
        {
            return false;
        }
        final ArrayDeque<String> pending = new ArrayDeque<>();
        if (superName != null)
        {
            pending.add(superName);
        }
        if (interfaces != null)
        {
            pending.addAll(java.util.Arrays.asList(interfaces));
        }
        final Set<String> seen = new HashSet<>();
        seen.add(className);
        while (!pending.isEmpty())
        {
            final String type = pending.poll();
            if (!seen.add(type))
            {
                continue;
            }
            final TypePool.Resolution resolution = pool.describe(type.replace('/', '.'));
            if (!resolution.isResolved())
            {
                continue;
            }
            final TypeDescription description = resolution.resolve();
            if (!scope.handlesFarArrays(type) && declaresOverridable(description, name, descriptor))
            {
                return true;
            }
            if (description.getSuperClass() != null)
            {
                pending.add(description.getSuperClass().asErasure().getInternalName());
            }
            description.getInterfaces().asErasures().forEach(i -> pending.add(i.getInternalName()));
        }
        return false;
    }

    /**
     * Whether a class is a given class or extends it, judged from the class files (or by name alone without them).
     *
     * @param owner    the class (internal name).
     * @param ancestor the superclass looked for (internal name).
     * @return true if owner is ancestor or a subclass of it.
     */
    public boolean isSubclassOf(final String owner, final String ancestor)
    {
        if (owner.equals(ancestor))
        {
            return true;
        }
        if (pool == null || owner.startsWith("["))
        {
            return false;
        }
        final String key = owner + " extends " + ancestor;
        final Boolean cached = cache.get(key);
        if (cached != null)
        {
            return cached;
        }
        boolean found = false;
        final TypePool.Resolution resolution = pool.describe(owner.replace('/', '.'));
        if (resolution.isResolved())
        {
            for (TypeDefinition type = resolution.resolve().getSuperClass(); type != null && !found;
                type = type.getSuperClass())
            {
                found = type.asErasure().getInternalName().equals(ancestor);
            }
        }
        cache.put(key, found);
        return found;
    }

    private static boolean declaresOverridable(
        final TypeDescription type, final String name, final String descriptor)
    {
        for (final MethodDescription method : type.getDeclaredMethods())
        {
            if (method.getInternalName().equals(name) && method.getDescriptor().equals(descriptor) &&
                !method.isStatic() && !method.isPrivate())
            {
                return true;
            }
        }
        return false;
    }

    private boolean declaringClassIsOutside(final String owner, final String name, final String descriptor)
    {
        final TypePool.Resolution resolution = pool.describe(owner.replace('/', '.'));
        if (!resolution.isResolved())
        {
            return false;
        }
        final ArrayDeque<TypeDefinition> interfaces = new ArrayDeque<>();
        TypeDefinition type = resolution.resolve();
        while (type != null)
        {
            final String declaring = declares(type, name, descriptor, false);
            if (declaring != null)
            {
                return !scope.handlesFarArrays(declaring);
            }
            type.getInterfaces().asErasures().forEach(interfaces::add);
            type = type.getSuperClass() == null ? null : type.getSuperClass().asErasure();
        }
        final Set<String> seen = new HashSet<>();
        while (!interfaces.isEmpty())
        {
            final TypeDefinition candidate = interfaces.poll();
            if (!seen.add(candidate.getTypeName()))
            {
                continue;
            }
            final String declaring = declares(candidate, name, descriptor, true);
            if (declaring != null)
            {
                return !scope.handlesFarArrays(declaring);
            }
            candidate.getInterfaces().asErasures().forEach(interfaces::add);
        }
        return false;
    }

    private static String declares(
        final TypeDefinition type, final String name, final String descriptor, final boolean defaultOnly)
    {
        for (final MethodDescription method : type.getDeclaredMethods())
        {
            if (method.getInternalName().equals(name) && method.getDescriptor().equals(descriptor) &&
                (!defaultOnly || method.isDefaultMethod()) && (!method.isAbstract() || defaultOnly))
            {
                final TypeDescription erasure = type.asErasure();
                return erasure.getInternalName();
            }
        }
        return null;
    }
}
