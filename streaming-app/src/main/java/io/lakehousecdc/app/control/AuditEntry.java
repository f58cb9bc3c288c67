package io.lakehousecdc.app.control;

import java.time.Instant;
import java.util.Map;

/**
 * One accepted change to the control plane.
 *
 * @param actor who made it: the OS user of a command, the token's name for the HTTP API
 * @param action add, set, enable, disable or import
 * @param entity what changed, e.g. {@code table clinic/clinic.consultations} or {@code source clinic}
 * @param before the entry's settings before the change; null when it was added
 * @param after the entry's settings after the change
 */
public record AuditEntry(long id, String actor, Instant at, String action, String entity,
        Map<String, String> before, Map<String, String> after) {}
