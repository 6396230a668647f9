package io.dmm.jdk.async;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.ShutdownChannelGroupException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The JDK's rules for running completion handlers, on each kind of group's threads. */
class HandlerThreadsTest {
    /** How many handlers a task of {@code threads} may run directly, counted from inside one. */
    private static int directInvocationsOfOneTask(HandlerThreads threads) throws Exception {
        CompletableFuture<Integer> n = new CompletableFuture<>();
        threads.execute(() -> {
            int i = 0;
            while (i < 100 && threads.mayInvokeDirectly()) i++;
            n.complete(i);
        });
        return n.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aTaskOfAFixedGroupRunsSixteenHandlersDirectlyAndEachNewTaskAsMany() throws Exception {
        HandlerThreads threads = HandlerThreads.fixed(1, Thread.ofPlatform().daemon().factory());
        try {
            assertEquals(16, directInvocationsOfOneTask(threads));
            assertEquals(16, directInvocationsOfOneTask(threads), "the same thread, a new task: counted afresh");
        } finally {
            threads.shutdown();
        }
    }

    @Test
    void aGivenExecutorsTasksAreTheGroupsThreadsOnlyWhileTheyRun() throws Exception {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        HandlerThreads threads = HandlerThreads.over(executor);
        try {
            assertEquals(16, directInvocationsOfOneTask(threads));
            // the executor's thread between the group's tasks is nobody's
            assertFalse(executor.submit(threads::mayInvokeDirectly).get(10, TimeUnit.SECONDS));
        } finally {
            threads.shutdown();
        }
        assertTrue(threads.awaitTermination(10, TimeUnit.SECONDS));
        assertTrue(executor.isShutdown(), "the group's end is its executor's, as the JDK's");
    }

    @Test
    void otherThreadsNeverRunHandlersDirectlyNotEvenAnotherGroups() throws Exception {
        HandlerThreads a = HandlerThreads.fixed(1, Thread.ofPlatform().daemon().factory());
        HandlerThreads b = HandlerThreads.cached(Thread.ofPlatform().daemon().factory());
        try {
            assertFalse(a.mayInvokeDirectly(), "the test's thread is no group's");
            CompletableFuture<Boolean> asB = new CompletableFuture<>();
            a.execute(() -> asB.complete(b.mayInvokeDirectly()));
            assertFalse(asB.get(10, TimeUnit.SECONDS), "a thread of group a is not one of group b");
        } finally {
            a.shutdown();
            b.shutdown();
        }
    }

    @Test
    void threadsAreMadeAtTheFirstHandOffAndATerminatedGroupRefusesMore() throws Exception {
        AtomicInteger made = new AtomicInteger();
        ThreadFactory counting = r -> {
            made.incrementAndGet();
            return Thread.ofPlatform().daemon().unstarted(r);
        };
        HandlerThreads threads = HandlerThreads.fixed(2, counting);
        assertEquals(0, made.get(), "a group whose channels are all the platform's costs no thread");
        assertEquals(16, directInvocationsOfOneTask(threads));
        assertEquals(1, made.get());
        assertFalse(threads.isTerminated());
        threads.shutdown();
        assertTrue(threads.awaitTermination(10, TimeUnit.SECONDS));
        assertTrue(threads.isTerminated());
        assertThrows(ShutdownChannelGroupException.class, () -> threads.execute(() -> { }));
    }

    @Test
    void aGroupShutDownBeforeItMadeAnyThreadIsTerminated() {
        HandlerThreads threads = HandlerThreads.cached(Thread.ofPlatform().daemon().factory());
        assertFalse(threads.isTerminated());
        threads.shutdown();
        assertTrue(threads.isTerminated());
        assertThrows(ShutdownChannelGroupException.class, () -> threads.execute(() -> { }));
    }
}
