package io.splitheap.jcstress;

import io.splitheap.agent.instrument.RewritingClassLoader;

import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code farcells} package loaded rewritten as the agent rewrites it, with {@code Cell} named by
 * {@code far.classes=}, over the far memory of {@link SharedFarMemory}. Refuses to start if the rewriting left the
 * cell's fields on the heap, so that a test on it cannot pass on plain fields.
 */
final class RewrittenCells
{
    private static final String PACKAGE = "io.splitheap.jcstress.farcells.";
    private static final FieldCell PROTOTYPE;

    static
    {
        SharedFarMemory.newLongs(1);
        try
        {
            final Class<?> cell = new RewritingClassLoader(PACKAGE, List.of(PACKAGE + "Cell"))
                .loadClass(PACKAGE + "Cell");
            final List<String> fields = Arrays.stream(cell.getDeclaredFields()).map(Field::getName).toList();
            if (fields.contains("value") || fields.stream().noneMatch(name -> name.startsWith("splitheap$arena$")))
            {
                throw new IllegalStateException("the rewriting left Cell's fields on the heap: " + fields);
            }
            PROTOTYPE = (FieldCell)cell.getConstructor().newInstance();
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private RewrittenCells()
    {
    }

    /**
     * A new cell, its fields far.
     *
     * @return the cell.
     */
    static FieldCell newCell()
    {
        return PROTOTYPE.fresh();
    }
}
