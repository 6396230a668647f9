/**
 * Devices that move Ethernet frames for a stack instance, all behind {@link io.dmm.stack.userspace.phy.Device}:
 * {@link io.dmm.stack.userspace.phy.LoopbackDevice} (frames come back, like Linux {@code lo}),
 * {@link io.dmm.stack.userspace.phy.DevicePair} (two stacks back to back over lock-free SPSC rings),
 * and wrappers for any device: {@link io.dmm.stack.userspace.phy.FaultInjector} (seeded loss,
 * duplication, reordering, corruption, delay, rate limit) and {@link io.dmm.stack.userspace.phy.PcapWriter}
 * (a capture Wireshark reads). Frames live in preallocated off-heap slots
 * ({@link io.dmm.stack.userspace.phy.FrameArena}); nothing is allocated per frame.
 */
package io.dmm.stack.userspace.phy;
