package io.lakehousecdc.core;

/**
 * A problem the user can fix before the job starts: bad configuration, an unreachable or
 * misconfigured database, a missing table. Its message is one line that names the cause and
 * the fix, fit to print as it is.
 */
public class SetupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SetupException(String message) {
        super(message);
    }

    public SetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
