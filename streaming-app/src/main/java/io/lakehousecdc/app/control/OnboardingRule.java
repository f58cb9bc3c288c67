package io.lakehousecdc.app.control;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A whole-database onboarding: the tables of {@code database} (PostgreSQL: a schema) of
 * {@code source} whose whole name matches {@code include} and not {@code exclude}; exclude
 * wins. Tables it takes get {@code settings}.
 *
 * @param include a regular expression
 * @param exclude a regular expression, or {@code null} when nothing is left out
 */
public record OnboardingRule(String source, String database, String include, String exclude, Map<String, String> settings) {

    public OnboardingRule {
        Pattern.compile(include);
        if (exclude != null) {
            Pattern.compile(exclude);
        }
        settings = Map.copyOf(settings);
    }

    /** Whether the table {@code name} (without its database) is one this rule takes. */
    public boolean takes(String name) {
        return Pattern.matches(include, name) && (exclude == null || !Pattern.matches(exclude, name));
    }

    /** The settings as {@code tables add} takes them: {@code key=value}, by key. */
    String assignments() {
        return new TreeMap<>(settings).entrySet().stream().map(e -> " " + e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining());
    }

    @Override
    public String toString() {
        return source + " " + database + " --include '" + include + "'" + (exclude == null ? "" : " --exclude '" + exclude + "'")
                + assignments();
    }
}
