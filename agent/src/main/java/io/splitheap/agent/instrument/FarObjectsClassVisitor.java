package io.splitheap.agent.instrument;

import io.splitheap.agent.runtime.FarObjects;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.FieldVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

import java.util.stream.Collectors;

/**
 * Moves the fields of a far class (see {@link FarObjectLayouts}) out of its heap layout, in front of the array
 * rewriting: the moved fields' declarations are dropped and two fields that locate the object's far block are added
 * (public, so that every class that read the moved fields can reach them; synthetic, final), and every method's
 * field accesses go through {@link FarFieldAccessVisitor}, in any rewritten or guarded class; the far class's own
 * methods first pin their object's block ({@link ThisBlockPinning}).
 */
final class FarObjectsClassVisitor extends ClassVisitor
{
    private final FarObjectLayouts layouts;
    private String className;
    private int classVersion;
    private FarObjectLayouts.Layout own;

    FarObjectsClassVisitor(final int api, final ClassVisitor next, final FarObjectLayouts layouts)
    {
        super(api, next);
        this.layouts = layouts;
    }

    /**
     * Puts the field rewriting in front of a class visitor, when {@code far.classes=} names any class.
     *
     * @param next    the rest of the rewriting.
     * @param scope   which classes are rewritten, and which are far.
     * @param layouts reads class files.
     * @return the visitor to give the class file to.
     */
    static ClassVisitor wrap(final ClassVisitor next, final ScopePolicy scope, final FarObjectLayouts layouts)
    {
        return scope.farClasses().isEmpty() ? next : new FarObjectsClassVisitor(Opcodes.ASM9, next, layouts);
    }

    /**
     * {@inheritDoc}
     */
    public void visit(
        final int version,
        final int access,
        final String name,
        final String signature,
        final String superName,
        final String[] interfaces)
    {
        className = name;
        classVersion = version & 0xFFFF;
        own = (access & Opcodes.ACC_INTERFACE) == 0 ? layouts.layout(name) : null;
        if (own != null)
        {
            FarObjects.registerClass(name.replace('/', '.'), own.fields.values().stream()
                .map(field -> field.name).collect(Collectors.joining(", ")), own.arenaField, own.baseField,
                own.slots());
        }
        super.visit(version, access, name, signature, superName, interfaces);
    }

    /**
     * {@inheritDoc}
     */
    public FieldVisitor visitField(
        final int access, final String name, final String descriptor, final String signature, final Object value)
    {
        if (own != null && (access & Opcodes.ACC_STATIC) == 0 && own.moves(name, descriptor))
        {
            return null;
        }
        return super.visitField(access, name, descriptor, signature, value);
    }

    /**
     * {@inheritDoc}
     */
    public MethodVisitor visitMethod(
        final int access,
        final String name,
        final String descriptor,
        final String signature,
        final String[] exceptions)
    {
        final MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
        if (next == null || (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0)
        {
            return next;
        }
        final MethodVisitor fields = new FarFieldAccessVisitor(api, next, layouts, className,
            "<init>".equals(name) ? own : null);
        return ThisBlockPinning.applies(own, classVersion, access, name) ?
            new ThisBlockPinning(api, className, own, access, name, descriptor, fields) : fields;
    }

    /**
     * {@inheritDoc}
     */
    public void visitEnd()
    {
        if (own != null)
        {
            final int access = Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL | Opcodes.ACC_SYNTHETIC;
            super.visitField(access, own.arenaField, "[J", null, null).visitEnd();
            super.visitField(access, own.baseField, "I", null, null).visitEnd();
        }
        super.visitEnd();
    }
}
