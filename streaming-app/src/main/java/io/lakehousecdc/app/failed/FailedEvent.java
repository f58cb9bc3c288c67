package io.lakehousecdc.app.failed;

import io.lakehousecdc.core.FailedChange;
import io.lakehousecdc.core.TableId;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * A change the job could not convert, as a store keeps it.
 *
 * @param id {@code <lake table>@<position>-<digest>}, the digest of the change's row images: the
 *     same change gets the same id however often it is delivered, and snapshot rows, which
 *     share a position, differ
 * @param table the lake table it was for
 * @param position its source position ({@code _cdc_seq})
 * @param payload the change as the source delivered it (for MySQL and PostgreSQL a Debezium
 *     event in Kafka Connect's JSON, schema enclosed)
 * @param error why it failed; after a reprocess that failed again, why it failed then
 * @param attempts how often {@code failed reprocess} tried it
 * @param reprocessedAt when a reprocess wrote it to the lake, or null while it has not
 */
public record FailedEvent(String id, String source, String table, String sourceTable, long position, String error,
        Instant failedAt, String payload, int attempts, Instant reprocessedAt) {

    static FailedEvent of(String source, TableId table, FailedChange change) {
        return new FailedEvent(table.lakeName() + "@" + change.position() + "-" + digest(change.identity()), source,
                table.lakeName(), table.toString(), change.position(), change.error(),
                Instant.ofEpochMilli(change.failedAtMillis()), change.payload(), 0, null);
    }

    public boolean reprocessed() {
        return reprocessedAt != null;
    }

    /** The change as the source's conversion takes it again. */
    public FailedChange change() {
        return new FailedChange(position, payload, id, error, failedAt.toEpochMilli());
    }

    /** 64 bits: no two of even millions of snapshot rows failing at one position share an id. */
    private static String digest(String identity) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
