package io.lakehousecdc.app.config;

import io.lakehousecdc.core.SetupException;

/**
 * One effective configuration value and where it came from. A value whose secret reference
 * could not be resolved fails only when it is used, so that commands which do not need it
 * (queries, {@code config show}) still work.
 *
 * @param resolved the value, secrets resolved; null when {@code problem} is set
 * @param origin where it was set: {@code default}, the config file, {@code --set}
 * @param secret whether it must never be shown
 * @param problem why the value could not be resolved, or null
 */
public record Setting(String resolved, String origin, boolean secret, String problem) {

    static Setting of(String value, String origin, boolean secret) {
        return new Setting(value, origin, secret, null);
    }

    public String value() {
        if (problem != null) {
            throw new SetupException(problem);
        }
        return resolved;
    }

    public String shown() {
        return problem != null ? "<unresolved: " + problem + ">" : secret ? "******" : resolved;
    }
}
