package io.lakehousecdc.app.control;

import java.util.regex.Pattern;

/**
 * A whole-database onboarding: the tables of {@code database} (PostgreSQL: a schema) of
 * {@code source} whose name matches {@code include} and not {@code exclude}; exclude wins.
 *
 * @param exclude {@code null} when nothing is left out
 */
public record OnboardingRule(String source, String database, Pattern include, Pattern exclude) {

    /** Whether the table {@code name} (without its database) is one this rule takes. */
    public boolean takes(String name) {
        return include.matcher(name).matches() && (exclude == null || !exclude.matcher(name).matches());
    }

    @Override
    public String toString() {
        return source + " " + database + " --include '" + include.pattern() + "'"
                + (exclude == null ? "" : " --exclude '" + exclude.pattern() + "'");
    }
}
