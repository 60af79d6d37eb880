package io.splitheap.memorynode;

import io.splitheap.memorynode.internal.PageStore;
import io.splitheap.protocol.FarAddress;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PageStoreTest
{
    @TempDir
    File dir;

    @Test
    void shouldRefuseANewPageBeyondCapacityButAcceptRewrites()
    {
        final UnsafeBuffer page = new UnsafeBuffer(new byte[FarAddress.PAGE_SIZE]);
        page.putLong(0, 42);
        try (PageStore store = new PageStore(new File(dir, "pages.dat"), 2))
        {
            assertEquals(PageStore.WriteResult.STORED, store.write(1, 10, page, 0));
            assertEquals(PageStore.WriteResult.STORED, store.write(1, 11, page, 0));
            assertEquals(PageStore.WriteResult.FULL, store.write(1, 12, page, 0));
            assertEquals(PageStore.WriteResult.STORED, store.write(1, 10, page, 0), "rewriting a stored page");
            assertEquals(2, store.usedPages());
        }
    }

    @Test
    void shouldKeepPagesAcrossCloseAndReopenAndCountThemPerProcess()
    {
        final File file = new File(dir, "pages.dat");
        final UnsafeBuffer page = new UnsafeBuffer(new byte[FarAddress.PAGE_SIZE]);
        page.putLong(100, 7);
        try (PageStore store = new PageStore(file, 100))
        {
            store.write(1, 5, page, 0);
            store.write(2, 5, page, 0);
            store.write(2, 6, page, 0);
        }
        try (PageStore store = new PageStore(file, 100))
        {
            assertEquals(3, store.usedPages());
            assertEquals(1, store.processPages(1));
            assertEquals(2, store.processPages(2));
            final UnsafeBuffer read = new UnsafeBuffer(new byte[FarAddress.PAGE_SIZE]);
            assertTrue(store.read(2, 6, read, 0));
            assertEquals(7, read.getLong(100));
            assertFalse(store.read(1, 6, read, 0), "another process's page number is not this one's");
            assertEquals(2, store.discard(2, 0, 100));
            assertEquals(1, store.usedPages());
        }
    }
}
