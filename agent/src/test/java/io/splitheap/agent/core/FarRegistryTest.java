package io.splitheap.agent.core;

import io.splitheap.agent.TestFarMemory;
import io.splitheap.agent.excache.ElementType;
import io.splitheap.agent.excache.FarArray;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class FarRegistryTest
{
    @Test
    void shouldFindFarArraysAndNothingElse()
    {
        try (TestFarMemory far = new TestFarMemory(64 * 4096, "fifo"))
        {
            final Object placeholder = far.farMemory().allocate(ElementType.INT, 100, -1);
            final FarArray descriptor = FarRegistry.find(placeholder);
            assertNotNull(descriptor);
            assertEquals(100, descriptor.length());
            assertEquals(ElementType.INT, descriptor.type());
            assertNull(FarRegistry.find(new int[0]), "an ordinary empty array is not far");
            assertNull(FarRegistry.find(new int[5]));
        }
    }

    @Test
    void shouldKeepEveryArrayFindableWhileTheTableGrows()
    {
        try (TestFarMemory far = new TestFarMemory(64 * 4096, "fifo"))
        {
            final List<Object> placeholders = new ArrayList<>();
            for (int i = 0; i < 10_000; i++)
            {
                placeholders.add(far.farMemory().allocate(ElementType.BYTE, i + 1, -1));
            }
            for (int i = 0; i < placeholders.size(); i++)
            {
                final FarArray descriptor = FarRegistry.find(placeholders.get(i));
                assertEquals(i + 1, descriptor.length());
                assertSame(descriptor, FarRegistry.find(placeholders.get(i)));
            }
        }
    }
}
