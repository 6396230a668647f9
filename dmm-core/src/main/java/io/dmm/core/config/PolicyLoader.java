package io.dmm.core.config;

import io.dmm.api.DmmConfigException;
import io.dmm.core.policy.CompiledPolicy;
import io.dmm.core.policy.Policy;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads policies: from {@code -Ddmm.config=FILE}, else env {@code DMM_CONFIG}, else the built-in
 * default. Loading is all-or-nothing: it returns a complete, validated policy or throws
 * {@link io.dmm.api.DmmConfigException} naming file, line:column, JSON path and the problem.
 *
 * <p>The format is recognised by content: a file with {@code module_list} is FD.io DMM's
 * module_config.json (its rd_config.json is read from the same directory); anything else is a
 * DMM-for-the-JVM policy, which may itself refer to DMM's files in a {@code dmm} section. Policies
 * returned here are {@link CompiledPolicy} instances with a decision cache of
 * {@link CompiledPolicy#DEFAULT_CACHE_CAPACITY}; {@link CompiledPolicy#uncached()} turns it off.
 */
public final class PolicyLoader {
    /** System property naming the policy file. */
    public static final String CONFIG_PROPERTY = "dmm.config";
    /** Environment variable naming the policy file, used when the property is not set. */
    public static final String CONFIG_ENV = "DMM_CONFIG";

    private static final Logger LOG = LoggerFactory.getLogger(PolicyLoader.class);
    private static final PolicyReader READER = new PolicyReader(CompiledPolicy.DEFAULT_CACHE_CAPACITY);

    private PolicyLoader() {
    }

    /** The policy this JVM is configured with (system property, environment, built-in default). */
    public static Policy fromSystem() {
        return fromSystem(System::getProperty, System::getenv);
    }

    /**
     * {@link #fromSystem()} with the system properties and the environment read through
     * {@code properties} and {@code environment} (name to value, null when unset): a test cannot set
     * its own environment.
     */
    static Policy fromSystem(UnaryOperator<String> properties, UnaryOperator<String> environment) {
        Setting named = setting(properties, environment);
        if (named == null) {
            return loaded(builtInDefault(), "no -D" + CONFIG_PROPERTY + " or $" + CONFIG_ENV);
        }
        return loaded(load(named.path()), named.how());
    }

    /** The file {@link #fromSystem()} loads (property, then environment), or null for the built-in default. */
    public static Path configuredFile() {
        return configuredFile(System::getProperty, System::getenv);
    }

    /** {@link #configuredFile()} with the sources of {@link #fromSystem(UnaryOperator, UnaryOperator)}. */
    static Path configuredFile(UnaryOperator<String> properties, UnaryOperator<String> environment) {
        Setting named = setting(properties, environment);
        return named == null ? null : named.path();
    }

    /** Where the policy file is named: {@code how} is {@code -Ddmm.config} or {@code $DMM_CONFIG}. */
    private record Setting(String how, String value) {
        Path path() {
            return toPath(value, how);
        }
    }

    private static Setting setting(UnaryOperator<String> properties, UnaryOperator<String> environment) {
        String property = properties.apply(CONFIG_PROPERTY);
        if (property != null && !property.isBlank()) {
            return new Setting("-D" + CONFIG_PROPERTY, property);
        }
        String env = environment.apply(CONFIG_ENV);
        if (env != null && !env.isBlank()) {
            return new Setting("$" + CONFIG_ENV, env);
        }
        return null;
    }

    private static Policy loaded(Policy p, String how) {
        LOG.info("DMM policy {} ({}): {} stacks, {} rules, default {}", p.origin(), how, p.stacks().size(),
                p.rules().size(), p.defaultRoute().stacks());
        return p;
    }

    /** One kernel stack named {@code kernel}; every socket routed to it. */
    public static Policy builtInDefault() {
        return READER.builtInDefault();
    }

    /** Loads a DMM-for-the-JVM policy file, or FD.io DMM's module_config.json (with rd_config.json beside it). */
    public static Policy load(Path file) {
        LocatedValue root = PolicyFiles.parseFile(file, "policy");
        return READER.read(root, file.getParent());
    }

    /** Parses policy JSON given as text; {@code fileName} is used in error messages. */
    public static Policy parse(String json, String fileName) {
        LocatedValue root = LocatedJsonParser.parse(json, fileName);
        return READER.read(root, baseDirOf(fileName));
    }

    /**
     * Parses a policy pushed to the running JVM through the runtime API's {@code apply} (the HTTP
     * endpoint, a JMX client): a policy like any other, except that it changes routing only. Its
     * management settings are the running ones ({@link PushedPolicies}), and its stacks may not set
     * a stack type's local-only settings to anything the running stack of that name does not have
     * ({@link LocalOnlyStackSettings}). All or nothing, as {@link #parse}.
     *
     * @param running   the policy in force
     * @param localOnly the local-only settings of the stack types the runtime knows
     * @throws io.dmm.api.DmmConfigException at its {@code management} section if that says anything
     *         else than the running settings, or at a local-only stack setting it sets or changes
     */
    public static Policy parsePushed(String json, String origin, Policy running, LocalOnlySettings localOnly) {
        LocatedValue root = LocatedJsonParser.parse(json, origin);
        Policy pushed = PushedPolicies.keepManagement(root, READER.read(root, baseDirOf(origin)), running.management());
        LocalOnlyStackSettings.refuseChanges(pushed.stacks(), running, localOnly);
        return pushed;
    }

    /** Files referred to by text parsed in memory are looked up beside {@code fileName}, if it is a path. */
    private static Path baseDirOf(String fileName) {
        try {
            return Path.of(fileName).getParent();
        } catch (InvalidPathException e) {
            return null;
        }
    }

    private static Path toPath(String value, String from) {
        try {
            return Path.of(value.strip());
        } catch (InvalidPathException e) {
            throw new DmmConfigException(value, 0, 0, "", "not a valid file path (from " + from + "): "
                    + e.getMessage());
        }
    }
}
