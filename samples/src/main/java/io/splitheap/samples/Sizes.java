package io.splitheap.samples;

/**
 * Parses byte sizes such as {@code 123}, {@code 64k}, {@code 512m}, {@code 1g} or {@code 2G} (binary units).
 */
public final class Sizes
{
    private Sizes()
    {
    }

    /**
     * Parse a size.
     *
     * @param option the option the value belongs to, for the error message.
     * @param value  digits with an optional k, m, g or t suffix in either case.
     * @return the size in bytes.
     * @throws UsageException if the value is not a size or does not fit in a long.
     */
    public static long parse(final String option, final String value)
    {
        if (value.isEmpty())
        {
            throw badSize(option, value);
        }
        final char suffix = Character.toLowerCase(value.charAt(value.length() - 1));
        final int shift;
        switch (suffix)
        {
            case 'k':
                shift = 10;
                break;
            case 'm':
                shift = 20;
                break;
            case 'g':
                shift = 30;
                break;
            case 't':
                shift = 40;
                break;
            default:
                shift = 0;
                break;
        }
        final String digits = shift == 0 ? value : value.substring(0, value.length() - 1);
        if (digits.isEmpty() || digits.length() > 18)
        {
            throw badSize(option, value);
        }
        for (int i = 0; i < digits.length(); i++)
        {
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9')
            {
                throw badSize(option, value);
            }
        }
        final long number = Long.parseLong(digits);
        if (number > (Long.MAX_VALUE >> shift))
        {
            throw badSize(option, value);
        }
        return number << shift;
    }

    private static UsageException badSize(final String option, final String value)
    {
        return new UsageException("bad size for " + option + ": '" + value +
            "' (expected bytes like 123, 64k, 512m, 1g or 2G)");
    }
}
