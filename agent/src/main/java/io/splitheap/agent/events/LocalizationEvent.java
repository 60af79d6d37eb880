package io.splitheap.agent.events;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * JFR event: a far array was moved to the heap because code that cannot handle far arrays (the JDK, reflection, a
 * native method) received it; the duration is the copy, as {@code io.splitheap.Localization}.
 */
@Name("io.splitheap.Localization")
@Label("Far Array Localized")
@Category("Splitheap")
@Description("A far array copied to the heap at the boundary to code that reads arrays directly")
public final class LocalizationEvent extends jdk.jfr.Event
{
    @Label("Element Type")
    String elementType;

    @Label("Size")
    @DataAmount
    long bytes;

    /**
     * Starts timing a localization.
     *
     * @param elementType the array's element type.
     * @param bytes       its size.
     * @return the event, begun.
     */
    public static LocalizationEvent begin(final String elementType, final long bytes)
    {
        final LocalizationEvent event = new LocalizationEvent();
        event.elementType = elementType;
        event.bytes = bytes;
        event.begin();
        return event;
    }
}
