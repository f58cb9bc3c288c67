package io.lakehousecdc.core;

/**
 * A change that could not be turned into a lake row: kept whole so that it can be replayed
 * once the cause is fixed.
 *
 * @param position the source position, as in {@code _cdc_seq}
 * @param payload the change as the source delivered it, as text
 * @param identity what tells the change apart from others at its position and stays the same
 *     when the source delivers it again (its row images, or its file and line)
 * @param error what went wrong, one line
 * @param failedAtMillis when the conversion failed, epoch milliseconds
 */
public record FailedChange(long position, String payload, String identity, String error, long failedAtMillis) {

    /** This change, failed again now with {@code error}. */
    public FailedChange failedAgain(String error) {
        return new FailedChange(position, payload, identity, error, System.currentTimeMillis());
    }
}
