/**
 * DMM's MBeans: the running policy, each stack instance, each rule and the socket table, as
 * MXBeans whose attributes are open types only (strings, numbers, booleans, arrays, composite and
 * tabular data), so that any JMX client — jconsole, VisualVM, the {@code dmm} command — reads and
 * steers a DMM JVM without DMM's classes.
 *
 * <pre>
 * io.dmm:type=Policy                      the running policy version; reload, apply, rule and stack edits, explain
 * io.dmm:type=Stack,name=NAME             one stack instance (retiring ones too); drain, undrain
 * io.dmm:type=Stack,name=NAME,retiring=N  a retiring instance whose name a newer instance of the policy took
 * io.dmm:type=Rule,index=N                rule N of the running version; index=default for the default route
 * io.dmm:type=Sockets                     the socket table
 * </pre>
 *
 * {@link io.dmm.management.jmx.MBeanSlot} registers them for the JVM-wide runtime when the
 * policy's {@code management.jmx} is true (the default) and publishes the system properties of
 * {@link io.dmm.management.jmx.DiscoveryProperties}, by which {@code dmm ps} recognises a DMM
 * JVM without connecting to its MBean server.
 */
package io.dmm.management.jmx;
