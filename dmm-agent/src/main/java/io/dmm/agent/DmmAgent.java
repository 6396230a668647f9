package io.dmm.agent;

import io.dmm.api.DmmConfigException;
import io.dmm.core.config.PolicyLoader;
import io.dmm.core.runtime.DmmRuntime;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;

/**
 * {@code java -javaagent:dmm-agent.jar[=config=FILE][,app=NAME] ...}: sets DMM up before the
 * application's main runs, in this order:
 * <ol>
 *   <li>exports {@code java.base/sun.nio.ch} to DMM ({@link PlatformExports}), so the kernel stack
 *       reaches the JDK's own provider, and opens {@code java.net} to it, so its DatagramSocket
 *       adaptor sets a received packet's length as the JDK's does;</li>
 *   <li>sets {@code -Ddmm.config} and {@code -Ddmm.app} from the options;</li>
 *   <li>makes {@link io.dmm.core.DmmSelectorProvider} the system SelectorProvider
 *       and {@link io.dmm.core.DmmAsynchronousChannelProvider} the system
 *       AsynchronousChannelProvider ({@link ProviderInstaller});</li>
 *   <li>loads the policy and builds its stacks ({@link DmmRuntime#global()}), so a bad policy stops
 *       the JVM here, with its located error, instead of failing the application's first socket;</li>
 *   <li>installs the java.net socket factories if this DMM has them ({@link JavaNetFactories}).</li>
 * </ol>
 * Any failure prints {@code dmm-agent: <why>} and exits with {@link #EXIT_SETUP_FAILED}: an
 * application that runs unrouted when it was meant to be routed is worse than one that does not start.
 */
public final class DmmAgent {
    /** The exit status when DMM cannot be set up (bad policy, provider already chosen, bad option). */
    public static final int EXIT_SETUP_FAILED = 2;

    private DmmAgent() {
    }

    public static void premain(String args, Instrumentation inst) {
        try {
            setUp(args, inst);
        } catch (AgentFailure | DmmConfigException e) {
            System.err.println("dmm-agent: " + e.getMessage());
            System.exit(EXIT_SETUP_FAILED);
        } catch (RuntimeException | Error e) {
            System.err.println("dmm-agent: setting DMM up failed: " + e);
            e.printStackTrace();
            System.exit(EXIT_SETUP_FAILED);
        }
    }

    /**
     * Attached to a running JVM: works only if nothing has asked for the SelectorProvider yet, which
     * is rare. Fails with an exception (reported to the attacher) rather than stopping a running
     * application.
     */
    public static void agentmain(String args, Instrumentation inst) {
        setUp(args, inst);
    }

    static void setUp(String args, Instrumentation inst) {
        AgentArgs options = AgentArgs.parse(args);
        PlatformExports.exportNioImplementation(inst);
        if (options.config() != null) {
            if (!Files.isRegularFile(options.config())) {
                throw new AgentFailure("policy file not found: " + options.config());
            }
            System.setProperty(PolicyLoader.CONFIG_PROPERTY, options.config().toString());
        }
        if (options.app() != null) {
            System.setProperty("dmm.app", options.app());
        }
        ProviderInstaller.install();
        ProviderInstaller.installAsync();
        DmmRuntime.global();
        JavaNetFactories.installIfPresent();
    }
}
