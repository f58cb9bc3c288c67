package io.lakehousecdc.app.control;

import io.lakehousecdc.core.SetupException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Tables created at a source after a whole-database onboarding that the onboarding's rule
 * takes but the control plane does not have. They are reported, never added on their own: an
 * engineer adds each with the same checks as any other.
 */
public final class NewTables {

    /** A table that {@code rule} takes, as {@code database.table}. */
    public record Found(String table, OnboardingRule rule) {
        /** The command that onboards it. */
        public String addCommand() {
            return "lakehouse tables add " + rule.source() + " " + table + rule.assignments();
        }
    }

    private final List<Found> found;
    private final List<String> problems;

    private NewTables(List<Found> found, List<String> problems) {
        this.found = found;
        this.problems = problems;
    }

    /**
     * Lists every rule's source; a table two rules take is found once, by the older rule. A
     * source that cannot be listed is a problem, not a failure.
     */
    public static NewTables look(ControlPlane control) {
        List<Found> found = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<String> problems = new ArrayList<>();
        for (OnboardingRule rule : control.onboardingRules()) {
            try {
                control.notOnboarded(rule).stream()
                        .filter(table -> seen.add(rule.source() + " " + table))
                        .forEach(table -> found.add(new Found(table, rule)));
            } catch (SetupException e) {
                problems.add("cannot look for new tables of " + rule.source() + " " + rule.database() + ": " + e.getMessage());
            }
        }
        return new NewTables(List.copyOf(found), List.copyOf(problems));
    }

    public List<Found> found() {
        return found;
    }

    /** One line each: a rule whose source could not be listed, and why. */
    public List<String> problems() {
        return problems;
    }
}
