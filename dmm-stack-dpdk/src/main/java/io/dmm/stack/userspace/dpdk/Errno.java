package io.dmm.stack.userspace.dpdk;

/** Linux errno values as people read them in messages: DPDK's text and the symbolic name. */
final class Errno {
    private Errno() {}

    /** E.g. {@code "File descriptor in bad state (EBADFD)"}; an unknown value shows its number. */
    static String describe(int errno) {
        int e = Math.abs(errno);
        return DpdkShim.strerror(e) + " (" + name(e) + ")";
    }

    /** The symbolic name of the values a device that went away reports, else {@code "errno N"}. */
    static String name(int errno) {
        return switch (errno) {
            case 5 -> "EIO";
            case 6 -> "ENXIO";
            case 9 -> "EBADF";
            case 19 -> "ENODEV";
            case 77 -> "EBADFD";
            case 100 -> "ENETDOWN";
            default -> "errno " + errno;
        };
    }
}
