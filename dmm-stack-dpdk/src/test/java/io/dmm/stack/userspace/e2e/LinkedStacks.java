package io.dmm.stack.userspace.e2e;

import io.dmm.api.spi.StackInstance;
import io.dmm.api.spi.StackProvider;
import io.dmm.api.spi.testing.MapStackSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Two userspace stack instances in this JVM, built from policy entries exactly as DMM builds them
 * (the "userspace" provider found by ServiceLoader, settings as a policy map), wired back to back by
 * a {@code pair} link: {@link #client} is 10.77.0.1, {@link #server} is 10.77.0.2. Each end may
 * carry its own {@code faults} object, so a fault plan applies to what that end transmits: faults
 * on both ends make both directions unreliable.
 */
final class LinkedStacks implements AutoCloseable {
    static final String CLIENT_IP = "10.77.0.1";
    static final String SERVER_IP = "10.77.0.2";
    private static final AtomicInteger LINKS = new AtomicInteger();

    final StackInstance client;
    final StackInstance server;

    private LinkedStacks(StackInstance client, StackInstance server) {
        this.client = client;
        this.server = server;
    }

    /**
     * @param device extra device keys for both ends (mtu, slots), without driver and link
     * @param clientFaults the client end's fault plan, or null
     * @param serverFaults the server end's fault plan, or null
     * @param tcp the "tcp" object of both entries
     */
    static LinkedStacks open(String name, Map<String, Object> device, Map<String, Object> clientFaults,
                             Map<String, Object> serverFaults, Map<String, Object> tcp) {
        String link = name + "-" + LINKS.incrementAndGet();
        StackInstance c = create(name + "-client", CLIENT_IP, link, device, clientFaults, tcp);
        try {
            return new LinkedStacks(c, create(name + "-server", SERVER_IP, link, device, serverFaults, tcp));
        } catch (RuntimeException | Error e) {
            c.close();
            throw e;
        }
    }

    private static StackInstance create(String name, String ip, String link, Map<String, Object> device,
                                        Map<String, Object> faults, Map<String, Object> tcp) {
        Map<String, Object> dev = new LinkedHashMap<>(device);
        dev.put("driver", "pair");
        dev.put("link", link);
        if (faults != null) dev.put("faults", faults);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("address", ip + "/24");
        settings.put("device", dev);
        settings.put("tcp", tcp);
        StackProvider p = ServiceLoader.load(StackProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(sp -> sp.type().equals("userspace")).findFirst().orElseThrow();
        return p.create(MapStackSettings.of(name, "userspace", settings));
    }

    @Override
    public void close() {
        try {
            client.close();
        } finally {
            server.close();
        }
    }
}
