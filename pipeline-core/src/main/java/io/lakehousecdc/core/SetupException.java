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

    /** The first line of a cause's message, fit to quote inside a one-line error. */
    public static String firstLine(Throwable cause) {
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
