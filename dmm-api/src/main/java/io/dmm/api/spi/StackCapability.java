package io.dmm.api.spi;

/**
 * What a stack instance can do beyond the channels every stack opens, as DMM asks it
 * ({@link StackInstance#capabilities()}) instead of guessing from the stack's type name.
 */
public enum StackCapability {
    /**
     * Its sockets are the operating system's own: they share the OS's port space with every other
     * such instance (and with other processes), so two of them listening on one port need
     * {@link #REUSE_PORT}; and a socket the OS made before the program started (one inherited from
     * the parent process) can live on it.
     */
    SHARES_OS_PORT_SPACE,

    /**
     * Its server channels take {@link java.net.StandardSocketOptions#SO_REUSEPORT}: several
     * listeners, of one instance or of several instances sharing a port space, can bind one port.
     */
    REUSE_PORT,

    /**
     * It opens asynchronous channels ({@link StackInstance#openAsynchronousSocketChannel} and
     * {@link StackInstance#openAsynchronousServerSocketChannel} do not throw
     * UnsupportedOperationException).
     */
    ASYNCHRONOUS_CHANNELS,

    /**
     * Its TCP sockets send urgent (out-of-band) data ({@link java.net.Socket#sendUrgentData}) and
     * can receive it apart from the stream (SO_OOBINLINE off).
     */
    URGENT_DATA
}
