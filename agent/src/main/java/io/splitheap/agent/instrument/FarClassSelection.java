package io.splitheap.agent.instrument;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The classes named by {@code far.classes=}: items separated by {@code ;}, each a class name ({@code a.b.Particle}),
 * a package and its subpackages ({@code a.b.*}) or a pattern in which {@code *} stands for any characters, dots
 * included ({@code *Particle}, {@code a.b.*Node}); nested classes are named with {@code $}. Whether a selected class
 * has its fields moved is decided by {@link FarObjectLayouts}; this only matches names, and says once, when
 * {@code verbose=true}, why a selected class or field stays on the heap.
 */
public final class FarClassSelection
{
    private static final FarClassSelection NONE = new FarClassSelection(List.of(), false);

    private final List<Pattern> patterns;
    private final boolean verbose;
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    /**
     * A selection.
     *
     * @param items   the option's items.
     * @param verbose whether to log the classes and fields that stay on the heap, and why.
     */
    public FarClassSelection(final List<String> items, final boolean verbose)
    {
        final List<Pattern> compiled = new ArrayList<>();
        for (final String raw : items)
        {
            final String item = raw.trim();
            if (!item.isEmpty())
            {
                compiled.add(compile(item));
            }
        }
        this.patterns = Collections.unmodifiableList(compiled);
        this.verbose = verbose;
    }

    /**
     * No class selected: every field stays on the heap.
     *
     * @return the empty selection.
     */
    public static FarClassSelection none()
    {
        return NONE;
    }

    /**
     * Whether any class may be selected at all.
     *
     * @return false when the option is empty.
     */
    public boolean isEmpty()
    {
        return patterns.isEmpty();
    }

    /**
     * Whether the option names a class.
     *
     * @param internalName class name with slashes.
     * @return true if some item matches it.
     */
    public boolean matches(final String internalName)
    {
        if (patterns.isEmpty() || internalName == null)
        {
            return false;
        }
        final String name = internalName.replace('/', '.');
        for (final Pattern pattern : patterns)
        {
            if (pattern.matcher(name).matches())
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Logs, once per subject and only when verbose, why something named by the option stays on the heap or what
     * moved.
     *
     * @param subject a class or field name.
     * @param message what happened to it.
     */
    void report(final String subject, final String message)
    {
        if (verbose && reported.add(subject))
        {
            System.err.println("[splitheap-agent] INFO far.classes: " + subject + " " + message);
        }
    }

    private static Pattern compile(final String item)
    {
        final String dotted = item.replace('/', '.');
        final StringBuilder regex = new StringBuilder();
        int start = 0;
        for (int star = dotted.indexOf('*'); star >= 0; star = dotted.indexOf('*', start))
        {
            regex.append(Pattern.quote(dotted.substring(start, star))).append(".*");
            start = star + 1;
        }
        regex.append(Pattern.quote(dotted.substring(start)));
        return Pattern.compile(regex.toString());
    }
}
