package io.lakehousecdc.warehouse.sql;

import java.sql.SQLException;

/** A statement the warehouse refused or could not run; the message is one line naming the statement and the warehouse's reason. */
public class WarehouseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public WarehouseException(String message) {
        super(message);
    }

    public WarehouseException(String message, Throwable cause) {
        super(message, cause);
    }

    /** @param statement the statement that failed, or null when unknown */
    public static WarehouseException of(SQLException e, String statement) {
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
        return new WarehouseException("The warehouse refused " + (statement == null ? "a statement" : abbreviate(statement))
                + ": " + reason, e);
    }

    /** The first 160 characters of a statement, on one line. */
    public static String abbreviate(String statement) {
        String line = statement.replaceAll("\\s+", " ").strip();
        return line.length() <= 160 ? line : line.substring(0, 157) + "...";
    }
}
