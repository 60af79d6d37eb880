package io.splitheap.agent.instrument;

import io.splitheap.agent.core.Sites;
import io.splitheap.agent.runtime.FarArrayComparisons;
import io.splitheap.agent.runtime.FarDeepArrays;
import io.splitheap.agent.runtime.FarJdkArrays;
import io.splitheap.agent.runtime.FarParallelArrays;
import io.splitheap.agent.runtime.FarReflectArrays;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;

/**
 * The JDK boundary at call sites. {@code System.arraycopy} and primitive-array {@code clone()} become far-aware
 * runtime calls; {@code Lookup.defineHiddenClass(WithClassData)} rewrites the class file first
 * ({@code FarHiddenClasses}: the JVM shows hidden classes to no transformer). A call whose implementation is not rewritten (see {@link MethodResolver}) and that takes
 * primitive arrays gets each such argument passed through {@code FarBoundary.toHeap}; a primitive array it returns
 * goes through {@code FarBoundary.fromHeap}. An argument typed {@code Object}, {@code Cloneable} or
 * {@code Serializable} may be a primitive array too ({@code java.lang.reflect.Array}, serialization, libraries that
 * inspect arrays reflectively): it goes through {@code FarBoundary.toHeapIfArray}, unless the callee is known to use
 * such an argument only by identity (collections, {@code Objects}, string conversion; see
 * {@link #usesObjectsByIdentityOnly}), so storing a far array in a map does not move it to the heap. Arguments below
 * the top of the stack are first stored in fresh locals (from {@code max_locals} up, with no branch in between, so
 * no stack map frame changes).
 */
public final class BoundaryRewriter extends MethodVisitor
{
    private static final String TO_HEAP = "(Ljava/lang/Object;I)Ljava/lang/Object;";
    private static final String FROM_HEAP = "(Ljava/lang/Object;)Ljava/lang/Object;";
    private static final String LOOKUP = "java/lang/invoke/MethodHandles$Lookup";
    private static final String HIDDEN_CLASSES = "io/splitheap/agent/runtime/FarHiddenClasses";
    private static final String[] IDENTITY_ONLY_PACKAGES = {
        "java/util/concurrent/", "java/lang/ref/", "java/util/function/", "java/util/stream/"};
    private static final String[] IDENTITY_ONLY_CLASSES = {
        "java/lang/Object", "java/util/Objects", "java/lang/String", "java/lang/StringBuilder",
        "java/lang/StringBuffer", "java/lang/AbstractStringBuilder", "java/io/PrintStream", "java/io/PrintWriter",
        "java/lang/ThreadLocal", "java/lang/InheritableThreadLocal", "java/util/Optional", "java/lang/System",
        "java/lang/Class", "java/lang/Thread", "java/util/EventObject"};

    private static final Map<String, String> JDK_ARRAYS_INTRINSICS = intrinsics(FarJdkArrays.class,
        FarArrayComparisons.class, FarParallelArrays.class, FarDeepArrays.class);
    private static final Map<String, String> REFLECT_ARRAY_INTRINSICS = intrinsics(FarReflectArrays.class);
    private static final int FLAG_SERIALIZABLE = 1;

    private final MethodResolver resolver;
    private final LambdaBridges bridges;
    private boolean reflective;
    private boolean firstOnly;
    private boolean graph;
    private final String location;
    private final int firstFreeLocal;
    private int maxLocalUsed;
    private int line;

    /**
     * A rewriter.
     *
     * @param api            ASM api.
     * @param next           the next visitor.
     * @param resolver       finds where calls land.
     * @param location       class and method, for call-site descriptions.
     * @param firstFreeLocal the method's max_locals.
     */
    public BoundaryRewriter(
        final int api,
        final MethodVisitor next,
        final MethodResolver resolver,
        final String location,
        final int firstFreeLocal)
    {
        this(api, next, resolver, location, firstFreeLocal, null);
    }

    /**
     * A rewriter that also bridges method references into code outside (see {@link LambdaBridges}).
     *
     * @param api            ASM api.
     * @param next           the next visitor.
     * @param resolver       finds where calls land.
     * @param location       class and method, for call-site descriptions.
     * @param firstFreeLocal the method's max_locals.
     * @param bridges        the class's bridges, or null to leave method references alone.
     */
    public BoundaryRewriter(
        final int api,
        final MethodVisitor next,
        final MethodResolver resolver,
        final String location,
        final int firstFreeLocal,
        final LambdaBridges bridges)
    {
        super(api, next);
        this.resolver = resolver;
        this.bridges = bridges;
        this.location = location;
        this.firstFreeLocal = firstFreeLocal;
        this.maxLocalUsed = firstFreeLocal;
    }

    /**
     * {@inheritDoc}
     */
    public void visitLineNumber(final int line, final Label start)
    {
        this.line = line;
        super.visitLineNumber(line, start);
    }

    /**
     * {@inheritDoc}
     */
    public void visitMethodInsn(
        final int opcode, final String owner, final String name, final String descriptor, final boolean isInterface)
    {
        if (opcode == Opcodes.INVOKESTATIC && "java/lang/System".equals(owner) && "arraycopy".equals(name))
        {
            super.visitMethodInsn(Opcodes.INVOKESTATIC, RuntimeNames.ARRAYS, "arraycopy", descriptor, false);
            return;
        }
        if (owner.startsWith("[") && "clone".equals(name) && isPrimitiveArray(Type.getObjectType(owner)))
        {
            super.visitMethodInsn(Opcodes.INVOKESTATIC, RuntimeNames.ARRAYS, "cloneArray",
                "(Ljava/lang/Object;)Ljava/lang/Object;", false);
            return;
        }
        if (isPrimitiveSort(opcode, owner, name, descriptor))
        {
            super.visitInsn("parallelSort".equals(name) ? Opcodes.ICONST_1 : Opcodes.ICONST_0);
            super.visitMethodInsn(Opcodes.INVOKESTATIC, RuntimeNames.ARRAYS, "sort",
                descriptor.endsWith("II)V") ? "(Ljava/lang/Object;IIZ)V" : "(Ljava/lang/Object;Z)V", false);
            return;
        }
        if (opcode == Opcodes.INVOKEVIRTUAL && LOOKUP.equals(owner) &&
            ("defineHiddenClass".equals(name) || "defineHiddenClassWithClassData".equals(name)))
        {
            super.visitMethodInsn(Opcodes.INVOKESTATIC, HIDDEN_CLASSES, name, "(L" + LOOKUP + ";" +
                descriptor.substring(1), false);
            return;
        }
        final String intrinsic = opcode != Opcodes.INVOKESTATIC ? null : "java/util/Arrays".equals(owner) ?
            JDK_ARRAYS_INTRINSICS.get(name + descriptor) : "java/lang/reflect/Array".equals(owner) ?
            REFLECT_ARRAY_INTRINSICS.get(name + descriptor) : null;
        if (intrinsic != null)
        {
            super.visitMethodInsn(Opcodes.INVOKESTATIC, intrinsic, name, descriptor, false);
            return;
        }
        final Type[] arguments = Type.getArgumentTypes(descriptor);
        final Type returnType = Type.getReturnType(descriptor);
        if ("java/lang/invoke/VarHandle".equals(owner) && !accessesArrayElements(arguments))
        {
            // a field's VarHandle: arrays are values, compared by identity (compareAndSet); they stay as they are
            super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
            return;
        }
        final boolean objects = !usesObjectsByIdentityOnly(owner);
        graph = isSerialization(owner, name, descriptor);
        reflective = isReflectiveInvocation(owner, name);
        firstOnly = readsOnlyItsFirstArgument(owner, name);
        final int convertible = firstConvertible(arguments, objects);
        final int firstArray = firstOnly && convertible > 0 ? -1 : convertible;
        final boolean returnsArray = isPrimitiveArray(returnType);
        if ((firstArray < 0 && !returnsArray) || !resolver.crossesBoundary(owner, name, descriptor))
        {
            super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
            return;
        }
        if (firstArray >= 0)
        {
            convertArguments(arguments, firstArray, objects, callSite(owner, name, descriptor));
        }
        super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
        if (returnsArray)
        {
            super.visitMethodInsn(Opcodes.INVOKESTATIC, RuntimeNames.BOUNDARY, "fromHeap", FROM_HEAP, false);
            super.visitTypeInsn(Opcodes.CHECKCAST, returnType.getDescriptor());
        }
    }

    /**
     * {@inheritDoc}
     */
    public void visitMaxs(final int maxStack, final int maxLocals)
    {
        super.visitMaxs(maxStack + 4, Math.max(maxLocals, maxLocalUsed));
    }

    private void convertArguments(
        final Type[] arguments, final int firstArray, final boolean objects, final int callSite)
    {
        if (firstArray == arguments.length - 1)
        {
            convert(arguments[firstArray], objects, callSite);
            return;
        }
        final int[] slots = new int[arguments.length];
        int next = firstFreeLocal;
        for (int i = firstArray; i < arguments.length; i++)
        {
            slots[i] = next;
            next += arguments[i].getSize();
        }
        maxLocalUsed = Math.max(maxLocalUsed, next);
        for (int i = arguments.length - 1; i >= firstArray; i--)
        {
            super.visitVarInsn(arguments[i].getOpcode(Opcodes.ISTORE), slots[i]);
        }
        for (int i = firstArray; i < arguments.length; i++)
        {
            super.visitVarInsn(arguments[i].getOpcode(Opcodes.ILOAD), slots[i]);
            if (i == 0 || !firstOnly)
            {
                convert(arguments[i], objects, callSite);
            }
        }
    }

    private void convert(final Type argument, final boolean objects, final int callSite)
    {
        if (isPrimitiveArray(argument))
        {
            super.visitLdcInsn(callSite);
            super.visitMethodInsn(Opcodes.INVOKESTATIC, RuntimeNames.BOUNDARY, "toHeap", TO_HEAP, false);
            super.visitTypeInsn(Opcodes.CHECKCAST, argument.getDescriptor());
        }
        else if (isArrayOfPrimitiveArrays(argument))
        {
            super.visitLdcInsn(callSite);
            super.visitMethodInsn(Opcodes.INVOKESTATIC, RuntimeNames.BOUNDARY, "toHeapRows", TO_HEAP, false);
            super.visitTypeInsn(Opcodes.CHECKCAST, argument.getDescriptor());
        }
        else if (objects && isObjectArray(argument))
        {
            super.visitLdcInsn(callSite);
            super.visitMethodInsn(Opcodes.INVOKESTATIC, RuntimeNames.BOUNDARY,
                reflective ? "toHeapArguments" : "toHeapIfRows", TO_HEAP, false);
            super.visitTypeInsn(Opcodes.CHECKCAST, argument.getDescriptor());
        }
        else if (objects && mayHoldPrimitiveArray(argument))
        {
            super.visitLdcInsn(callSite);
            super.visitMethodInsn(Opcodes.INVOKESTATIC, RuntimeNames.BOUNDARY, graph ? "toHeapGraph" : "toHeapIfArray",
                TO_HEAP, false);
            if (!"java/lang/Object".equals(argument.getInternalName()))
            {
                super.visitTypeInsn(Opcodes.CHECKCAST, argument.getInternalName());
            }
        }
    }

    private int callSite(final String owner, final String name, final String descriptor)
    {
        return Sites.CALLS.register(location + ":" + line + " calling " + owner.replace('/', '.') + "." + name +
            descriptor);
    }

    private static int firstConvertible(final Type[] arguments, final boolean objects)
    {
        for (int i = 0; i < arguments.length; i++)
        {
            if (isPrimitiveArray(arguments[i]) || isArrayOfPrimitiveArrays(arguments[i]) ||
                (objects && (mayHoldPrimitiveArray(arguments[i]) || isObjectArray(arguments[i]))))
            {
                return i;
            }
        }
        return -1;
    }

    static boolean isArrayOfPrimitiveArrays(final Type type)
    {
        return type.getSort() == Type.ARRAY && type.getDimensions() >= 2 &&
            type.getElementType().getSort() != Type.OBJECT;
    }

    static boolean isObjectArray(final Type type)
    {
        return type.getSort() == Type.ARRAY && type.getDimensions() == 1 &&
            "java/lang/Object".equals(type.getElementType().getInternalName());
    }

    static boolean mayHoldPrimitiveArray(final Type type)
    {
        if (type.getSort() != Type.OBJECT)
        {
            return false;
        }
        final String name = type.getInternalName();
        return "java/lang/Object".equals(name) || "java/lang/Cloneable".equals(name) ||
            "java/io/Serializable".equals(name);
    }

    /**
     * Whether a JDK class uses the {@code Object} arguments of its methods only by identity ({@code ==},
     * {@code equals}/{@code hashCode}/{@code toString}, which are identity-based for arrays), never reading an
     * array's elements or length: collections and maps, {@code Objects}, string conversion, printing, references,
     * thread locals, {@code Optional}. A far array passed to them stays far.
     *
     * @param owner internal name of the called class.
     * @return true if such arguments need no conversion.
     */
    static boolean usesObjectsByIdentityOnly(final String owner)
    {
        if (owner.startsWith("java/util/") && owner.indexOf('/', "java/util/".length()) < 0)
        {
            return !"java/util/Arrays".equals(owner);
        }
        for (final String prefix : IDENTITY_ONLY_PACKAGES)
        {
            if (owner.startsWith(prefix))
            {
                return true;
            }
        }
        for (final String name : IDENTITY_ONLY_CLASSES)
        {
            if (name.equals(owner))
            {
                return true;
            }
        }
        return false;
    }

    static boolean isPrimitiveArray(final Type type)
    {
        return type.getSort() == Type.ARRAY && type.getDimensions() == 1 &&
            type.getElementType().getSort() != Type.OBJECT;
    }

    /**
     * {@code Arrays.sort} or {@code parallelSort} of a whole primitive array or a range of one: sorted in place in
     * far memory rather than moved to the heap, so a far array larger than the heap sorts.
     */
    private static boolean isPrimitiveSort(
        final int opcode, final String owner, final String name, final String descriptor)
    {
        if (opcode != Opcodes.INVOKESTATIC || !"java/util/Arrays".equals(owner) ||
            !("sort".equals(name) || "parallelSort".equals(name)))
        {
            return false;
        }
        final Type[] arguments = Type.getArgumentTypes(descriptor);
        return arguments.length > 0 && isPrimitiveArray(arguments[0]) && (arguments.length == 1 ||
            (arguments.length == 3 && arguments[1] == Type.INT_TYPE && arguments[2] == Type.INT_TYPE));
    }

    /**
     * The public static methods of runtime classes that stand in for JDK methods of the same name and descriptor:
     * name and descriptor to the internal name of the class that declares it.
     */
    private static Map<String, String> intrinsics(final Class<?>... runtimeClasses)
    {
        final Map<String, String> methods = new HashMap<>();
        for (final Class<?> runtime : runtimeClasses)
        {
            for (final Method method : runtime.getDeclaredMethods())
            {
                if (Modifier.isPublic(method.getModifiers()) && Modifier.isStatic(method.getModifiers()))
                {
                    methods.put(method.getName() + Type.getMethodDescriptor(method), Type.getInternalName(runtime));
                }
            }
        }
        return methods;
    }

    /**
     * {@inheritDoc}
     */
    public void visitInvokeDynamicInsn(
        final String name, final String descriptor, final Handle bootstrap, final Object... arguments)
    {
        if (bridges != null && isLambdaFactory(bootstrap, arguments) && arguments[1] instanceof Handle)
        {
            final Handle target = (Handle)arguments[1];
            if (LambdaBridges.isBridgeable(target) && needsBridge(target))
            {
                final Object[] bridged = arguments.clone();
                bridged[1] = bridges.bridgeFor(target);
                super.visitInvokeDynamicInsn(name, descriptor, bootstrap, bridged);
                return;
            }
        }
        super.visitInvokeDynamicInsn(name, descriptor, bootstrap, arguments);
    }

    private boolean needsBridge(final Handle target)
    {
        final String owner = target.getOwner();
        if (owner.startsWith("["))
        {
            return true;
        }
        return firstConvertible(Type.getArgumentTypes(target.getDesc()), !usesObjectsByIdentityOnly(owner)) >= 0 &&
            resolver.crossesBoundary(owner, target.getName(), target.getDesc());
    }

    /**
     * {@code LambdaMetafactory.metafactory}, or {@code altMetafactory} for a lambda that is not serializable (a
     * serializable one is matched by its implementation's name when deserialized, so it keeps its handle).
     */
    private static boolean isLambdaFactory(final Handle bootstrap, final Object[] arguments)
    {
        if (!"java/lang/invoke/LambdaMetafactory".equals(bootstrap.getOwner()) || arguments.length < 3)
        {
            return false;
        }
        if ("metafactory".equals(bootstrap.getName()))
        {
            return true;
        }
        return "altMetafactory".equals(bootstrap.getName()) && arguments.length > 3 &&
            arguments[3] instanceof Integer && ((Integer)arguments[3] & FLAG_SERIALIZABLE) == 0;
    }

    /**
     * Calls whose only argument read as memory is the first: {@code VarHandle} access to an array's elements (the
     * array; the values are primitives), and the reference operations of {@code Unsafe} (the base object; the
     * expected and new values of {@code compareAndSetReference}, {@code putReference}, {@code getAndSetObject}... are
     * compared and stored by identity and must stay as they are). Other {@code Unsafe} methods ({@code getLong},
     * {@code copyMemory}) read every object they get as memory.
     */
    private static boolean readsOnlyItsFirstArgument(final String owner, final String name)
    {
        return "java/lang/invoke/VarHandle".equals(owner) ||
            (("sun/misc/Unsafe".equals(owner) || "jdk/internal/misc/Unsafe".equals(owner)) &&
            (name.contains("Object") || name.contains("Reference")));
    }

    /**
     * A {@code VarHandle} call on an array's elements (an array-element or byte-array-view handle): the array, then
     * an {@code int} index. Only that array is read by the JDK; the values stored are primitives.
     */
    private static boolean accessesArrayElements(final Type[] arguments)
    {
        return arguments.length >= 2 && isPrimitiveArray(arguments[0]) && arguments[1] == Type.INT_TYPE;
    }

    /**
     * {@code writeObject} or {@code writeUnshared} of an {@code ObjectOutputStream} (or a subclass: its
     * {@code writeObject} ends in the JDK's) or of an {@code ObjectOutput} (as {@code Externalizable.writeExternal}
     * gets it), whose argument's whole object graph the JDK reads.
     */
    private boolean isSerialization(final String owner, final String name, final String descriptor)
    {
        return ("writeObject".equals(name) || "writeUnshared".equals(name)) &&
            "(Ljava/lang/Object;)V".equals(descriptor) && ("java/io/ObjectOutput".equals(owner) ||
            owner.endsWith("ObjectOutputStream") || resolver.isSubclassOf(owner, "java/io/ObjectOutputStream"));
    }

    /**
     * Calls that pass their {@code Object[]} argument's elements on as arguments of another method: reflection
     * ({@code Method.invoke}, {@code Constructor.newInstance}) and {@code MethodHandle.invokeWithArguments}.
     */
    private static boolean isReflectiveInvocation(final String owner, final String name)
    {
        return ("java/lang/reflect/Method".equals(owner) && "invoke".equals(name)) ||
            ("java/lang/reflect/Constructor".equals(owner) && "newInstance".equals(name)) ||
            ("java/lang/invoke/MethodHandle".equals(owner) && "invokeWithArguments".equals(name));
    }
}
