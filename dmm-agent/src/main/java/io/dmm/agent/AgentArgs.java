package io.dmm.agent;

import java.nio.file.Path;

/**
 * The agent's options: {@code -javaagent:dmm-agent.jar=config=FILE,app=NAME}, comma-separated
 * {@code key=value} pairs, all optional.
 *
 * @param config the policy file (sets {@code -Ddmm.config}), or null to keep the JVM's setting
 * @param app    the application name rules match with {@code "app"} (sets {@code -Ddmm.app}), or null
 */
record AgentArgs(Path config, String app) {
    static final String USAGE = "-javaagent:dmm-agent.jar[=config=FILE][,app=NAME]";

    static AgentArgs parse(String args) {
        Path config = null;
        String app = null;
        if (args == null || args.isBlank()) {
            return new AgentArgs(null, null);
        }
        for (String part : args.split(",")) {
            int eq = part.indexOf('=');
            String key = eq < 0 ? part.strip() : part.substring(0, eq).strip();
            String value = eq < 0 ? "" : part.substring(eq + 1).strip();
            if (value.isEmpty()) {
                throw new AgentFailure("agent option '" + part + "' has no value; usage: " + USAGE);
            }
            switch (key) {
                case "config" -> config = Path.of(value).toAbsolutePath();
                case "app" -> app = value;
                default -> throw new AgentFailure("unknown agent option '" + key + "' (known: config, app); usage: "
                        + USAGE);
            }
        }
        return new AgentArgs(config, app);
    }
}
