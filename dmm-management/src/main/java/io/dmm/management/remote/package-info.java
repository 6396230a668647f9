/**
 * The optional remote JMX connector ({@code management.jmxRemote} in the policy): an RMI registry
 * and JMX connector server sharing one port, always with password authentication (and an optional
 * access file), bound to one address (loopback unless the policy gives another) through the JDK's
 * own channels, so that DMM's routing never applies to its own management port.
 */
package io.dmm.management.remote;
