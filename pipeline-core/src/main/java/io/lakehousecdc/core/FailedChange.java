package io.lakehousecdc.core;

/**
 * A change that could not be turned into a lake row: kept whole so that it can be replayed
 * once the cause is fixed.
 *
 * @param position the source position, as in {@code _cdc_seq}
 * @param payload the change as the source delivered it, as text
 * @param error what went wrong, one line
 * @param failedAtMillis when the conversion failed, epoch milliseconds
 */
public record FailedChange(long position, String payload, String error, long failedAtMillis) {}
