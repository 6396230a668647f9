package io.dmm.api.testing;

import java.time.Duration;
import java.util.Arrays;

/**
 * The one definition of "this thread is blocked in that call" for tests that disturb a blocked
 * call (interrupt it, close its channel, wake its selector): a test that disturbs the thread before
 * the call blocks passes without testing the blocked path, so it waits for the block instead of
 * sleeping and hoping.
 *
 * <p>A thread counts as blocked in {@code method} when a frame of a method of that name is on its
 * stack below the frame it waits in, and it waits in one of two ways:
 * <ul>
 *   <li>parked or waiting (state WAITING, TIMED_WAITING or BLOCKED): DMM's stacks park, and so does
 *       a virtual thread in any of the JDK's blocking socket calls;
 *   <li>RUNNABLE in a native method of the JDK's NIO implementation ({@code sun.nio.ch}): a platform
 *       thread blocked in the JDK's read, accept, receive or select sits in a system call
 *       ({@code SocketDispatcher.read0}, {@code Net.accept}, {@code Net.poll}, {@code EPoll.wait}...),
 *       which the JVM reports as RUNNABLE.
 * </ul>
 * On its way into the call a thread passes through short waits and native methods too (a lock taken
 * uncontended, {@code IOUtil.configureBlocking}), so one look is not enough: the thread must show the
 * same stack on {@link #STEADY_LOOKS} looks in a row, {@link #LOOK_INTERVAL_MS} ms apart.
 */
public final class BlockedThreads {
    /** Long enough for a loaded 2-core machine to get any thread into its call. */
    public static final Duration DEFAULT_WITHIN = Duration.ofSeconds(10);

    static final int STEADY_LOOKS = 3;
    static final long LOOK_INTERVAL_MS = 5;

    private BlockedThreads() {
    }

    /** Waits (at most {@link #DEFAULT_WITHIN}) until {@code thread} is blocked in a call to {@code method}. */
    public static void awaitBlockedIn(Thread thread, String method) throws InterruptedException {
        awaitBlockedIn(thread, method, DEFAULT_WITHIN);
    }

    /**
     * Waits until {@code thread} is blocked in a call to a method named {@code method} (any class: the
     * suites run one body against the JDK's channels and DMM's); fails, with the thread's stack, if
     * the thread ends first or is not blocked there within {@code within}.
     */
    public static void awaitBlockedIn(Thread thread, String method, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        StackTraceElement[] previous = null;
        int steady = 0;
        while (true) {
            Thread.State state = thread.getState();
            StackTraceElement[] stack = thread.getStackTrace();
            boolean sameStateAfter = thread.getState() == state; // the state and the stack are two looks
            if (state == Thread.State.TERMINATED) {
                throw new AssertionError(thread.getName() + " ended before it blocked in " + method + "()");
            }
            if (sameStateAfter && isBlockedIn(state, stack, method)) {
                steady = Arrays.equals(stack, previous) ? steady + 1 : 1;
                if (steady >= STEADY_LOOKS) {
                    return;
                }
            } else {
                steady = 0;
            }
            previous = stack;
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(thread.getName() + " did not block in " + method + "() within " + within
                        + "; it is " + state + " at:" + format(stack));
            }
            Thread.sleep(LOOK_INTERVAL_MS);
        }
    }

    /** One look: is a thread in {@code state} with {@code stack} blocked in a call to {@code method}? */
    static boolean isBlockedIn(Thread.State state, StackTraceElement[] stack, String method) {
        if (stack.length == 0 || !waitsAt(state, stack[0])) {
            return false;
        }
        for (int i = 1; i < stack.length; i++) {
            if (stack[i].getMethodName().equals(method)) {
                return true;
            }
        }
        return false;
    }

    private static boolean waitsAt(Thread.State state, StackTraceElement top) {
        return switch (state) {
            case WAITING, TIMED_WAITING, BLOCKED -> true;
            case RUNNABLE -> top.isNativeMethod() && top.getClassName().startsWith("sun.nio.ch.");
            default -> false;
        };
    }

    /** A stack as the lines of a thread dump, for failure messages. */
    public static String format(StackTraceElement[] stack) {
        if (stack.length == 0) {
            return " (no frames)";
        }
        StringBuilder sb = new StringBuilder();
        for (StackTraceElement e : stack) {
            sb.append("\n\tat ").append(e);
        }
        return sb.toString();
    }
}
