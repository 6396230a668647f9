package io.dmm.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A subcommand's arguments: positional words and {@code --name VALUE} (or {@code --name=VALUE})
 * options among those the subcommand accepts.
 */
final class Args {
    private final List<String> positional;
    private final Map<String, String> options;

    private Args(List<String> positional, Map<String, String> options) {
        this.positional = positional;
        this.options = options;
    }

    static Args parse(List<String> words, Set<String> valueOptions) throws CliFailure {
        List<String> positional = new ArrayList<>();
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if (!w.startsWith("--") || w.length() == 2) {
                positional.add(w);
                continue;
            }
            String name = w.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (!valueOptions.contains(name)) {
                throw CliFailure.usage("unknown option --" + name
                        + (valueOptions.isEmpty() ? "" : " (this command takes --" + String.join(", --", valueOptions.stream().sorted().toList()) + ")"));
            }
            if (value == null) {
                if (i + 1 >= words.size()) {
                    throw CliFailure.usage("--" + name + " needs a value");
                }
                value = words.get(++i);
            }
            options.put(name, value);
        }
        return new Args(positional, options);
    }

    /** Checks the number of positional words; {@code shape} is the usage line shown when it is wrong. */
    Args expect(int min, int max, String shape) throws CliFailure {
        if (positional.size() < min || positional.size() > max) {
            throw CliFailure.usage((positional.size() < min ? "missing arguments" : "too many arguments")
                    + "; usage: dmm " + shape);
        }
        return this;
    }

    String get(int i) {
        return positional.get(i);
    }

    int count() {
        return positional.size();
    }

    /** The option's value, or "" when absent. */
    String option(String name) {
        return options.getOrDefault(name, "");
    }
}
