package io.splitheap.protocol.transport;

import io.splitheap.protocol.codecs.MessageHeaderDecoder;
import io.splitheap.protocol.codecs.MessageHeaderEncoder;
import io.splitheap.protocol.transport.SchemaModel.Member;
import io.splitheap.protocol.transport.SchemaModel.Message;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Drives the generated encoders and decoders of any template through reflection, following {@link SchemaModel}: random
 * valid messages, and a full decode that reads every field, every group entry and every var field.
 */
public final class ReflectiveCodecs
{
    static final int MAX_GROUP_COUNT = 4;
    static final int MAX_VAR_LENGTH = 48;

    private static final String PACKAGE = MessageHeaderDecoder.class.getPackageName();
    private static final Map<String, Method> METHODS = new HashMap<>();

    /**
     * Where something a mutation can aim at starts in an encoded message.
     *
     * @param kind     a var field's length or a group's dimension header.
     * @param name     the member's name.
     * @param position offset from the message start.
     * @param size     for a group its block length in the schema, for a var field its length header's size.
     */
    record Site(SchemaModel.Kind kind, String name, int position, int size)
    {
    }

    /**
     * What a full decode saw.
     *
     * @param sites    every group and var field, in order.
     * @param varBytes sum of the var field lengths read.
     * @param end      the decoder's limit after the last member, from the message start.
     */
    record Decoded(List<Site> sites, long varBytes, int end)
    {
    }

    private ReflectiveCodecs()
    {
    }

    /**
     * Encodes a message with random field values, group counts and var lengths.
     *
     * @param message the template.
     * @param random  the source of values.
     * @return the message bytes, exactly.
     */
    public static byte[] encode(final Message message, final Random random)
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
        final Object encoder = newInstance(PACKAGE + "." + message.name() + "Encoder");
        invoke(encoder, "wrapAndApplyHeader", buffer, 0, new MessageHeaderEncoder());
        encodeMembers(encoder, message.members(), random);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + (int)invoke(encoder, "encodedLength");
        final byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        return bytes;
    }

    /**
     * Decodes every member of a message with its generated decoder.
     *
     * @param buffer holding the message.
     * @param offset where it starts.
     * @param length its length; var fields must fit in it.
     * @return what was read.
     * @throws Throwable whatever the decoder throws.
     */
    static Decoded decode(final DirectBuffer buffer, final int offset, final int length) throws Throwable
    {
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(buffer, offset);
        final Message message = SchemaModel.byId(header.templateId());
        final Object decoder = newInstance(PACKAGE + "." + message.name() + "Decoder");
        try
        {
            invoke(decoder, "wrapAndApplyHeader", buffer, offset, header);
            final List<Site> sites = new ArrayList<>();
            final long varBytes = decodeMembers(decoder, decoder, message.members(), offset, offset + length, sites);
            return new Decoded(sites, varBytes, (int)invoke(decoder, "limit") - offset);
        }
        catch (final IllegalStateException ex)
        {
            throw null == ex.getCause() ? ex : ex.getCause();
        }
    }

    private static void encodeMembers(final Object encoder, final List<Member> members, final Random random)
    {
        for (final Member member : members)
        {
            final String property = property(member.name());
            switch (member.kind())
            {
                case FIELD:
                    if (isFixedArray(encoder.getClass(), property))
                    {
                        final byte[] bytes = new byte[(int)invokeStatic(encoder.getClass(), property + "Length")];
                        random.nextBytes(bytes);
                        invoke(encoder, "put" + type(member.name()), bytes, 0, bytes.length);
                        break;
                    }
                    final Method setter = setter(encoder.getClass(), property);
                    invoke(encoder, property, randomValue(setter.getParameterTypes()[0], random));
                    break;
                case GROUP:
                    final int count = random.nextInt(MAX_GROUP_COUNT + 1);
                    final Object group = invoke(encoder, property + "Count", count);
                    for (int i = 0; i < count; i++)
                    {
                        invoke(group, "next");
                        encodeMembers(group, member.members(), random);
                    }
                    break;
                default:
                    final byte[] data = new byte[random.nextInt(4) == 0 ? 0 : random.nextInt(MAX_VAR_LENGTH + 1)];
                    random.nextBytes(data);
                    invoke(encoder, "put" + type(member.name()), data, 0, data.length);
            }
        }
    }

    private static long decodeMembers(
        final Object message,
        final Object decoder,
        final List<Member> members,
        final int offset,
        final int limit,
        final List<Site> sites)
    {
        long varBytes = 0;
        for (final Member member : members)
        {
            final String property = property(member.name());
            final int position = (int)invoke(message, "limit");
            switch (member.kind())
            {
                case FIELD:
                    if (isFixedArray(decoder.getClass(), property))
                    {
                        final byte[] bytes = new byte[(int)invokeStatic(decoder.getClass(), property + "Length")];
                        invoke(decoder, "get" + type(member.name()), bytes, 0, bytes.length);
                        break;
                    }
                    invoke(decoder, property);
                    break;
                case GROUP:
                    final Object group = invoke(decoder, property);
                    sites.add(new Site(
                        member.kind(), member.name(), position - offset, (int)invoke(group, "sbeBlockLength")));
                    while ((boolean)invoke(group, "hasNext"))
                    {
                        invoke(group, "next");
                        varBytes += decodeMembers(message, group, member.members(), offset, limit, sites);
                    }
                    break;
                default:
                    sites.add(new Site(member.kind(), member.name(), position - offset,
                        (int)invokeStatic(decoder.getClass(), property + "HeaderLength")));
                    final int length = (int)invoke(decoder, property + "Length");
                    if (length < 0 || length > limit - position)
                    {
                        throw new AssertionError("decoder would read field=" + member.name() + " length=" + length +
                            " beyond the message at position=" + (position - offset));
                    }
                    varBytes += length;
                    if (isStringAccessor(decoder.getClass(), property))
                    {
                        invoke(decoder, property);
                    }
                    else
                    {
                        final byte[] data = new byte[length];
                        final int copied = (int)invoke(decoder, "get" + type(member.name()), data, 0, length);
                        if (copied != length)
                        {
                            throw new AssertionError("field=" + member.name() + " copied=" + copied);
                        }
                    }
            }
        }
        return varBytes;
    }

    private static Object randomValue(final Class<?> type, final Random random)
    {
        if (type.isEnum())
        {
            final Object[] constants = type.getEnumConstants();
            return constants[random.nextInt(constants.length)];
        }
        if (long.class == type)
        {
            return random.nextLong();
        }
        if (int.class == type)
        {
            return random.nextInt();
        }
        if (short.class == type)
        {
            return (short)random.nextInt();
        }
        if (byte.class == type)
        {
            return (byte)random.nextInt();
        }
        if (double.class == type)
        {
            return random.nextDouble();
        }
        if (float.class == type)
        {
            return random.nextFloat();
        }
        throw new IllegalStateException("test generator: no random value for type=" + type + "; extend it");
    }

    private static boolean isFixedArray(final Class<?> type, final String name)
    {
        for (final Method method : type.getMethods())
        {
            if (method.getName().equals(name + "Length") && 0 == method.getParameterCount() &&
                java.lang.reflect.Modifier.isStatic(method.getModifiers()) &&
                !type.getSimpleName().isEmpty() && hasMethod(type, name + "EncodingLength"))
            {
                return true;
            }
        }
        return false;
    }

    private static boolean hasMethod(final Class<?> type, final String name)
    {
        for (final Method method : type.getMethods())
        {
            if (method.getName().equals(name))
            {
                return true;
            }
        }
        return false;
    }

    private static Method setter(final Class<?> type, final String name)
    {
        for (final Method method : type.getMethods())
        {
            if (method.getName().equals(name) && 1 == method.getParameterCount() &&
                (method.getParameterTypes()[0].isPrimitive() || method.getParameterTypes()[0].isEnum()))
            {
                return method;
            }
        }
        throw new IllegalStateException("test generator: no setter " + type.getSimpleName() + "." + name);
    }

    private static boolean isStringAccessor(final Class<?> type, final String name)
    {
        try
        {
            return String.class == type.getMethod(name).getReturnType();
        }
        catch (final NoSuchMethodException ex)
        {
            return false;
        }
    }

    private static Method method(final Class<?> type, final String name, final int parameterCount)
    {
        final String key = type.getName() + "#" + name + "/" + parameterCount;
        Method found = METHODS.get(key);
        if (null == found)
        {
            for (final Method method : type.getMethods())
            {
                if (method.getName().equals(name) && parameterCount == method.getParameterCount() &&
                    (null == found || 0 == parameterCount || !method.getParameterTypes()[0].isInterface()))
                {
                    found = method;
                }
            }
            if (null == found)
            {
                throw new IllegalStateException("no method " + type.getSimpleName() + "." + name);
            }
            METHODS.put(key, found);
        }
        return found;
    }

    private static Object invoke(final Object target, final String name, final Object... arguments)
    {
        final Method method = 1 == arguments.length && name.equals(property(name)) && !name.startsWith("wrap") ?
            setter(target.getClass(), name) : method(target.getClass(), name, arguments.length);
        try
        {
            return method.invoke(target, arguments);
        }
        catch (final InvocationTargetException ex)
        {
            throw new IllegalStateException(ex.getCause());
        }
        catch (final IllegalAccessException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static Object invokeStatic(final Class<?> type, final String name)
    {
        try
        {
            return type.getMethod(name).invoke(null);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static Object newInstance(final String className)
    {
        try
        {
            return Class.forName(className).getConstructor().newInstance();
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new IllegalStateException("no generated codec " + className, ex);
        }
    }

    private static String property(final String name)
    {
        return Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }

    private static String type(final String name)
    {
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }
}
