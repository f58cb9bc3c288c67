package io.lakehousecdc.app.config;

import io.lakehousecdc.app.failed.FailedEventStores;
import io.lakehousecdc.core.PipelineOptions;
import io.lakehousecdc.core.SetupException;
import io.lakehousecdc.lake.LakeOptions;
import io.lakehousecdc.source.SourceOptions;
import io.lakehousecdc.warehouse.WarehouseOptions;

import org.apache.flink.configuration.ConfigOption;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The keys each part of the configuration accepts, taken from the modules' options classes so
 * that a new option is known where it is declared. A misspelt key would otherwise be ignored
 * and its default used silently; here it fails with the nearest known key.
 */
final class KnownKeys {

    private static final Set<String> GLOBAL = new TreeSet<>();
    private static final Set<String> SOURCE = new TreeSet<>();
    private static final Set<String> TABLE = new TreeSet<>();
    /** Read by io.lakehousecdc.app.control.ControlPlane, which has no options class of its own to take them from. */
    private static final Set<String> CONTROL_PLANE = Set.of("control-plane.jdbc-url", "control-plane.username", "control-plane.password");

    static {
        GLOBAL.addAll(keys(PipelineOptions.class));
        for (String key : keys(LakeOptions.class)) {
            (key.startsWith("lake.") ? GLOBAL : TABLE).add(key);
        }
        GLOBAL.addAll(CONTROL_PLANE);
        GLOBAL.addAll(keys(WarehouseOptions.class));
        GLOBAL.addAll(keys(FailedEventStores.class));
        SOURCE.addAll(keys(SourceOptions.class));
    }

    private KnownKeys() {}

    private static List<String> keys(Class<?> options) {
        List<String> keys = new ArrayList<>();
        for (Field field : options.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && ConfigOption.class.isAssignableFrom(field.getType())) {
                try {
                    keys.add(((ConfigOption<?>) field.get(null)).key());
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return keys;
    }

    /**
     * Fails unless {@code key} is known.
     *
     * @param entry the {@code sources.<id>} or {@code tables.<source>.<table>} prefix the key is
     *     under, or null for the global sections
     * @param origin where the key was set, for the message
     */
    static void check(String key, String entry, String origin) {
        String relative = entry == null ? key : key.substring(entry.length() + 1);
        Set<String> known = entry == null ? GLOBAL : entry.startsWith("sources.") ? SOURCE : TABLE;
        String passThrough = entry == null ? null : entry.startsWith("sources.") ? SourceOptions.DEBEZIUM_PREFIX : LakeOptions.HUDI_PREFIX;
        if (known.contains(relative) || passThrough != null && relative.startsWith(passThrough)) {
            return;
        }
        String where = origin.equals("--set") ? "--set " + key : "'" + key + "' in " + origin;
        String nearest = nearest(relative, known);
        String fix = nearest != null ? "did you mean '" + (entry == null ? "" : entry + ".") + nearest + "'?"
                : "known keys here are " + String.join(", ", known) + (passThrough == null ? "" : ", and " + passThrough + "*");
        throw new SetupException("Unknown key " + where + ": " + fix);
    }

    /** The known key closest in spelling, if close enough to be a slip. */
    private static String nearest(String key, Set<String> known) {
        return known.stream()
                .filter(candidate -> distance(key, candidate) <= Math.max(2, candidate.length() / 4))
                .min(Comparator.comparingInt((String candidate) -> distance(key, candidate)))
                .orElse(null);
    }

    /** Edit distance: insertions, deletions and substitutions. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
