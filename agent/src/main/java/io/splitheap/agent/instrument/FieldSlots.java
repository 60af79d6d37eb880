package io.splitheap.agent.instrument;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.MethodInsnNode;

/**
 * How a far field's value is kept in its 8-byte slot: {@code long} as is, {@code double} and {@code float} as their
 * raw bits, the other types widened; a store narrows {@code byte}, {@code short}, {@code char} and {@code boolean} as
 * {@code putfield} does, so a load gives back exactly what the JVM would.
 */
final class FieldSlots
{
    private FieldSlots()
    {
    }

    /**
     * Converts a field's value on the stack to its slot's {@code long}.
     *
     * @param code       where the conversion goes.
     * @param descriptor the field's descriptor.
     */
    static void toSlot(final InsnList code, final String descriptor)
    {
        switch (descriptor.charAt(0))
        {
            case 'J':
                return;
            case 'D':
                code.add(new MethodInsnNode(Opcodes.INVOKESTATIC, "java/lang/Double", "doubleToRawLongBits", "(D)J",
                    false));
                return;
            case 'F':
                code.add(new MethodInsnNode(Opcodes.INVOKESTATIC, "java/lang/Float", "floatToRawIntBits", "(F)I",
                    false));
                break;
            case 'Z':
                code.add(new InsnNode(Opcodes.ICONST_1));
                code.add(new InsnNode(Opcodes.IAND));
                break;
            case 'B':
                code.add(new InsnNode(Opcodes.I2B));
                break;
            case 'C':
                code.add(new InsnNode(Opcodes.I2C));
                break;
            case 'S':
                code.add(new InsnNode(Opcodes.I2S));
                break;
            default:
                break;
        }
        code.add(new InsnNode(Opcodes.I2L));
    }

    /**
     * Converts a slot's {@code long} on the stack to the field's value.
     *
     * @param code       where the conversion goes.
     * @param descriptor the field's descriptor.
     */
    static void fromSlot(final InsnList code, final String descriptor)
    {
        switch (descriptor.charAt(0))
        {
            case 'J':
                return;
            case 'D':
                code.add(new MethodInsnNode(Opcodes.INVOKESTATIC, "java/lang/Double", "longBitsToDouble", "(J)D",
                    false));
                return;
            case 'F':
                code.add(new InsnNode(Opcodes.L2I));
                code.add(new MethodInsnNode(Opcodes.INVOKESTATIC, "java/lang/Float", "intBitsToFloat", "(I)F", false));
                return;
            default:
                code.add(new InsnNode(Opcodes.L2I));
        }
    }
}
