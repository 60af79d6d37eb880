package io.splitheap.agent.instrument;

import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.pool.TypePool;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which fields of which classes live in far memory, read from class files (never by loading a class), so that the
 * class itself and every class that reads its fields agree without talking to each other.
 * <p>
 * A class named by {@code far.classes=} and rewritten by the scope has its non-static, non-volatile primitive fields
 * moved, each to an 8-byte slot of a field block, in declaration order, if they take more heap than the two fields
 * that find the block ({@link #BLOCK_REFERENCE_BYTES}), unless the class cannot keep the JVM's
 * meaning with them gone from the heap: interfaces and annotations (no instance fields), enums and records (the JDK
 * reflects over their fields), {@code Serializable} classes (serialization reads fields by reflection) and
 * {@code Cloneable} ones ({@code Object.clone()} would share one field block between two objects). Volatile fields
 * stay (their atomic updaters and {@code VarHandle}s need a heap field). Each class level has its own block, so a far
 * class may extend a plain one or be extended by one.
 */
final class FarObjectLayouts
{
    /**
     * Name prefix of the field holding an object's far arena (a far {@code long[]}).
     */
    static final String ARENA_FIELD = "splitheap$arena$";
    /**
     * Name prefix of the field holding the index of the object's block in its arena.
     */
    static final String BASE_FIELD = "splitheap$base$";

    /**
     * Heap bytes a far object level spends to find its block: the arena reference (4 with compressed references)
     * and the block's index (4). A class whose movable fields take no more than this on the heap saves nothing by
     * moving them (the break-even payload), so it keeps them.
     */
    static final int BLOCK_REFERENCE_BYTES = 8;

    private final ScopePolicy scope;
    private final TypePool pool;
    private final Map<String, Layout> layouts = new HashMap<>();
    private final Map<String, MovedField> fields = new HashMap<>();

    FarObjectLayouts(final ScopePolicy scope, final TypePool pool)
    {
        this.scope = scope;
        this.pool = pool;
    }

    /**
     * The layout of a class whose own fields move.
     *
     * @param internalName class name with slashes.
     * @return its layout, or null if none of its fields move.
     */
    Layout layout(final String internalName)
    {
        if (scope.farClasses().isEmpty() || internalName == null || !scope.farClasses().matches(internalName))
        {
            return null;
        }
        if (layouts.containsKey(internalName))
        {
            return layouts.get(internalName);
        }
        Layout layout;
        try
        {
            layout = compute(internalName);
        }
        catch (final RuntimeException ex)
        {
            // a supertype whose class file cannot be found: the class keeps its fields, and so do its readers
            scope.farClasses().report(internalName.replace('/', '.'), "stays on the heap: its class hierarchy " +
                "cannot be read (" + ex + ")");
            layout = null;
        }
        layouts.put(internalName, layout);
        return layout;
    }

    /**
     * The far field a {@code getfield}/{@code putfield} reaches, resolved as the JVM does (the owner, then its
     * superclasses).
     *
     * @param owner      the instruction's class.
     * @param name       field name.
     * @param descriptor field descriptor.
     * @return the moved field, or null if it stays on the heap.
     */
    MovedField field(final String owner, final String name, final String descriptor)
    {
        if (scope.farClasses().isEmpty() || descriptor.length() != 1 || owner.startsWith("[") ||
            ScopePolicy.isJdk(owner))
        {
            return null;
        }
        final String key = owner + '.' + name + ':' + descriptor;
        if (fields.containsKey(key))
        {
            return fields.get(key);
        }
        MovedField field;
        try
        {
            field = resolve(owner, name, descriptor);
        }
        catch (final RuntimeException ex)
        {
            field = null;
        }
        fields.put(key, field);
        return field;
    }

    private MovedField resolve(final String owner, final String name, final String descriptor)
    {
        String type = owner;
        for (int depth = 0; type != null && depth < 64 && !ScopePolicy.isJdk(type); depth++)
        {
            final TypePool.Resolution resolution = pool.describe(type.replace('/', '.'));
            if (!resolution.isResolved())
            {
                return null;
            }
            final TypeDescription description = resolution.resolve();
            for (final FieldDescription.InDefinedShape declared : description.getDeclaredFields())
            {
                if (declared.getName().equals(name) && declared.getDescriptor().equals(descriptor))
                {
                    final Layout layout = layout(type);
                    return layout == null ? null : layout.fields.get(name + ':' + descriptor);
                }
            }
            final TypeDescription.Generic superClass = description.getSuperClass();
            type = superClass == null ? null : superClass.asErasure().getInternalName();
        }
        return null;
    }

    private Layout compute(final String internalName)
    {
        final FarClassSelection selection = scope.farClasses();
        final String className = internalName.replace('/', '.');
        if (!scope.isRewritten(internalName))
        {
            selection.report(className, "stays on the heap: it is outside the rewritten classes (include=/exclude=)");
            return null;
        }
        final TypePool.Resolution resolution = pool.describe(className);
        if (!resolution.isResolved())
        {
            selection.report(className, "stays on the heap: its class file cannot be read");
            return null;
        }
        final TypeDescription type = resolution.resolve();
        final String reason = ineligible(type);
        if (reason != null)
        {
            selection.report(className, "stays on the heap: " + reason);
            return null;
        }
        final Map<String, MovedField> moved = new LinkedHashMap<>();
        final List<String> names = new ArrayList<>();
        final Layout layout = new Layout(internalName, moved);
        for (final FieldDescription.InDefinedShape field : type.getDeclaredFields())
        {
            if (field.isStatic() || !field.getType().asErasure().isPrimitive())
            {
                continue;
            }
            if (field.isVolatile())
            {
                selection.report(className + "." + field.getName(), "stays on the heap: it is volatile");
                continue;
            }
            moved.put(field.getName() + ':' + field.getDescriptor(),
                new MovedField(layout, field.getName(), field.getDescriptor(), moved.size(), field.isFinal()));
            names.add(field.getName());
        }
        if (moved.isEmpty())
        {
            selection.report(className, "stays on the heap: it declares no non-static, non-volatile primitive field");
            return null;
        }
        final int heapBytes = moved.values().stream().mapToInt(field -> heapBytes(field.descriptor)).sum();
        if (heapBytes <= BLOCK_REFERENCE_BYTES)
        {
            selection.report(className, "stays on the heap: its primitive fields take " + heapBytes + " bytes there, " +
                "no more than the " + BLOCK_REFERENCE_BYTES + " bytes an object needs to find a far block");
            return null;
        }
        selection.report(className, "moves " + moved.size() + " field(s) to far memory: " + String.join(", ", names));
        return layout;
    }

    private static int heapBytes(final String descriptor)
    {
        switch (descriptor.charAt(0))
        {
            case 'J':
            case 'D':
                return 8;
            case 'I':
            case 'F':
                return 4;
            case 'S':
            case 'C':
                return 2;
            default:
                return 1;
        }
    }

    private static String ineligible(final TypeDescription type)
    {
        if (type.isInterface() || type.isAnnotation())
        {
            return "it is an interface";
        }
        if (type.isEnum() || isA(type, "java.lang.Enum"))
        {
            return "it is an enum";
        }
        if (type.isRecord() || isA(type, "java.lang.Record"))
        {
            return "it is a record (the JDK reads its fields by reflection)";
        }
        if (type.isAssignableTo(Serializable.class))
        {
            return "it is Serializable (serialization reads its fields by reflection)";
        }
        if (type.isAssignableTo(Cloneable.class))
        {
            return "it is Cloneable (Object.clone() would share its far fields between two objects)";
        }
        return null;
    }

    private static boolean isA(final TypeDescription type, final String className)
    {
        for (TypeDefinition superClass = type.getSuperClass(); superClass != null;
            superClass = superClass.getSuperClass())
        {
            if (superClass.asErasure().getName().equals(className))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * The far fields of one class level and the names of the heap fields that locate its block.
     */
    static final class Layout
    {
        final String owner;
        final String arenaField;
        final String baseField;
        final Map<String, MovedField> fields;

        Layout(final String owner, final Map<String, MovedField> fields)
        {
            this.owner = owner;
            final String tag = owner.replace('/', '$');
            this.arenaField = ARENA_FIELD + tag;
            this.baseField = BASE_FIELD + tag;
            this.fields = Collections.unmodifiableMap(fields);
        }

        int slots()
        {
            return fields.size();
        }

        boolean moves(final String name, final String descriptor)
        {
            return fields.containsKey(name + ':' + descriptor);
        }

        boolean hasFinalField()
        {
            return fields.values().stream().anyMatch(field -> field.isFinal);
        }
    }

    /**
     * One field that lives in far memory: its slot in the block of its class level.
     */
    static final class MovedField
    {
        final Layout layout;
        final String name;
        final String descriptor;
        final int slot;
        final boolean isFinal;

        MovedField(final Layout layout, final String name, final String descriptor, final int slot,
            final boolean isFinal)
        {
            this.layout = layout;
            this.name = name;
            this.descriptor = descriptor;
            this.slot = slot;
            this.isFinal = isFinal;
        }
    }
}
