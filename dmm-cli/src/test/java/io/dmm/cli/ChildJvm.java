package io.dmm.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A JVM the tests start — the JDK of this test JVM, its class path — running {@code mainClass}
 * until {@link #close}: it must print a line starting with {@code READY} when it is ready, and
 * exit when its standard input closes (so it also dies when the test JVM does). Its standard
 * error goes to a file, shown when it does not get ready.
 */
final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final Path stderr;

    private ChildJvm(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
    }

    static ChildJvm start(Class<?> mainClass, Path dir, String... jvmArgs) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(jvmArgs));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass.getName());
        Path err = Files.createTempFile(dir, mainClass.getSimpleName(), ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(err.toFile());
        pb.environment().remove("DMM_CONFIG");
        ChildJvm child = new ChildJvm(pb.start(), err);
        try {
            child.awaitReady();
        } catch (Exception | Error e) {
            child.close();
            throw e;
        }
        return child;
    }

    private void awaitReady() throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
            try {
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.startsWith("READY")) {
                        return line;
                    }
                }
                return null;
            } catch (IOException e) {
                return null;
            }
        });
        String line;
        try {
            line = ready.get(30, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            line = null;
        }
        if (line == null) {
            throw new AssertionError("the child JVM did not get ready; its stderr:\n" + Files.readString(stderr));
        }
    }

    long pid() {
        return process.pid();
    }

    String stderr() throws IOException {
        return Files.readString(stderr);
    }

    @Override
    public void close() throws Exception {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // already gone
        }
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
