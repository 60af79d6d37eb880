package io.splitheap.agent.instrument;

import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Rewrites primitive array loads, stores and {@code arraylength} into static calls with the same stack effect (so no
 * frame changes): to a helper of the site's own (see {@link SiteHelpers}) when one is given, else to the shared
 * helpers of {@code io.splitheap.agent.runtime.FarAccess}. Reference array instructions are left alone: reference
 * arrays are never far.
 */
public final class ArrayAccessVisitor extends MethodVisitor
{
    private final SiteHelpers sites;

    /**
     * A visitor calling the shared helpers.
     *
     * @param api ASM api.
     * @param next the next visitor.
     */
    public ArrayAccessVisitor(final int api, final MethodVisitor next)
    {
        this(api, next, null);
    }

    /**
     * A visitor.
     *
     * @param api   ASM api.
     * @param next  the next visitor.
     * @param sites the class's per-site helpers, or null for the shared ones.
     */
    ArrayAccessVisitor(final int api, final MethodVisitor next, final SiteHelpers sites)
    {
        super(api, next);
        this.sites = sites;
    }

    /**
     * {@inheritDoc}
     */
    public void visitInsn(final int opcode)
    {
        final String[] call = replacement(opcode);
        if (call == null)
        {
            super.visitInsn(opcode);
        }
        else if (sites != null)
        {
            sites.call(mv, opcode, call);
        }
        else
        {
            super.visitMethodInsn(Opcodes.INVOKESTATIC, RuntimeNames.ACCESS, call[0], call[1], false);
        }
    }

    /**
     * The helper replacing an instruction.
     *
     * @param opcode the opcode.
     * @return {name, descriptor}, or null if the instruction is kept.
     */
    static String[] replacement(final int opcode)
    {
        switch (opcode)
        {
            case Opcodes.LALOAD:
                return new String[]{"laload", "([JI)J"};
            case Opcodes.IALOAD:
                return new String[]{"iaload", "([II)I"};
            case Opcodes.FALOAD:
                return new String[]{"faload", "([FI)F"};
            case Opcodes.DALOAD:
                return new String[]{"daload", "([DI)D"};
            case Opcodes.SALOAD:
                return new String[]{"saload", "([SI)S"};
            case Opcodes.CALOAD:
                return new String[]{"caload", "([CI)C"};
            case Opcodes.BALOAD:
                return new String[]{"baload", "(Ljava/lang/Object;I)B"};
            case Opcodes.LASTORE:
                return new String[]{"lastore", "([JIJ)V"};
            case Opcodes.IASTORE:
                return new String[]{"iastore", "([III)V"};
            case Opcodes.FASTORE:
                return new String[]{"fastore", "([FIF)V"};
            case Opcodes.DASTORE:
                return new String[]{"dastore", "([DID)V"};
            case Opcodes.SASTORE:
                return new String[]{"sastore", "([SII)V"};
            case Opcodes.CASTORE:
                return new String[]{"castore", "([CII)V"};
            case Opcodes.BASTORE:
                return new String[]{"bastore", "(Ljava/lang/Object;II)V"};
            case Opcodes.ARRAYLENGTH:
                return new String[]{"arraylength", "(Ljava/lang/Object;)I"};
            default:
                return null;
        }
    }
}
