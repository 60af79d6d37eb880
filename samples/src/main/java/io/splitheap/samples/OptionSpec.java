package io.splitheap.samples;

/**
 * An option a sample accepts, for parsing and for the usage text.
 */
public final class OptionSpec
{
    private final String name;
    private final String valueName;
    private final String help;

    /**
     * Describe an option.
     *
     * @param name      with its leading dashes, e.g. {@code --iterations}.
     * @param valueName placeholder for its value in the usage text, e.g. {@code N}.
     * @param help      one line of help including the default.
     */
    public OptionSpec(final String name, final String valueName, final String help)
    {
        this.name = name;
        this.valueName = valueName;
        this.help = help;
    }

    /**
     * The option's name.
     *
     * @return the name with leading dashes.
     */
    public String name()
    {
        return name;
    }

    /**
     * Usage line for the option.
     *
     * @return the indented line.
     */
    public String usageLine()
    {
        final String left = "  " + name + " " + valueName;
        final StringBuilder line = new StringBuilder(left);
        for (int i = left.length(); i < 24; i++)
        {
            line.append(' ');
        }
        return line.append(' ').append(help).toString();
    }
}
