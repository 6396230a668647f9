package io.dmm.core.runtime;

import io.dmm.api.spi.StackProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stack types this runtime can build: the providers it started with (ServiceLoader on DMM's
 * class path, or the ones a test gave), plus those found in stack module jars dropped into the
 * policy's {@code stackModules} directory. A module jar is a jar with a
 * {@code META-INF/services/io.dmm.api.spi.StackProvider} entry; each gets a class loader of its own
 * (parent: DMM's), is loaded once and is never unloaded. A type already known keeps its first
 * provider: a module cannot replace a built-in type.
 */
final class StackTypes {
    private static final Logger LOG = LoggerFactory.getLogger(StackTypes.class);

    private final Map<String, StackProvider> byType = new LinkedHashMap<>();
    private final Set<Path> loadedJars = new HashSet<>();

    StackTypes(Iterable<StackProvider> providers) {
        for (StackProvider p : providers) {
            byType.putIfAbsent(p.type(), p);
        }
    }

    /** The providers ServiceLoader finds beside DMM. */
    static StackTypes fromClassPath() {
        List<StackProvider> providers = new ArrayList<>();
        ServiceLoader.load(StackProvider.class, StackTypes.class.getClassLoader()).forEach(providers::add);
        return new StackTypes(providers);
    }

    synchronized StackProvider get(String type) {
        return byType.get(type);
    }

    synchronized Set<String> types() {
        return Set.copyOf(byType.keySet());
    }

    /**
     * Loads the jars in {@code dir} not loaded before and registers their providers.
     *
     * @return the types added
     * @throws UncheckedIOException when the directory cannot be listed
     */
    synchronized List<String> scan(Path dir) {
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.jar")) {
            ds.forEach(jars::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the stack module directory " + dir.toAbsolutePath(), e);
        }
        jars.sort(null);
        List<String> added = new ArrayList<>();
        for (Path jar : jars) {
            Path real = jar.toAbsolutePath().normalize();
            if (!loadedJars.add(real)) {
                continue;
            }
            URLClassLoader loader;
            try {
                loader = new URLClassLoader("dmm-stack-module:" + real.getFileName(), new URL[] {real.toUri().toURL()},
                        StackTypes.class.getClassLoader());
            } catch (MalformedURLException e) {
                throw new IllegalStateException(e);
            }
            List<StackProvider> found = new ArrayList<>();
            try {
                ServiceLoader.load(StackProvider.class, loader).forEach(found::add);
            } catch (java.util.ServiceConfigurationError | LinkageError e) {
                loadedJars.remove(real); // a fixed jar of the same name is tried again
                throw new IllegalStateException("stack module " + real + " cannot be loaded: " + e, e);
            }
            for (StackProvider p : found) {
                if (p.getClass().getClassLoader() != loader) {
                    continue; // found through the parent: already known
                }
                StackProvider earlier = byType.putIfAbsent(p.type(), p);
                if (earlier == null) {
                    added.add(p.type());
                    LOG.info("stack type \"{}\" loaded from module {} ({})", p.type(), real, p.getClass().getName());
                } else {
                    LOG.warn("stack module {} provides type \"{}\", which {} already provides: ignored", real,
                            p.type(), earlier.getClass().getName());
                }
            }
        }
        return added;
    }
}
