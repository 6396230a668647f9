package io.dmm.core.channel;

import java.util.function.Function;

/**
 * A face's java.net adaptor ({@code socket()}), made on first use and the same one ever after, as
 * the JDK's channels hand out one adaptor each. Most programs never ask for it, hence made lazily;
 * {@code make} is a method reference that captures nothing, so asking allocates nothing once made.
 */
final class LazyAdaptor<F, A> {
    private final F face;
    private final Function<? super F, ? extends A> make;
    private volatile A adaptor;

    /** The adaptor {@code make} makes for {@code face}. */
    LazyAdaptor(F face, Function<? super F, ? extends A> make) {
        this.face = face;
        this.make = make;
    }

    A get() {
        A a = adaptor;
        if (a == null) {
            synchronized (this) {
                a = adaptor;
                if (a == null) {
                    a = adaptor = make.apply(face);
                }
            }
        }
        return a;
    }
}
