package io.lakehousecdc.app.config;

import io.lakehousecdc.core.SetupException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Resolves {@code ${env:NAME}} and {@code ${file:PATH}} references in configuration values. */
final class SecretReferences {
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{(env|file):([^}]+)}");

    private final Map<String, String> environment;

    SecretReferences(Map<String, String> environment) {
        this.environment = environment;
    }

    static boolean hasReference(String value) {
        return value != null && REFERENCE.matcher(value).find();
    }

    String resolve(String key, String value) {
        Matcher m = REFERENCE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(2).trim();
            String resolved;
            if (m.group(1).equals("env")) {
                resolved = environment.get(name);
                if (resolved == null) {
                    throw new SetupException("Environment variable " + name + " (used by " + key
                            + ") is not set: export it before starting");
                }
            } else {
                try {
                    resolved = Files.readString(Path.of(name)).strip();
                } catch (IOException e) {
                    throw new SetupException("Cannot read file " + name + " (used by " + key + "): " + e.getMessage()
                            + "; fix the path or the file's permissions");
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(resolved));
        }
        m.appendTail(out);
        return out.toString();
    }
}
