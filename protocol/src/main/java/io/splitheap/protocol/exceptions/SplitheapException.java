package io.splitheap.protocol.exceptions;

/**
 * Root of Splitheap's exceptions. Messages carry {@code key=value} facts and say what to do.
 */
public class SplitheapException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * How bad a failure is.
     */
    public enum Category
    {
        /**
         * The component cannot continue.
         */
        FATAL,
        /**
         * The operation failed; the component continues.
         */
        ERROR,
        /**
         * Worth reporting, nothing failed.
         */
        WARN,
        /**
         * A routine event (a node back after a pause, for example).
         */
        INFO
    }

    private final Category category;

    /**
     * An error-category exception.
     *
     * @param message what happened, with key=value facts.
     */
    public SplitheapException(final String message)
    {
        this(message, Category.ERROR, null);
    }

    /**
     * An exception with a category and cause.
     *
     * @param message  what happened, with key=value facts.
     * @param category how bad.
     * @param cause    underlying cause or null.
     */
    public SplitheapException(final String message, final Category category, final Throwable cause)
    {
        super(message, cause);
        this.category = category;
    }

    /**
     * How bad the failure is.
     *
     * @return the category.
     */
    public Category category()
    {
        return category;
    }
}
